/**
 * Mirroring between two in-process hubs (the restart cases run real
 * processes, in mirror-process.test.ts): backfill of heads with their DAGs
 * and objects, live follow, announcement on the mirror's own stream, the
 * newness rule, the authors filter, and refusal of forged commits.
 */
import { afterEach, expect, test } from 'vitest';
import type { PseudonymId } from '../../protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import type { PeerStatus } from '../../protocol/routes.ts';
import { type Feed, forgedCommit, growFeed, headNaming, pushFeed, putHeadOf } from '../testing/feed-fixture.ts';
import {
  type TestHub,
  type TestHubOptions,
  alice,
  aliceKey,
  bob,
  bobKey,
  headsOf,
  putBlob,
  statusOf,
  waitFor,
} from '../testing/hub-fixture.ts';
import { mirrorHubs } from '../testing/mirror-hubs.ts';

const hubs = mirrorHubs();
afterEach(hubs.stopAll);
const hub = (options: TestHubOptions = {}) => hubs.start(options);

const peerOf = async (t: TestHub): Promise<PeerStatus> => (await statusOf(t.url)).peers[0]!;
const holds = async (t: TestHub, id: string) => (await fetch(`${t.url}/v1/blobs/${id}`)).status === 200;

async function sameHeads(a: TestHub, b: TestHub, authors: readonly PseudonymId[]): Promise<boolean> {
  return JSON.stringify(await headsOf(a.url, authors)) === JSON.stringify(await headsOf(b.url, authors));
}

async function holdsFeed(t: TestHub, feed: Feed): Promise<boolean> {
  for (const blob of [...feed.commits, ...feed.objects]) if (!(await holds(t, blob.id))) return false;
  return true;
}

test('backfills every head with its commits and objects, then follows live, announcing on its own stream', async () => {
  const source = await hub();
  const aliceFeed = growFeed(aliceKey, undefined, 5);
  const bobFeed = growFeed(bobKey, undefined, 2);
  await pushFeed(source.url, aliceFeed);
  await pushFeed(source.url, bobFeed);

  const mirror = await hub({ peers: [source.url] });
  await waitFor(
    'the backfill',
    async () => (await peerOf(mirror)).state === 'live' && (await sameHeads(source, mirror, [alice, bob])),
  );
  expect(await holdsFeed(mirror, aliceFeed)).toBe(true);
  expect(await holdsFeed(mirror, bobFeed)).toBe(true);
  expect(await peerOf(mirror)).toMatchObject({
    url: source.url,
    state: 'live',
    cursor: 2,
    last: 2,
    behind: 0,
    mirrored: 2,
    refused: 0,
    lastError: null,
  });

  // Live: a new head on the source reaches the mirror's own subscribers and change log.
  const controller = new AbortController();
  const stream = await fetch(`${mirror.url}/v1/stream?authors=${alice}`, { signal: controller.signal });
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  const grown = growFeed(aliceKey, aliceFeed, 2);
  await pushFeed(source.url, grown, aliceFeed);
  let text = '';
  while (!text.includes(`"seq":${grown.head.head.seq}`)) text += (await reader.read()).value ?? '';
  controller.abort();
  expect(await holdsFeed(mirror, grown)).toBe(true);
  const changes = (await (await fetch(`${mirror.url}/v1/changes`)).json()) as {
    changes: { author: string; head: { seq: number } }[];
  };
  expect(changes.changes.map((c) => [c.author, c.head.seq])).toEqual([
    [bob, 2],
    [alice, 7],
  ]);
  await waitFor('the cursor to follow', async () => (await peerOf(mirror)).cursor === 3);
});

test('a head naming a feed log is backfilled in a few batch requests, log included', async () => {
  const lines: string[] = [];
  const source = await hub({ log: (line) => lines.push(line) });
  const long = growFeed(aliceKey, undefined, 150, 50);
  expect(long.logs.length).toBe(3);
  await pushFeed(source.url, long);
  const batches = () => lines.filter((l) => l.includes('"path":"/v1/blobs/batch"')).length;
  const before = batches();
  const mirror = await hub({ peers: [source.url] });
  await waitFor('the backfill', async () => (await headsOf(mirror.url, [alice]))[alice]?.seq === 150);
  expect(await holdsFeed(mirror, long)).toBe(true);
  for (const segment of long.logs) expect(await holds(mirror, segment.id)).toBe(true);
  // 3 log segments, 1 batch of the 150 commits, 1 of their posts: not 150 parent-by-parent steps.
  expect(batches() - before).toBe(5);
});

test('refuses a head whose commits do not verify, storing none of it; a later honest head is taken', async () => {
  const source = await hub();
  const honest = growFeed(aliceKey, undefined, 2);
  await pushFeed(source.url, honest);
  // A commit in alice's name signed by bob, and one signed by bob as bob: the source stores both as blobs.
  const forged = forgedCommit(alice, bobKey, honest.commits.at(-1)!);
  const bobs = growFeed(bobKey, undefined, 1).commits[0]!;
  await putBlob(source.url, forged.id, forged.bytes);
  await putBlob(source.url, bobs.id, bobs.bytes, bobKey);
  await putHeadOf(source.url, headNaming(aliceKey, forged.id, 3));
  const carolKey = secretKeyFrom(new Uint8Array(32).fill(3));
  const carol = pseudonymOf(carolKey);
  await putHeadOf(source.url, headNaming(carolKey, bobs.id, 1));

  const mirror = await hub({ peers: [source.url] });
  await waitFor('both refusals', async () => (await peerOf(mirror)).refused === 2);
  const peer = await peerOf(mirror);
  expect(peer.lastError?.message).toMatch(/WrongAuthor/);
  expect(await headsOf(mirror.url, [alice, carol])).toEqual({});
  expect(await holds(mirror, forged.id)).toBe(false);
  expect(await holds(mirror, bobs.id)).toBe(false);
  expect(await holds(mirror, honest.commits[0]!.id)).toBe(false);

  // Alice's next honest head (not built on the forgery) is mirrored with its whole DAG.
  const next = growFeed(aliceKey, honest, 2);
  await pushFeed(source.url, next, honest);
  await waitFor('the honest head', async () => (await headsOf(mirror.url, [alice]))[alice]?.seq === 4);
  expect(await holdsFeed(mirror, next)).toBe(true);
  expect(await holds(mirror, forged.id)).toBe(false);
});

test('a commit merely held here (anyone may upload a blob) is verified like one fetched', async () => {
  const source = await hub();
  const honest = growFeed(aliceKey, undefined, 1);
  await pushFeed(source.url, honest);
  const forged = forgedCommit(alice, bobKey, honest.commits[0]!);
  await putBlob(source.url, forged.id, forged.bytes);
  await putHeadOf(source.url, headNaming(aliceKey, forged.id, 2));
  // Bob uploads the forgery to the mirror too, before it starts mirroring.
  const before = await hub();
  expect((await putBlob(before.url, forged.id, forged.bytes, bobKey)).status).toBe(201);
  await before.hub.close();
  const mirror = await hub({ dataDir: before.dataDir, peers: [source.url] });
  await waitFor('the refusal', async () => (await peerOf(mirror)).refused === 1);
  expect((await peerOf(mirror)).lastError?.message).toMatch(/BadSignature/);
  expect(await headsOf(mirror.url, [alice])).toEqual({});
});

test('a head no newer than the one held is skipped, not counted; only the chosen authors are mirrored', async () => {
  const source = await hub();
  const old = growFeed(aliceKey, undefined, 1);
  await pushFeed(source.url, old);
  await pushFeed(source.url, growFeed(bobKey, undefined, 1));
  // The mirror already holds a newer head of alice's before it starts mirroring.
  const before = await hub();
  await pushFeed(before.url, growFeed(aliceKey, old, 1));
  await before.hub.close();
  const mirror = await hub({ dataDir: before.dataDir, peers: [source.url], mirrorAuthors: [alice] });
  await waitFor('the catch-up', async () => (await peerOf(mirror)).state === 'live');
  expect(await peerOf(mirror)).toMatchObject({ cursor: 2, mirrored: 0, refused: 0 });
  expect(await headsOf(mirror.url, [alice, bob])).toEqual({ [alice]: expect.objectContaining({ seq: 2 }) });
});

test('a peer that cannot be reached is shown offline with its error, and mirrored once it can be', async () => {
  const source = await hub();
  const port = source.hub.port;
  await source.hub.close();
  const mirror = await hub({ peers: [source.url] });
  await waitFor('the error', async () => (await peerOf(mirror)).lastError !== null);
  expect(await peerOf(mirror)).toMatchObject({
    state: 'backfilling',
    secondsSinceContact: null,
    lastError: { message: expect.stringMatching(/could not be reached/) },
  });

  const back = await hub({ dataDir: source.dataDir, port });
  await pushFeed(back.url, growFeed(aliceKey, undefined, 1));
  await waitFor('the head', async () => (await headsOf(mirror.url, [alice]))[alice]?.seq === 1);
  await waitFor('live', async () => (await peerOf(mirror)).state === 'live');
  expect((await peerOf(mirror)).secondsSinceContact).toBeLessThan(5);
});
