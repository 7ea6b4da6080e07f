/**
 * `post --audience` and `lens` as real processes against a real hub: an
 * allowlist post leaves the device sealed (the hub holds `mau1` ciphertext,
 * never the text, while a public post's text is there) and only the named
 * reader's key opens it, a reader whose DM
 * key is not held is refused by name, a link post's printed link opens it
 * with the app's own link code, usage errors exit 2, and the lenses'
 * shares round-trip through the private document.
 */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createHubClient } from '../hub-client/client.ts';
import { pickVerify } from '../protocol/keys.ts';
import type { CommitId, ObjectId } from '../protocol/ids.ts';
import type { LinkedKey } from '../../workers/feed/media.ts';
import { linksOf } from '../../workers/private/links.ts';
import * as Y from 'yjs';
import { openLinkedPost } from '../../workers/feed/link-post.ts';
import { decodeBackup } from '../../workers/keys/backup.ts';
import { openSealedObject, openWithEnvelope } from '../protocol/audience.ts';
import { decodeCommit } from '../protocol/commits.ts';
import { decodePost } from '../protocol/objects.ts';
import type { SecretKey } from '../protocol/keys.ts';
import { type CliUser, murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';
import { filesUnder } from './testing/files-under.ts';
import type { LensAnswer } from './commands/lens.ts';
import type { TimelinePost } from './read/timeline.ts';

const world = cliWorldForFile();

interface Posted {
  readonly id: string;
  readonly commit: CommitId;
  readonly audience?: string;
  readonly linkKey?: string;
  readonly sent: boolean;
}

/** A user's secret key, through the app's backup file (`export`) as any device would move it. */
async function secretKeyOf(user: CliUser): Promise<SecretKey> {
  const file = join(await world.tempDir('murmur-audience-key-'), 'key.murmur');
  await world.answer(user, ['export', file]);
  return (await decodeBackup(await readFile(file), user.passphrase)).secretKey;
}

async function blobOf(hubUrl: string, id: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(`${hubUrl}/v1/blobs/${id}`)).arrayBuffer());
}

test(
  'an allowlist post reaches its hub sealed; a link post opens from its link; usage errors exit 2',
  async () => {
    const dataDir = await world.tempDir('murmur-audience-hub-');
    const hub = await world.hubProcess({ dataDir });
    const ann = await world.initUser('ann', hub);
    const ben = await world.initUser('ben', hub);
    const cat = await world.initUser('cat', hub);
    await world.answer(ben.user, ['dms']); // publishes his DM key
    await world.answer(ann.user, ['follow', ben.handle]);

    const secret = 'only for ben: the key is under the mat';
    const sealed = await world.answer<Posted>(ann.user, [
      'post',
      secret,
      '--audience',
      'allowlist',
      '--reader',
      ben.handle,
    ]);
    expect(sealed).toMatchObject({ audience: 'allowlist', sent: true });
    const blob = await blobOf(hub.url, sealed.id);
    expect(new TextDecoder().decode(blob.slice(0, 4))).toBe('mau1');
    // Ben opens it with the envelope his key reads, as the app's reader does; Cat, not named, cannot.
    const { commit } = decodeCommit(await blobOf(hub.url, sealed.commit), sealed.commit);
    const op = commit.ops.find((o) => o.type === 'post' && o.object === sealed.id);
    expect(op).toMatchObject({ audience: 'allowlist', keys: expect.any(String) });
    const envelope = await blobOf(hub.url, (op as { keys: string }).keys);
    const opened = decodePost(openWithEnvelope(blob, envelope, await secretKeyOf(ben.user)));
    expect(opened.value).toMatchObject({ author: ann.id, body: secret });
    const catKey = await secretKeyOf(cat.user);
    expect(() => openWithEnvelope(blob, envelope, catKey)).toThrow(expect.objectContaining({ name: 'NotAReader' }));
    const shout = 'a public word for everyone';
    await world.answer(ann.user, ['post', shout]);
    const files = await filesUnder(dataDir);
    expect(files.some((f) => f.includes(shout))).toBe(true); // the check below would see a clear text
    expect(files.some((f) => f.includes(secret))).toBe(false);

    // Cat's DM key is not held here: nothing is committed, NoDmKey by name (exit 5).
    const noKey = await murmur(world.cli, ann.user, [
      '--json',
      'post',
      'x',
      '--audience',
      'allowlist',
      '--reader',
      cat.handle,
    ]);
    expect(noKey.code).toBe(5);
    expect(noKey.json()).toMatchObject({ error: 'NoDmKey' });

    const picture = join(await mkdtemp(join(tmpdir(), 'murmur-picture-')), 'picture.png');
    const pictureBytes = new TextEncoder().encode(`a picture only the link opens ${'x'.repeat(500)}`);
    await writeFile(picture, pictureBytes);
    const linked = await murmur(world.cli, ann.user, [
      'post',
      'for whoever has the link',
      '--audience',
      'link',
      '--media',
      picture,
    ]);
    expect(linked.code).toBe(0);
    const href = /https?:\S+#\/link\/\S+/.exec(linked.stdout)?.[0];
    expect(href).toBeDefined();
    const url = new URL(href!);
    const [path, query] = url.hash.slice('#/link/'.length).split('?');
    const params = new URLSearchParams(query);
    expect(params.get('hub')).toBe(hub.url);
    const verify = await pickVerify();
    const keys = new Map<ObjectId, LinkedKey>();
    const viaLink = await openLinkedPost(
      (origin) => createHubClient(origin, fetch),
      verify,
      { hub: params.get('hub')!, commit: path as CommitId, key: `#k=${params.get('k')}` },
      keys,
    );
    expect(viaLink).toMatchObject({ body: 'for whoever has the link', audience: 'link' });
    // Its picture went sealed under the post's key, as the app seals it: the hub holds only ciphertext.
    const sealedPicture = await createHubClient(hub.url, fetch).getBlob(viaLink.media![0]!);
    expect(Buffer.from(sealedPicture).includes(Buffer.from(pictureBytes))).toBe(false);
    expect(openSealedObject(keys.get(viaLink.id)!.contentKey, sealedPicture)).toEqual(pictureBytes);
    // Its key is kept in the private state, for the pseudonym's other devices (workers/private/links.ts).
    const privateDir = join(ann.user.home, 'private');
    const kept = await Promise.all(
      (await readdir(privateDir)).map(async (file) => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, await readFile(join(privateDir, file)));
        return linksOf(doc);
      }),
    );
    expect(kept.flat()).toEqual([{ post: viaLink.id, commit: path, key: `#k=${params.get('k')}` }]);
    const json = await world.answer<Posted>(ann.user, ['post', 'another', '--audience', 'link']);
    expect(json.linkKey).toMatch(/^#k=/);

    for (const args of [
      ['post', 'x', '--audience', 'friends'],
      ['post', 'x', '--audience', 'allowlist'],
      ['post', 'x', '--audience', 'link', '--reader', ben.handle],
    ]) {
      const bad = await murmur(world.cli, ann.user, ['--json', ...args]);
      expect({ args, code: bad.code }).toEqual({ args, code: 2 });
      expect(bad.json()).toMatchObject({ error: 'Usage' });
    }
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a sealed post shows to its reader (timeline, thread, its edit, its audience) and to no one else',
  async () => {
    const dataDir = await world.tempDir('murmur-sealed-read-hub-');
    const hub = await world.hubProcess({ dataDir });
    const eve = await world.initUser('eve', hub);
    const fay = await world.initUser('fay', hub);
    const gus = await world.initUser('gus', hub);
    for (const reader of [fay, gus]) {
      await world.answer(reader.user, ['dms']); // publishes the reader's DM key
      await world.answer(reader.user, ['follow', eve.handle]);
    }
    await world.answer(eve.user, ['follow', fay.handle]);
    const body = 'for fay alone';
    const sealed = await world.answer<Posted>(eve.user, [
      ...['post', body, '--audience', 'allowlist', '--reader', fay.handle],
    ]);
    const after = await world.answer<Posted>(eve.user, ['post', 'public, after it']);
    const postsOf = async (user: CliUser) =>
      (await world.answer<{ posts: TimelinePost[] }>(user, ['timeline', '--limit', '50'])).posts;

    const atFay = (await postsOf(fay.user)).find((p) => p.id === sealed.id);
    expect(atFay).toMatchObject({ author: eve.id, body, audience: 'allowlist', edited: false });
    expect(Object.keys(atFay!)).not.toContain('readers'); // who opened it stays in the store
    expect((await murmur(world.cli, fay.user, ['timeline'])).stdout).toContain('(for people named)');
    const thread = (await world.answer<{ posts: TimelinePost[] }>(fay.user, ['thread', sealed.id])).posts;
    expect(thread.map((p) => p.body)).toEqual([body]);
    const gusPosts = await postsOf(gus.user);
    expect(gusPosts.map((p) => p.id)).toContain(after.id); // read past it...
    expect(gusPosts.map((p) => p.id)).not.toContain(sealed.id); // ...and it is not his to read
    expect(await world.answer(gus.user, ['thread', sealed.id], 5)).toMatchObject({ error: 'NotFound' });
    expect(await world.answer(fay.user, ['repost', sealed.id], 4)).toMatchObject({ error: 'Forbidden' });

    // Its author edits it on the command line: sealed under its key, so Fay reads the new words, the hub does not.
    const words = `second words ${crypto.randomUUID()}`;
    await world.answer(eve.user, ['edit', sealed.id, words]);
    expect((await postsOf(eve.user)).find((p) => p.id === sealed.id)).toMatchObject({ body: words, edited: true });
    expect((await postsOf(fay.user)).find((p) => p.id === sealed.id)).toMatchObject({ body: words, edited: true });
    const files = await filesUnder(dataDir);
    expect(files.some((f) => f.includes('public, after it'))).toBe(true); // the check below would see a clear text
    expect(files.some((f) => f.includes(words))).toBe(false);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  "lens shows each lens's share and sets them in the private document",
  async () => {
    const dan = await world.initUser('dan', world.hub);
    const off = { topics: 0, adjacent: 0, fresh: 0 };
    expect(await world.answer<LensAnswer>(dan.user, ['lens'])).toEqual({ following: 100, ...off });
    expect(await world.answer<LensAnswer>(dan.user, ['lens', '--topics', '20'])).toEqual({
      ...{ following: 80, ...off, topics: 20 },
    });
    expect(await world.answer<LensAnswer>(dan.user, ['lens', '--adjacent', '10', '--fresh', '30%'])).toEqual({
      ...{ following: 40, topics: 20, adjacent: 10, fresh: 30 },
    });
    expect(await world.answer<LensAnswer>(dan.user, ['lens'])).toEqual({
      ...{ following: 40, topics: 20, adjacent: 10, fresh: 30 },
    });
    const words = await murmur(world.cli, dan.user, ['lens']);
    expect(words.stdout).toMatch(/topics +20% \(public posts carrying your profile/);
    expect(words.stdout).toMatch(/adjacent +10% \(public posts on topics seen alongside yours/);
    expect(words.stdout).toMatch(/fresh +30% \(the first posts of people newly listed/);
    const bad = await murmur(world.cli, dan.user, ['lens', '--fresh', '15']);
    expect(bad.code).toBe(2);
    expect(await world.answer<LensAnswer>(dan.user, ['lens'])).toMatchObject({ fresh: 30 }); // refused: unchanged
    expect(
      await world.answer<LensAnswer>(dan.user, ['lens', '--topics', '0', '--adjacent', '0', '--fresh', '0']),
    ).toEqual({ following: 100, ...off });
    expect((await murmur(world.cli, dan.user, ['lens'])).stdout).toMatch(/topics +off/);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a followers post is sealed to the followers approved (settings --approve), and later ones without one taken off',
  async () => {
    const dataDir = await world.tempDir('murmur-followers-hub-');
    const hub = await world.hubProcess({ dataDir });
    const ann = await world.initUser('ann', hub);
    const ben = await world.initUser('ben', hub);
    const cat = await world.initUser('cat', hub);
    for (const p of [ben, cat]) {
      await world.answer(p.user, ['dms']); // publishes the DM key
      await world.answer(p.user, ['follow', ann.handle]);
      await world.answer(ann.user, ['follow', p.handle]); // her home holds their keys
    }
    const approved = await world.answer<{ approvedFollowers: string[] }>(ann.user, [
      'settings',
      '--approve',
      ben.handle,
    ]);
    expect(approved.approvedFollowers).toEqual([ben.id]);
    const [benKey, catKey] = [await secretKeyOf(ben.user), await secretKeyOf(cat.user)];
    const opens = async (posted: Posted, key: SecretKey) => {
      const { commit } = decodeCommit(await blobOf(hub.url, posted.commit), posted.commit);
      const op = commit.ops.find((o) => o.type === 'post' && o.object === posted.id) as { keys: string };
      const envelope = await blobOf(hub.url, op.keys);
      try {
        return decodePost(openWithEnvelope(await blobOf(hub.url, posted.id), envelope, key)).value.body;
      } catch (error) {
        return (error as Error).name;
      }
    };
    const first = await world.answer<Posted>(ann.user, ['post', 'for approved eyes', '--audience', 'followers']);
    expect(first).toMatchObject({ audience: 'followers', sent: true });
    expect([await opens(first, benKey), await opens(first, catKey)]).toEqual(['for approved eyes', 'NotAReader']);

    await world.answer(ann.user, ['settings', '--unapprove', ben.handle]);
    await world.answer(ann.user, ['settings', '--approve', cat.handle]);
    const second = await world.answer<Posted>(ann.user, ['post', 'later, for cat', '--audience', 'followers']);
    expect([await opens(second, benKey), await opens(second, catKey)]).toEqual(['NotAReader', 'later, for cat']);
    expect(await opens(first, benKey)).toBe('for approved eyes'); // what ben could read stays readable
    expect((await filesUnder(dataDir)).some((f) => f.includes('for approved eyes'))).toBe(false);
  },
  CLI_TEST_TIMEOUT_MS,
);
