/**
 * `murmur mist ...` as real processes against a real hub (issue 20 points 1
 * and 7): a file shared as a mist reaches the hub with its bytes, the same
 * file shared again is the same mist, a follower reads it checked against
 * its signed version and sees each update under the same id, forks it, and
 * the fork chain stops at depth 5; only the author updates or deletes, a
 * deleted mist stays deleted; a hostile file prints inert in words and byte
 * for byte with --raw.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { hashBytes } from '../protocol/ids.ts';
import { murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';
import { filesUnder } from './testing/files-under.ts';
import type { MistView } from '../../workers/read/mists.ts';

const world = cliWorldForFile();

interface Made {
  readonly id: string;
  readonly existing: boolean;
  readonly sent: boolean;
}
type Read = MistView & { readonly text: string | null; readonly anchors: string[]; readonly history: unknown[] };

const CODE = 'def validate(handle):\n    return handle.isidentifier()\n\nclass Gate:\n    pass\n';

async function fileWith(name: string, text: string): Promise<string> {
  const path = join(await world.tempDir('murmur-mist-file-'), name);
  await writeFile(path, text);
  return path;
}

async function blobOf(hubUrl: string, id: string): Promise<string> {
  const res = await fetch(`${hubUrl}/v1/blobs/${id}`);
  expect(res.status).toBe(200);
  return res.text();
}

test(
  'share, share again, read from another device, update, fork, delete: each as its author may',
  async () => {
    const ann = await world.initUser('ann', world.hub);
    const ben = await world.initUser('ben', world.hub);
    const path = await fileWith('validate.py', CODE);
    const made = await world.answer<Made>(ann.user, ['mist', 'create', path, '--title', 'Gate', '--tag', 'Auth']);
    expect(made).toMatchObject({ existing: false, sent: true });
    expect(made.id).toMatch(/^[0-9a-f]{16}$/);
    // The hub holds the file itself, as the commit carried it.
    expect(await blobOf(world.hub.url, hashBytes(new TextEncoder().encode(CODE)))).toBe(CODE);
    const again = await world.answer<Made>(ann.user, ['mist', 'create', path]);
    expect(again).toMatchObject({ id: made.id, existing: true });

    await world.answer(ben.user, ['follow', ann.handle]);
    const { mists } = await world.answer<{ mists: MistView[] }>(ben.user, ['mist', 'list']);
    expect(mists).toEqual([
      expect.objectContaining({ id: made.id, author: ann.id, name: 'validate.py', title: 'Gate', tags: ['auth'] }),
    ]);
    expect(mists[0]).toMatchObject({ artifact: 'code', language: 'python', versions: 1, forkOf: null });
    const read = await world.answer<Read>(ben.user, ['mist', 'read', made.id]);
    expect(read.text).toBe(CODE);
    expect(read.anchors).toEqual(['validate.py::validate', 'validate.py::Gate']);

    const v2 = `${CODE}# v2\n`;
    const updated = await world.answer<Made>(ann.user, ['mist', 'update', made.id, await fileWith('validate.py', v2)]);
    expect(updated.id).toBe(made.id);
    const second = await world.answer<Read>(ben.user, ['mist', 'read', `${ann.handle}/${made.id}`]);
    expect(second).toMatchObject({ text: v2, versions: 2, title: 'Gate' });
    expect(second.history).toHaveLength(2);

    // Only the author changes a mist; a reader forks it.
    await world.answer(ben.user, ['mist', 'update', made.id, '--title', 'mine'], 4);
    await world.answer(ben.user, ['mist', 'delete', made.id], 4);
    const fork = await world.answer<Made>(ben.user, ['mist', 'fork', made.id]);
    const [forked] = (await world.answer<{ mists: MistView[] }>(ben.user, ['mist', 'list', '--mine'])).mists;
    expect(forked).toMatchObject({ id: fork.id, author: ben.id, forkOf: { author: ann.id, mist: made.id, depth: 1 } });
    expect((await world.answer<Read>(ben.user, ['mist', 'read', fork.id])).text).toBe(v2);
    // Ann sees the fork once she follows Ben; Gus, who follows only Ben, gets the chain checked from Ann's feed.
    await world.answer(ann.user, ['follow', ben.handle]);
    const parentRead = await world.answer<Read & { forks: unknown[] }>(ann.user, ['mist', 'read', made.id]);
    expect(parentRead.forks).toEqual([{ id: fork.id, author: ben.id, handle: ben.handle, depth: 1 }]);
    const gus = await world.initUser('gus', world.hub);
    await world.answer(gus.user, ['follow', ben.handle]);
    const forkRead = await world.answer<Read & { forkChain: unknown[] }>(gus.user, ['mist', 'read', fork.id]);
    expect(forkRead.forkChain).toEqual([{ author: ann.id, handle: null, mist: made.id, depth: 0, held: true }]);

    await world.answer(ann.user, ['mist', 'delete', made.id]);
    const left = await world.answer<{ mists: MistView[] }>(ben.user, ['mist', 'list']);
    expect(left.mists.map((m) => m.id)).toEqual([fork.id]);
    // The same file again is the same mist, and it stays deleted.
    const refused = await world.answer<{ error: string }>(ann.user, ['mist', 'create', path], 4);
    expect(refused.error).toBe('Forbidden');
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a fork of a fork ... stops at depth 5: the sixth is ForkTooDeep, and nothing is committed',
  async () => {
    const cy = await world.initUser('cy', world.hub);
    const cz = await world.initUser('cz', world.hub);
    let parent = (await world.answer<Made>(cz.user, ['mist', 'create', await fileWith('chain.txt', 'depth 0\n')])).id;
    await world.answer(cy.user, ['follow', cz.handle]);
    for (let depth = 1; depth <= 5; depth++) {
      const fork = await world.answer<Made>(cy.user, ['mist', 'fork', parent]);
      // A fork of one's own has the same file, so it is changed before the next: a new file, a new mist.
      await world.answer(cy.user, ['mist', 'update', fork.id, await fileWith('chain.txt', `depth ${depth}\n`)]);
      parent = fork.id;
    }
    const { mists } = await world.answer<{ mists: MistView[] }>(cy.user, ['mist', 'list', '--mine']);
    expect(mists.find((m) => m.id === parent)?.forkOf?.depth).toBe(5);
    const refused = await world.answer<{ error: string }>(cy.user, ['mist', 'fork', parent], 4);
    expect(refused.error).toBe('ForkTooDeep');
    const after = await world.answer<{ mists: MistView[] }>(cy.user, ['mist', 'list', '--mine']);
    expect(after.mists).toHaveLength(mists.length);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a hostile file prints inert in words, exact in --json and --raw; a hostile name or description is refused',
  async () => {
    const dee = await world.initUser('dee', world.hub);
    // An OSC 52 clipboard write, a screen clear, a right-to-left override.
    const hostile = 'say \u001b]52;c;aGk=\u0007 hi \u001b[2J \u202egnp.exe\n';
    const { id } = await world.answer<Made>(dee.user, ['mist', 'create', await fileWith('notes.txt', hostile)]);
    const words = await murmur(world.cli, dee.user, ['mist', 'read', id]);
    expect(words.code).toBe(0);
    expect(words.stdout).toContain('say \uFFFD]52;c;aGk=\uFFFD hi \uFFFD[2J \uFFFDgnp.exe');
    for (const control of ['\u001b', '\u0007', '\u202e']) expect(words.stdout).not.toContain(control);
    expect((await world.answer<Read>(dee.user, ['mist', 'read', id])).text).toBe(hostile);
    expect((await murmur(world.cli, dee.user, ['mist', 'read', id, '--raw'])).stdout).toBe(hostile);

    const described = ['mist', 'create', await fileWith('ok.txt', 'fine\n'), '--description', 'x\u001b[31my'];
    expect((await world.answer<{ error: string }>(dee.user, described, 2)).error).toBe('InvalidField');
    const turned = await fileWith('evil\u202etxt.exe', 'boo\n');
    expect((await world.answer<{ error: string }>(dee.user, ['mist', 'create', turned], 2)).error).toBe('InvalidField');
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a secret mist reaches its hub sealed, opens from its link on a fresh device, and nowhere else',
  async () => {
    const dataDir = await world.tempDir('murmur-mist-secret-hub-');
    const hub = await world.hubProcess({ dataDir });
    const eve = await world.initUser('eve', hub);
    const fay = await world.initUser('fay', hub);
    await world.answer(fay.user, ['follow', eve.handle]);
    const marker = 'the-plans-are-under-the-mat';
    const path = await fileWith('plans.md', `# Plans\n${marker}\n`);
    const made = await world.answer<Made & { secret: boolean; link: string; linkKey: string }>(eve.user, [
      'mist',
      'create',
      path,
      '--secret',
      '--title',
      'secret-title-words',
    ]);
    expect(made).toMatchObject({ secret: true, sent: true, existing: false });
    expect(made.link).toContain(`#/mist/`);
    // No file of the hub holds the file's words or the title; the public control below shows the scan can see.
    const bytes = Buffer.concat(await filesUnder(dataDir)).toString('latin1');
    expect(bytes).not.toContain(marker);
    expect(bytes).not.toContain('secret-title-words');
    await world.answer(eve.user, ['mist', 'create', await fileWith('open.md', 'public-control-words\n')]);
    expect(Buffer.concat(await filesUnder(dataDir)).toString('latin1')).toContain('public-control-words');

    // Its author sees it among her own, with its link; no list shows it to anyone else.
    const mine = await world.answer<{ mists: MistView[] }>(eve.user, ['mist', 'list', '--mine']);
    expect(mine.mists.find((m) => m.id === made.id)).toMatchObject({ secret: true, title: 'secret-title-words' });
    const all = await world.answer<{ mists: MistView[] }>(eve.user, ['mist', 'list']);
    expect(all.mists.map((m) => m.id)).not.toContain(made.id);
    const seen = await world.answer<{ mists: MistView[] }>(fay.user, ['mist', 'list']);
    expect(seen.mists.map((m) => m.name)).toEqual(['open.md']);
    await world.answer(fay.user, ['mist', 'read', made.id], 5);

    // A device that follows no one and has never seen eve reads it from the link alone.
    const stranger = await world.newUser();
    const read = await world.answer<Read>(stranger, ['mist', 'read', made.link]);
    expect(read).toMatchObject({ id: made.id, author: eve.id, secret: true, text: `# Plans\n${marker}\n` });
    const wrongKey = made.link.replace(/k=[^&]+/, `k=${'A'.repeat(43)}`);
    expect((await world.answer<{ error: string }>(stranger, ['mist', 'read', wrongKey], 5)).error).toBe('NotFound');
    expect((await world.answer<{ error: string }>(fay.user, ['mist', 'fork', made.id], 5)).error).toBe('NotFound');

    // A new version is sealed under the same key: its link opens it, and it keeps the mist's id.
    const v2 = await world.answer<Made & { link: string }>(eve.user, [
      'mist',
      'update',
      made.id,
      await fileWith('plans.md', 'v2\n'),
    ]);
    expect(v2.id).toBe(made.id);
    expect((await world.answer<Read>(stranger, ['mist', 'read', v2.link])).text).toBe('v2\n');
    await world.answer(eve.user, ['mist', 'delete', made.id]);
    const after = await world.answer<{ mists: MistView[] }>(eve.user, ['mist', 'list', '--mine']);
    expect(after.mists.map((m) => m.id)).not.toContain(made.id);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a feed file carries its mists’ files, public and secret: imported on a new device, they read with no hub',
  async () => {
    const hub = await world.hubProcess();
    const hal = await world.initUser('hal', hub);
    const open = await world.answer<Made>(hal.user, ['mist', 'create', await fileWith('open.txt', 'open words\n')]);
    const secret = await world.answer<Made>(hal.user, [
      'mist',
      'create',
      await fileWith('closed.txt', 'closed words\n'),
      '--secret',
    ]);
    const file = join(await world.tempDir('murmur-mist-feed-'), 'hal.feed');
    await world.answer(hal.user, ['export-feed', file, '--with-key']);
    await hub.stop();

    const device = await world.newUser(hal.user.passphrase);
    expect(await world.answer(device, ['import-feed', file])).toMatchObject({ commits: 3, private: true });
    expect((await world.answer<Read>(device, ['mist', 'read', open.id])).text).toBe('open words\n');
    expect((await world.answer<Read>(device, ['mist', 'read', secret.id])).text).toBe('closed words\n');
  },
  CLI_TEST_TIMEOUT_MS,
);
