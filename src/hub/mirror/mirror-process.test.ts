/**
 * Mirroring between two real hub processes (the built main.js), each
 * restarted (the mirror twice, once by SIGKILL): the mirror resumes from its durable cursor after its own
 * restart, reconnects after the source's, refuses a forged head written
 * straight into the source's log, and ends with the same verified heads and
 * every blob of their feeds.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fromUtf8 } from '../../protocol/bytes.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import { type Feed, growFeed, pushFeed } from '../testing/feed-fixture.ts';
import { type BuiltHub, buildHub } from '../testing/hub-build.ts';
import { alice, aliceKey, bob, bobKey, headsOf, statusOf, waitFor } from '../testing/hub-fixture.ts';
import { type HubProcess, spawnHub } from '../testing/hub-process.ts';

let built: BuiltHub;
const dirs: string[] = [];
const running: HubProcess[] = [];
beforeAll(async () => {
  built = await buildHub();
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await Promise.all([...dirs.map((d) => rm(d, { recursive: true, force: true })), built.remove()]);
});

async function start(dataDir: string, port?: number, peers?: string): Promise<HubProcess> {
  const p = await spawnHub(built.main, { dataDir, ...(port && { port }), args: peers ? ['--peers', peers] : [] });
  running.push(p);
  return p;
}

async function holdsAll(hub: HubProcess, feed: Feed): Promise<boolean> {
  const ids = [...feed.commits, ...feed.objects].map((b) => b.id);
  const res = await fetch(`${hub.url}/v1/blobs/missing`, { method: 'POST', body: JSON.stringify({ ids }) });
  return ((await res.json()) as { missing: string[] }).missing.length === 0;
}

test('a mirror process follows a source process across restarts of each, refusing a forged head', async () => {
  const [dirA, dirB] = await Promise.all([
    mkdtemp(join(tmpdir(), 'murmur-source-')),
    mkdtemp(join(tmpdir(), 'murmur-mirror-')),
  ]);
  dirs.push(dirA, dirB);
  let source = await start(dirA);
  const aliceFeed = growFeed(aliceKey, undefined, 3);
  const bobFeed = growFeed(bobKey, undefined, 2);
  await pushFeed(source.url, aliceFeed);
  await pushFeed(source.url, bobFeed);

  let mirror = await start(dirB, undefined, source.url);
  await waitFor('the backfill', async () => (await statusOf(mirror.url)).peers[0]?.state === 'live');
  expect(await headsOf(mirror.url, [alice, bob])).toEqual(await headsOf(source.url, [alice, bob]));
  expect((await statusOf(mirror.url)).peers[0]).toMatchObject({ url: source.url, mirrored: 2, behind: 0 });

  // The mirror stops (SIGTERM, cleanly); the source takes a new head meanwhile.
  expect(await mirror.stop()).toBe(0);
  const alice2 = growFeed(aliceKey, aliceFeed, 2);
  await pushFeed(source.url, alice2, aliceFeed);
  mirror = await start(dirB, mirror.port, source.url);
  await waitFor(
    'the catch-up after the mirror restarted',
    async () => (await headsOf(mirror.url, [alice]))[alice]?.seq === 5,
  );
  // Its cursor was kept: only the new head was mirrored again, not the whole log.
  expect((await statusOf(mirror.url)).peers[0]).toMatchObject({ mirrored: 1, refused: 0 });
  expect(await holdsAll(mirror, alice2)).toBe(true);

  // The source stops; a forged head (carol's, signed by bob) is written straight into its log.
  expect(await source.stop()).toBe(0);
  const carol = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(3)));
  const forged = buildSignedUnchecked(
    { type: 'head', author: carol, heads: [aliceFeed.commits[0]!.id], seq: 1, ts: Date.now() },
    bobKey,
  );
  const log = join(dirA, 'heads.log');
  const lastSeq = Number((await readFile(log, 'utf8')).trim().split('\n').at(-1)!.split(' ')[0]);
  await appendFile(log, `${lastSeq + 1} ${fromUtf8(forged)}\n`);
  source = await start(dirA, source.port);
  expect(Object.keys(await headsOf(source.url, [carol]))).toEqual([carol]);
  const bob2 = growFeed(bobKey, bobFeed, 1);
  await pushFeed(source.url, bob2, bobFeed);

  await waitFor(
    'the new head after the source restarted',
    async () => (await headsOf(mirror.url, [bob]))[bob]?.seq === 3,
  );
  // The cursor moves once the whole page is done, just after the head is stored; the stream reopens on its
  // own backoff, which on a busy machine can end after the change log was read (a pull needs no stream).
  await waitFor('the cursor, and the stream open again', async () => {
    const status = (await statusOf(mirror.url)).peers[0];
    return status?.behind === 0 && status.state === 'live';
  });
  const peer = (await statusOf(mirror.url)).peers[0]!;
  expect(peer).toMatchObject({ state: 'live', mirrored: 2, refused: 1, behind: 0 });
  expect(peer.lastError?.message).toMatch(/BadSignature/);
  expect(await headsOf(mirror.url, [carol])).toEqual({});
  expect(await headsOf(mirror.url, [alice, bob])).toEqual(await headsOf(source.url, [alice, bob]));
  expect(await holdsAll(mirror, alice2)).toBe(true);
  expect(await holdsAll(mirror, bob2)).toBe(true);

  // Killed outright (SIGKILL), the mirror still resumes from its durable cursor.
  await mirror.stop('SIGKILL');
  const alice3 = growFeed(aliceKey, alice2, 1);
  await pushFeed(source.url, alice3, alice2);
  mirror = await start(dirB, mirror.port, source.url);
  await waitFor('the catch-up after a SIGKILL', async () => (await headsOf(mirror.url, [alice]))[alice]?.seq === 6);
  expect((await statusOf(mirror.url)).peers[0]).toMatchObject({ mirrored: 1, refused: 0 });
  expect(await holdsAll(mirror, alice3)).toBe(true);
});
