/**
 * `murmur export-feed` and `import-feed` as real processes (the built bundle) against real hub processes: a
 * feed taken to a new home comes back byte for byte, private state and key included; a hub that lost
 * everything gets it all back from one `sync`; a damaged, forged or misdirected file is refused by name and
 * changes nothing.
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createHubClient } from '../hub-client/client.ts';
import { readFeedFile } from '../protocol/feed-file-reader.ts';
import { pickVerify } from '../protocol/keys.ts';
import type { TimelinePost } from './read/timeline.ts';
import { murmur } from './testing/cli-process.ts';
import type { CliUser } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

/** Every commit and object of a feed file, in file order, as hex (what "byte for byte" compares). */
async function contentOf(file: string): Promise<{ commits: string[]; blobs: string[] }> {
  const commits: string[] = [];
  const blobs: string[] = [];
  const verify = await pickVerify();
  for await (const item of readFeedFile(createReadStream(file), { verify, now: Date.now() })) {
    if (item.kind !== 'commit') continue;
    commits.push(`${item.commit.signed.id}:${Buffer.from(item.commit.signed.bytes).toString('hex')}`);
    for (const b of item.commit.blobs) blobs.push(`${b.id}:${Buffer.from(b.bytes).toString('hex')}`);
  }
  return { commits, blobs };
}

async function timelineOf(user: CliUser): Promise<TimelinePost[]> {
  return (await world.answer<{ posts: TimelinePost[] }>(user, ['timeline', '--limit', '500'])).posts;
}

test(
  'a feed exported with its key and imported into a new home is the same feed; sync gives it to a hub that lost it',
  async () => {
    const port = new URL(world.hub.url).port;
    const alice = await world.initUser('alice', world.hub);
    const bob = await world.initUser('bob', world.hub);
    const dir = await world.tempDir('murmur-feed-file-');
    const image = join(dir, 'photo.png');
    writeFileSync(image, Buffer.from('not really a png, but bytes all the same'));
    const first = await world.answer<{ id: string }>(alice.user, ['post', 'one']);
    await world.answer(alice.user, ['post', 'with a picture', '--media', image, '--tag', 'pics']);
    await world.answer(alice.user, ['edit', first.id, 'one, edited']);
    await world.answer(alice.user, ['follow', bob.handle]);
    await world.answer(alice.user, ['profile', 'set', '--name', 'Alice A.', '--avatar', image]);
    await world.answer(alice.user, ['draft', 'not yet']);
    await world.answer(alice.user, ['mute', 'word', 'spoilers']);

    const { seq } = await world.answer<{ seq: number }>(alice.user, ['status']); // a chain: seq commits
    const file = join(dir, 'alice.feed');
    const exported = await murmur(world.cli, alice.user, ['--json', 'export-feed', file, '--with-key', '--progress']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`exported ${seq} of ${seq} commits`);
    expect(exported.json()).toMatchObject({ id: alice.id, commits: seq, key: true });

    // Another device: a new home with nothing in it, and no network needed.
    const device = await world.newUser();
    const imported = await murmur(world.cli, device, ['--json', 'import-feed', file, '--progress']);
    expect({ code: imported.code, json: imported.json() }).toEqual({
      code: 0,
      json: {
        name: 'alice',
        id: alice.id,
        handle: alice.handle,
        commits: seq,
        added: seq,
        queued: seq,
        key: true,
        private: true,
      },
    });
    expect(imported.stderr).toContain(`verified ${seq} of ${seq} commits`);
    expect(imported.stderr).toContain(`imported ${seq} of ${seq} commits`);
    expect(await world.answer(device, ['whoami'])).toMatchObject({ id: alice.id, handle: alice.handle });
    expect(await timelineOf(device)).toEqual(await timelineOf(alice.user));
    expect((await world.answer<{ drafts: { body: string }[] }>(device, ['drafts'])).drafts).toMatchObject([
      { body: 'not yet' },
    ]);
    expect(await world.answer(device, ['mutes'])).toMatchObject({ mutedWords: [{ value: 'spoilers' }] });
    // Written again from the new home: the same commits and objects, byte for byte.
    const again = join(dir, 'again.feed');
    await world.answer(device, ['export-feed', again]);
    expect(await contentOf(again)).toEqual(await contentOf(file));

    // The hub loses everything; one sync from the imported home gives it back every byte.
    const held = await contentOf(file);
    await world.hub.stop();
    world.hub = await world.hubProcess({ port: Number(port) });
    expect(await world.answer(device, ['sync'])).toMatchObject({ state: 'synced', queued: 0 });
    const hub = createHubClient(world.hub.url, fetch);
    for (const entry of [...held.commits, ...held.blobs]) {
      const [id, hex] = entry.split(':') as [string, string];
      expect(Buffer.from(await hub.getBlob(id as never)).toString('hex')).toBe(hex);
    }
    const head = (await hub.getHeads([alice.id]))[alice.id];
    expect(head?.seq).toBe(seq);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a damaged, forged or misdirected file is refused by name and changes nothing',
  async () => {
    const carol = await world.initUser('carol', world.hub);
    const dave = await world.initUser('dave', world.hub);
    for (const text of ['a', 'b', 'c']) await world.answer(carol.user, ['post', text]);
    const dir = await world.tempDir('murmur-feed-file-');
    const file = join(dir, 'carol.feed');
    await world.answer(carol.user, ['export-feed', file, '--with-key']);
    const keyless = join(dir, 'carol-keyless.feed');
    await world.answer(carol.user, ['export-feed', keyless]);
    const bytes = readFileSync(file);
    const write = (name: string, content: Uint8Array) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const fresh = await world.newUser();
    const refused = async (user: CliUser, args: string[], code: number, error: string) =>
      expect(await world.answer(user, args, code)).toMatchObject({ error });

    // Each of these files carries the key: taken in, it would add carol to the fresh home.
    await refused(fresh, ['import-feed', write('cut.feed', bytes.subarray(0, bytes.length - 40))], 4, 'Truncated');
    const flipped = Buffer.from(bytes);
    flipped[bytes.indexOf('"body":"b"') + 8]! ^= 0x01; // the post's bytes no longer hash to the id its commit names
    await refused(fresh, ['import-feed', write('flipped.feed', flipped)], 4, 'HashMismatch');
    const backup = readFileSync(join(carol.user.home, 'keys', 'carol.murmur'));
    await refused(fresh, ['import-feed', write('backup.feed', backup)], 4, 'DecodeError');
    // No key in the file, and a home that does not hold carol: nothing to take it in as.
    await refused(fresh, ['import-feed', keyless], 5, 'NoPseudonym');
    // dave's home asked to take carol's feed as dave's.
    await refused(dave.user, ['--as', 'dave', 'import-feed', file], 4, 'WrongAuthor');
    expect(await world.answer(fresh, ['whoami'], 5)).toMatchObject({ error: 'NoPseudonym' });
    expect(await world.answer(dave.user, ['status'])).toMatchObject({ seq: 1, queued: 0 }); // init's commit alone
    expect(await timelineOf(dave.user)).toEqual([]);
  },
  CLI_TEST_TIMEOUT_MS,
);
