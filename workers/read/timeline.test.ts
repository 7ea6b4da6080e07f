/** The timeline read model and the merge rules that feed it (apply-plan), on a fake IndexedDB. */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { advanceTips, followWins } from '../store/apply-plan.ts';
import { applyCommits, findBlobs } from '../store/commit-store.ts';
import { type CoreDb, openCoreDb } from '../store/db.ts';
import { listTimeline } from './timeline.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, carolKey, daveKey] = [key(1), key(2), key(3), key(4)];
const [alice, bob, dave] = [aliceKey, bobKey, daveKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];

let db: CoreDb;
let n = 0;
const lastOf = new Map<PseudonymId, SignedCommit>();

beforeEach(async () => {
  db = await openCoreDb(`timeline-test-${++n}`);
  lastOf.clear();
  await db.put('pseudonyms', {
    id: alice,
    name: 'Alice',
    handle: 'alice@a.test',
    hubs: ['http://a.test'],
    createdAt: 0,
    secretKey: aliceKey,
  });
});

/** Appends a commit to `k`'s feed; posts carry their own ts. */
async function append(
  k: Uint8Array,
  ts: number,
  ops: (author: PseudonymId) => { ops: Op[]; posts: ReturnType<typeof buildPost>[] },
  queue = false,
) {
  const author = pseudonymOf(k);
  const parent = lastOf.get(author);
  const content = ops(author);
  const signed = buildCommit(k, {
    parents: parent ? [parent.id] : [],
    seq: (parent?.commit.seq ?? 0) + 1,
    ts,
    ops: content.ops,
  });
  lastOf.set(author, signed);
  await applyCommits(
    db,
    [{ signed, blobs: content.posts.map(({ id, bytes }) => ({ id, bytes })), posts: content.posts }],
    queue ? { outbox: { pseudonym: author, queuedAt: ts } } : {},
  );
  return signed;
}

const post = (k: Uint8Array, body: string, ts: number, queue = false) =>
  append(
    k,
    ts,
    (author) => {
      const p = buildPost({ author, body, ts });
      return { ops: [{ type: 'post', object: p.id }], posts: [p] };
    },
    queue,
  );
const follow = (k: Uint8Array, target: PseudonymId, handle: string, ts: number) =>
  append(k, ts, () => ({ ops: [{ type: 'follow', target, handle, hubs: ['http://b.test'] }], posts: [] }));
const unfollow = (k: Uint8Array, target: PseudonymId, ts: number) =>
  append(k, ts, () => ({ ops: [{ type: 'unfollow', target }], posts: [] }));

test('own posts and actively followed feeds, newest first, ties by id; others, unfollowed feeds left out', async () => {
  await follow(aliceKey, bob, 'bob@b.test', 1);
  await follow(aliceKey, dave, 'dave@b.test', 2);
  await unfollow(aliceKey, dave, 3);
  await post(aliceKey, 'a1', 100);
  await post(bobKey, 'b1', 200);
  await post(bobKey, 'b2', 300);
  await post(aliceKey, 'a2', 300);
  await post(carolKey, 'not followed', 250);
  await post(daveKey, 'unfollowed', 260);

  const items = await listTimeline(db, alice, { limit: 10 });
  const tied = items.filter((i) => i.ts === 300).map((i) => i.id);
  expect(tied).toEqual([...tied].sort().reverse());
  expect(items.map((i) => i.body).slice(2)).toEqual(['b1', 'a1']);
  expect(new Set(items.map((i) => i.body))).toEqual(new Set(['a1', 'a2', 'b1', 'b2']));
  expect(items.find((i) => i.body === 'b1')).toMatchObject({
    author: bob,
    authorHandle: 'bob@b.test',
    verified: true,
    queued: false,
  });
  expect(items.find((i) => i.body === 'a1')).toMatchObject({ author: alice, authorHandle: 'alice@a.test' });
});

test('pages: limit and a ts cursor walk back without repeats', async () => {
  await follow(aliceKey, bob, 'bob@b.test', 1);
  for (let i = 1; i <= 7; i++) await post(i % 2 ? aliceKey : bobKey, `p${i}`, i * 10);
  const first = await listTimeline(db, alice, { limit: 3 });
  expect(first.map((i) => i.body)).toEqual(['p7', 'p6', 'p5']);
  const second = await listTimeline(db, alice, { limit: 3, cursor: first.at(-1)! });
  expect(second.map((i) => i.body)).toEqual(['p4', 'p3', 'p2']);
  const third = await listTimeline(db, alice, { limit: 3, cursor: second.at(-1)! });
  expect(third.map((i) => i.body)).toEqual(['p1']);
  expect(await listTimeline(db, alice, { limit: 0 })).toEqual([]);
  expect(await listTimeline(db, bob, { limit: 5 })).toEqual([]); // not a pseudonym of this device
});

test('queued marks own posts whose commit is still in the outbox', async () => {
  await post(aliceKey, 'sent', 10);
  await post(aliceKey, 'waiting', 20, true);
  const items = await listTimeline(db, alice, { limit: 5 });
  expect(items.map((i) => [i.body, i.queued])).toEqual([
    ['waiting', true],
    ['sent', false],
  ]);
});

test('the same post object published twice shows once, with its earliest publication', async () => {
  const p = buildPost({ author: alice, body: 'once', ts: 5 });
  const first = await append(aliceKey, 10, () => ({ ops: [{ type: 'post', object: p.id }], posts: [p] }));
  await append(aliceKey, 20, () => ({ ops: [{ type: 'post', object: p.id }], posts: [p] }));
  const items = await listTimeline(db, alice, { limit: 5 });
  expect(items).toHaveLength(1);
  expect(items[0]!.commitId).toBe(first.id);
});

test('follows: last writer wins by (ts, commit id, op index), whatever the arrival order', () => {
  const row = (ts: number, commitId: string, opIndex: number, active: boolean) => ({
    pseudonym: alice,
    target: bob,
    hubs: [],
    ts,
    commitId: commitId as CommitId,
    opIndex,
    active,
  });
  expect(followWins(row(2, 'a', 0, false), row(1, 'b', 0, true))).toBe(true);
  expect(followWins(row(1, 'b', 0, false), row(1, 'a', 0, true))).toBe(true);
  expect(followWins(row(1, 'a', 1, false), row(1, 'a', 0, true))).toBe(true);
  expect(followWins(row(1, 'a', 0, false), row(1, 'a', 1, true))).toBe(false);
  expect(followWins(row(1, 'a', 0, false), undefined)).toBe(true);
});

test('applying the same commits again, or in another grouping, changes nothing', async () => {
  await follow(aliceKey, bob, 'bob@b.test', 1);
  const c = await post(aliceKey, 'x', 5);
  const before = {
    tips: await db.get('tips', alice),
    posts: await db.count('posts'),
    follows: await db.getAll('follows'),
  };
  const p = buildPost({ author: alice, body: 'x', ts: 5 });
  const result = await applyCommits(db, [{ signed: c, blobs: [p], posts: [p] }]);
  expect(result.added).toEqual([]);
  expect({
    tips: await db.get('tips', alice),
    posts: await db.count('posts'),
    follows: await db.getAll('follows'),
  }).toEqual(before);
});

test('tips advance: added commits become tips, their parents stop being tips', () => {
  const [r, a, b, m] = ['r', 'a', 'b', 'm'].map((x) => x.repeat(64)) as CommitId[];
  const one = advanceTips(alice, undefined, [{ id: r!, parents: [], seq: 1 }]);
  const two = advanceTips(alice, one, [
    { id: a!, parents: [r!], seq: 2 },
    { id: b!, parents: [r!], seq: 2 },
  ]);
  expect(two).toEqual({ author: alice, heads: [a, b], seq: 2 });
  expect(advanceTips(alice, two, [{ id: m!, parents: [a!, b!], seq: 3 }])).toEqual({
    author: alice,
    heads: [m],
    seq: 3,
  });
});

test('a big catch-up finds rows there: posts named before they came show who named them; held stay one', async () => {
  await follow(aliceKey, bob, 'bob@b.test', 1);
  const posts = Array.from({ length: 20 }, (_, i) => buildPost({ author: bob, body: `p${i}`, ts: 1000 + i }));
  // Carol reacts to one and alice replies to another before bob's feed is held.
  await append(carolKey, 900, () => ({ ops: [{ type: 'react', target: posts[3]!.id, emoji: '👍' }], posts: [] }));
  const reply = buildPost({ author: alice, body: 'reply', ts: 950, reply_to: posts[5]!.id });
  await append(aliceKey, 950, () => ({ ops: [{ type: 'post', object: reply.id }], posts: [reply] }));
  const feed = [];
  let parent: SignedCommit | undefined;
  for (const p of posts) {
    parent = buildCommit(bobKey, {
      parents: parent ? [parent.id] : [],
      seq: (parent?.commit.seq ?? 0) + 1,
      ts: p.value.ts,
      ops: [{ type: 'post', object: p.id }],
    });
    feed.push({ signed: parent, blobs: [{ id: p.id, bytes: p.bytes }], posts: [p] });
  }
  await applyCommits(db, feed.slice(0, 1));
  const result = await applyCommits(db, feed);

  expect(result.added).toHaveLength(19);
  const items = await listTimeline(db, alice, { limit: 50 });
  expect(items.filter((i) => i.author === bob).map((i) => i.body)).toEqual(posts.map((p) => p.value.body).reverse());
  expect(items.find((i) => i.id === posts[3]!.id)?.reactions).toEqual([{ emoji: '👍', count: 1, mine: false }]);
  expect(items.find((i) => i.id === posts[5]!.id)?.replies).toBe(1);
  // bob's twenty and the reply: the two rows that named posts early were filled, not left beside
  expect(await db.count('posts')).toBe(21);
});

test('a held post gives back the exact bytes hashing to its id (what a push sends), whatever its text', async () => {
  const signed = await post(aliceKey, 'naïve café 🎉 — "quoted" \\ back', 100);
  const id = (signed.commit.ops[0] as { object: ObjectId }).object;
  const found = await findBlobs(db, signed.commit.author, [id, signed.id]);
  expect(hashBytes(found.get(id)!)).toBe(id);
  expect(hashBytes(found.get(signed.id)!)).toBe(signed.id);
});
