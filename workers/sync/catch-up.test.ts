/**
 * Catch-up through feed logs against a real hub: 2,000 new commits cost a
 * few dozen requests (not one per commit), progress is reported, the parent
 * walk still covers what a log leaves out, and the protocol's invalid commit
 * vectors are refused by the ingest verifier with their error names, with
 * nothing stored.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildCommit } from '../../src/protocol/commits.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { utf8 } from '../../src/protocol/bytes.ts';
import { MAX_BATCH_IDS } from '../../src/protocol/routes.ts';
import invalid from '../../src/protocol/vectors/invalid.json' with { type: 'json' };
import { growFeed, pushFeed } from '../../src/hub/testing/feed-fixture.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { applyCommits, countCommits } from '../store/commit-store.ts';
import { walkFeed } from '../feed/dag-walk.ts';
import { type CoreDb, openCoreDb } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { createHubClient } from '../net/hub-client.ts';
import { type IngestDeps, heldStore, ingestFeed } from '../feed/ingest.ts';
import { MAX_SEGMENTS } from '../feed/catch-up-plan.ts';
import { listTimeline } from '../read/timeline.ts';
import { Network } from '../testing/device.ts';

const aliceKey = secretKeyFrom(new Uint8Array(32).fill(21));
const bobKey = secretKeyFrom(new Uint8Array(32).fill(22));
const alice = pseudonymOf(aliceKey);
const bob = pseudonymOf(bobKey);

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ limits: { perPseudonym: { perSecond: 0, burst: 1 }, perIp: { perSecond: 0, burst: 1 } } });
});
afterAll(() => t.stop());

let dbs = 0;
async function aliceFollowingBob(): Promise<{ db: CoreDb; net: Network; deps: IngestDeps }> {
  const db = await openCoreDb(`catch-up-${process.pid}-${++dbs}`);
  await db.put('pseudonyms', { id: alice, name: 'Alice', hubs: [t.url], createdAt: 0, secretKey: aliceKey });
  const follow = buildCommit(aliceKey, {
    parents: [],
    seq: 1,
    ts: Date.now(),
    ops: [{ type: 'follow', target: bob, hubs: [t.url] }],
  });
  await applyCommits(db, [{ signed: follow, blobs: [], posts: [] }]);
  const net = new Network();
  return {
    db,
    net,
    deps: {
      store: new IdbCoreStore(db),
      verify: nobleVerify,
      now: Date.now,
      hub: (o) => createHubClient(o, net.fetch),
    },
  };
}

test('2,000 new commits via the feed log take a few dozen requests, with progress; 100 more, a handful', async () => {
  const feed = growFeed(bobKey, undefined, 2000, 1024);
  await pushFeed(t.url, feed);
  const { db, net, deps } = await aliceFollowingBob();
  const progress: [number, number][] = [];
  const result = await ingestFeed(deps, bob, {
    hubs: [t.url],
    onProgress: (done, total) => progress.push([done, total]),
  });
  expect(result.added).toBe(2000);
  const requests = net.log.length;
  console.info(
    `catch-up of 2,000 commits: ${requests} requests ` +
      `(${net.log.filter((l) => l === 'POST /v1/blobs/batch').length} batches)`,
  );
  expect(requests).toBeLessThanOrEqual(30);
  expect(net.log.filter((l) => l === 'POST /v1/blobs/batch').length).toBeGreaterThanOrEqual(
    Math.ceil(4000 / MAX_BATCH_IDS),
  ); // 4,000 blobs, MAX_BATCH_IDS per request
  // Progress counts up to the total the log made known from the first round.
  expect(progress[0]![1]).toBe(2000);
  expect(progress.at(-1)).toEqual([2000, 2000]);
  const page = await listTimeline(db, alice, { limit: 50 });
  expect(page).toHaveLength(50);
  // Newest first (growFeed dates posts by the clock, so the newest may share its ms with others).
  expect(page[0]!.ts).toBe(feed.commits.at(-1)!.commit.ts);
  expect(page.every((item, i) => i === 0 || item.ts <= page[i - 1]!.ts)).toBe(true);

  const more = growFeed(bobKey, feed, 100, 1024);
  await pushFeed(t.url, more, feed);
  net.log.length = 0;
  expect((await ingestFeed(deps, bob, { hubs: [t.url] })).added).toBe(100);
  expect(net.log.length).toBeLessThanOrEqual(6);
  db.close();
}, 120_000);

test('a head without a log, or a log that misses commits, still catches up by walking parents', async () => {
  const k = secretKeyFrom(new Uint8Array(32).fill(23));
  const author = pseudonymOf(k);
  const feed = growFeed(k, undefined, 30, 10);
  // Only the newest segment (10 commits) reaches the hub: its prev is missing, so the other 20 come by the parent walk.
  const partial = feed.logs.at(-1)!;
  await pushFeed(t.url, { ...feed, logs: [partial] });
  const { net, deps, db } = await aliceFollowingBob();
  expect((await ingestFeed(deps, author, { hubs: [t.url] })).added).toBe(30);
  expect(net.log.length).toBeLessThan(30);
  db.close();
});

test('a log of more than MAX_SEGMENTS segments is read on while it lists fewer commits than are new', async () => {
  const k = secretKeyFrom(new Uint8Array(32).fill(24));
  const author = pseudonymOf(k);
  // Segments of 4 ids: 75 of them, 11 past MAX_SEGMENTS (64). Walked by parents, those 44 commits would cost a
  // request or two each; read from the log, they come in the same few batches as the rest.
  const feed = growFeed(k, undefined, 300, 4);
  expect(feed.logs.length).toBeGreaterThan(MAX_SEGMENTS);
  await pushFeed(t.url, feed);
  const { net, deps, db } = await aliceFollowingBob();
  expect((await ingestFeed(deps, author, { hubs: [t.url] })).added).toBe(300);
  // One request per segment, a few batches of commits and posts, and the head.
  expect(net.log.length).toBeLessThanOrEqual(feed.logs.length + Math.ceil(600 / MAX_BATCH_IDS) + 6);
  db.close();
});

const commitCases = invalid.cases.filter((c) => c.kind === 'commit');

test('there are invalid commit vectors', () => expect(commitCases.length).toBeGreaterThan(10));

for (const c of commitCases) {
  test(`ingest refuses: ${c.comment} (${c.error}), storing nothing`, async () => {
    const bytes = utf8(c.text);
    const id = hashBytes(bytes) as CommitId;
    const claimed = (JSON.parse(c.text) as { author: PseudonymId }).author;
    const db = await openCoreDb(`vectors-${process.pid}-${++dbs}`);
    // Served as a hub would serve the blob; the ingest verifier (dag-walk) decides, then the store would write.
    const source = async (ids: readonly ObjectId[]) => ids.filter((i) => i === id).map((i) => ({ id: i, bytes }));
    const walked = walkFeed(source, heldStore(new IdbCoreStore(db), claimed), {
      author: claimed,
      tips: [id],
      verify: nobleVerify,
      now: 1_900_000_000_000,
    }).then((walk) => applyCommits(db, walk.commits));
    await expect(walked).rejects.toMatchObject({ name: c.error });
    expect(await countCommits(db)).toBe(0);
    expect(await db.count('blobs')).toBe(0);
    expect(await db.count('posts')).toBe(0); // post rows carry the timeline (its index)
    db.close();
  });
}
