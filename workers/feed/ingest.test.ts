/**
 * Verified ingest against an in-memory hub that serves whatever the test puts
 * in it: a DAG walked in batches, and every kind of forgery refused with its
 * name and nothing stored.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { type SignedHead, buildHead, headToJson } from '../../src/protocol/heads.ts';
import { type CommitId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import { type CoreDb, openCoreDb } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { createHubClient } from '../net/hub-client.ts';
import { type IngestDeps, ingestFeed } from './ingest.ts';
import { MemoryHub } from '../testing/memory-hub.ts';
import { countCommits } from '../store/commit-store.ts';
import { ROWS_AT_ONCE, packedPostCount } from '../store/lazy-posts.ts';

const bobKey = secretKeyFrom(new Uint8Array(32).fill(2));
const malloryKey = secretKeyFrom(new Uint8Array(32).fill(66));
const bob = pseudonymOf(bobKey);
const mallory = pseudonymOf(malloryKey);
const T = 1_700_000_000_000;

let db: CoreDb;
let hub: MemoryHub;
let dbs = 0;
beforeEach(async () => {
  db = await openCoreDb(`ingest-test-${++dbs}`);
  hub = new MemoryHub();
});

function deps(...hubs: MemoryHub[]): IngestDeps {
  const all = hubs.length > 0 ? hubs : [hub];
  return {
    store: new IdbCoreStore(db),
    verify: nobleVerify,
    now: () => T + 60_000,
    hub: (origin) => createHubClient(origin, all.find((h) => h.origin === origin)!.fetch),
  };
}

/** A commit of `key` with one post, its blobs put on the hub. */
function postCommit(
  key: Uint8Array,
  body: string,
  parents: SignedCommit[] = [],
  at = 0,
  target = hub,
): { commit: SignedCommit; post: BuiltObject<PostObject> } {
  const post = buildPost({ author: pseudonymOf(key), body, ts: T + at });
  const seq = parents.length === 0 ? 1 : 1 + Math.max(...parents.map((p) => p.commit.seq));
  const commit = buildCommit(key, {
    parents: parents.map((p) => p.id),
    seq,
    ts: T + at,
    ops: [{ type: 'post', object: post.id }],
  });
  target.put(post, commit);
  return { commit, post };
}

function publish(head: SignedHead, target = hub): void {
  target.heads.set(head.head.author, headToJson(head));
}

function headOf(key: Uint8Array, tips: SignedCommit[]): SignedHead {
  return buildHead(key, { heads: tips.map((t) => t.id), seq: Math.max(...tips.map((t) => t.commit.seq)), ts: T });
}

async function stored() {
  // Commits and posts keep their bytes in their own rows (not also in blobs): every blob held is counted.
  const posts = await db.countFromIndex('posts', 'byAuthorTs');
  const commits = await countCommits(db);
  return { blobs: (await db.count('blobs')) + commits + posts, commits, posts, tips: await db.count('tips') };
}
const NOTHING = { blobs: 0, commits: 0, posts: 0, tips: 0 };

async function refusal(author: PseudonymId = bob, d: IngestDeps = deps()): Promise<string> {
  try {
    await ingestFeed(d, author, { hubs: [hub.origin] });
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('ingest accepted it');
}

test('a wide DAG is fetched in batches: one round trip per level, not per commit', async () => {
  const root = postCommit(bobKey, 'root');
  const branches = Array.from({ length: 12 }, (_, i) => postCommit(bobKey, `branch ${i}`, [root.commit], i + 1));
  const merge = postCommit(
    bobKey,
    'merge',
    branches.map((b) => b.commit),
    100,
  );
  publish(headOf(bobKey, [merge.commit]));
  const progress: [number, number][] = [];

  const result = await ingestFeed(deps(), bob, {
    hubs: [hub.origin],
    onProgress: (done, total) => progress.push([done, total]),
  });

  expect(result).toMatchObject({ added: 14, posts: 14 });
  expect(hub.count('POST /v1/blobs/batch')).toBe(4); // merge; branches + its post; root + 12 posts; root's post
  expect(await stored()).toEqual({ blobs: 28, commits: 14, posts: 14, tips: 1 });
  expect(await db.get('tips', bob)).toEqual({ author: bob, heads: [merge.commit.id], seq: 3 });
  expect(progress.at(-1)).toEqual([14, 14]);
  expect(progress.every(([done, total]) => done <= total)).toBe(true);

  // Again: the head is held, nothing is fetched.
  const again = await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect(again.added).toBe(0);
  expect(hub.count('POST /v1/blobs/batch')).toBe(4);
});

test('only what is missing is fetched: a second ingest walks back to the commits already held', async () => {
  const first = postCommit(bobKey, 'one');
  publish(headOf(bobKey, [first.commit]));
  await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  const second = postCommit(bobKey, 'two', [first.commit], 1);
  publish(headOf(bobKey, [second.commit]));
  const result = await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect(result.added).toBe(1);
  expect(await db.get('tips', bob)).toEqual({ author: bob, heads: [second.commit.id], seq: 2 });
});

test('a head signed by another key is refused (BadSignature) and nothing is stored', async () => {
  const { commit } = postCommit(bobKey, 'real');
  const forged = buildHead(malloryKey, { heads: [commit.id], seq: 1, ts: T });
  hub.heads.set(bob, { ...headToJson(forged), author: bob });
  expect(await refusal()).toBe('BadSignature');
  expect(await stored()).toEqual(NOTHING);
});

test("mallory's own valid head served as bob's is refused (WrongAuthor)", async () => {
  const { commit } = postCommit(malloryKey, 'mine');
  hub.heads.set(bob, headToJson(headOf(malloryKey, [commit])));
  expect(await refusal()).toBe('WrongAuthor');
  expect(await stored()).toEqual(NOTHING);
});

test('a blob whose bytes do not match its id is refused (HashMismatch) and nothing of the feed is stored', async () => {
  const good = postCommit(bobKey, 'good');
  const bad = postCommit(bobKey, 'tampered', [good.commit], 1);
  hub.blobs.set(bad.post.id, buildPost({ author: bob, body: 'swapped', ts: T }).bytes);
  publish(headOf(bobKey, [bad.commit]));
  expect(await refusal()).toBe('HashMismatch');
  expect(await stored()).toEqual(NOTHING);
});

test("a commit by another key inside bob's DAG is refused (WrongAuthor)", async () => {
  const intruder = postCommit(malloryKey, 'intruder');
  const tip = postCommit(bobKey, 'on top', [intruder.commit], 1);
  publish(headOf(bobKey, [tip.commit]));
  expect(await refusal()).toBe('WrongAuthor');
  expect(await stored()).toEqual(NOTHING);
});

test("a post object in someone else's name is refused (WrongAuthor)", async () => {
  const post = buildPost({ author: mallory, body: 'words in mallory’s name', ts: T });
  const commit = buildCommit(bobKey, { parents: [], seq: 1, ts: T, ops: [{ type: 'post', object: post.id }] });
  hub.put(post, commit);
  publish(headOf(bobKey, [commit]));
  expect(await refusal()).toBe('WrongAuthor');
  expect(await stored()).toEqual(NOTHING);
});

test('a seq not following the parents is refused (BadSeq), as is a head whose seq its tips do not have', async () => {
  const root = postCommit(bobKey, 'root');
  const post = buildPost({ author: bob, body: 'skips ahead', ts: T });
  const skip = buildCommit(bobKey, {
    parents: [root.commit.id],
    seq: 7,
    ts: T,
    ops: [{ type: 'post', object: post.id }],
  });
  hub.put(post, skip);
  publish(buildHead(bobKey, { heads: [skip.id], seq: 7, ts: T }));
  expect(await refusal()).toBe('BadSeq');
  expect(await stored()).toEqual(NOTHING);

  publish(buildHead(bobKey, { heads: [root.commit.id], seq: 99, ts: T }));
  expect(await refusal()).toBe('BadSeq');
  expect(await stored()).toEqual(NOTHING);
});

test('a commit dated far in the future is refused (FutureTimestamp)', async () => {
  const { commit } = postCommit(bobKey, 'from tomorrow', [], 24 * 3600_000);
  publish(headOf(bobKey, [commit]));
  expect(await refusal()).toBe('FutureTimestamp');
  expect(await stored()).toEqual(NOTHING);
});

test('blobs missing on one hub come from the next; a commit whose parent no hub has waits in pending', async () => {
  const other = new MemoryHub('http://other.test');
  const first = postCommit(bobKey, 'first');
  const second = postCommit(bobKey, 'second', [first.commit], 1);
  publish(headOf(bobKey, [second.commit]));
  hub.blobs.delete(first.commit.id);
  const waited = await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect(waited).toMatchObject({ added: 0, waiting: 1 });
  expect(await stored()).toEqual(NOTHING);
  expect(await db.getAllKeys('pending')).toEqual([second.commit.id]);

  other.put(first.commit);
  const result = await ingestFeed(deps(hub, other), bob, { hubs: [hub.origin, other.origin] });
  expect(result.added).toBe(2);
  expect(other.count('POST /v1/blobs/batch')).toBe(1);
  expect(await db.count('pending')).toBe(0);
  // A post object missing everywhere is still NotFound (a commit is not stored without what it says).
  const third = postCommit(bobKey, 'third', [second.commit], 2);
  hub.blobs.delete(third.post.id);
  publish(headOf(bobKey, [third.commit]));
  expect(await refusal()).toBe('NotFound');
});

test('a repost is verified through the original author’s commit', async () => {
  const original = postCommit(malloryKey, 'worth sharing');
  const repost = buildCommit(bobKey, {
    parents: [],
    seq: 1,
    ts: T,
    ops: [{ type: 'repost', object: original.post.id, commit: original.commit.id }],
  });
  hub.put(repost);
  publish(headOf(bobKey, [repost]));
  const result = await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect(result.added).toBe(1);
  expect(await db.get('blobs', original.commit.id)).toBeDefined();

  // A repost naming a commit that did not publish that post is refused.
  const unrelated = postCommit(malloryKey, 'something else', [], 1);
  const lie = buildCommit(bobKey, {
    parents: [repost.id],
    seq: 2,
    ts: T,
    ops: [{ type: 'repost', object: original.post.id, commit: unrelated.commit.id }],
  });
  hub.put(lie);
  publish(headOf(bobKey, [lie]));
  expect(await refusal()).toBe('WrongAuthor');
  expect(await countCommits(db)).toBe(1);
});

test('stored rows hold their own bytes, never the whole batch answer the walk read them from', async () => {
  // The walk keeps blobs as views into each batch answer; a view stored as it is would write the whole answer.
  const original = postCommit(malloryKey, 'worth sharing');
  const repost = buildCommit(bobKey, {
    parents: [],
    seq: 1,
    ts: T,
    ops: [{ type: 'repost', object: original.post.id, commit: original.commit.id }],
  });
  hub.put(repost);
  const after = postCommit(bobKey, 'and a post', [repost], 1);
  publish(headOf(bobKey, [after.commit]));
  expect(await ingestFeed(deps(), bob, { hubs: [hub.origin] })).toMatchObject({ added: 2 });
  const rows = [...(await db.getAll('blobs')), ...(await db.getAll('packBytes'))];
  expect(rows).toHaveLength(2); // the reposted commit, and bob's pack
  for (const { bytes } of rows) expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
});

test('a commit left waiting is kept with its own bytes only', async () => {
  const first = postCommit(bobKey, 'first');
  const second = postCommit(bobKey, 'second', [first.commit], 1);
  const third = postCommit(bobKey, 'third', [second.commit], 2);
  hub.blobs.delete(first.commit.id);
  publish(headOf(bobKey, [third.commit]));
  await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  const waiting = await db.getAll('pending');
  expect(waiting.map((p) => p.id).sort()).toEqual([second.commit.id, third.commit.id].sort());
  for (const { bytes } of waiting) expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
});

test('tips of two lines are both kept until a commit names both', async () => {
  const root = postCommit(bobKey, 'root');
  const a = postCommit(bobKey, 'a', [root.commit], 1);
  const b = postCommit(bobKey, 'b', [root.commit], 2);
  publish(headOf(bobKey, [a.commit, b.commit]));
  await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect((await db.get('tips', bob))!.heads).toEqual([a.commit.id, b.commit.id].sort() as CommitId[]);
});

test("a long feed's first catch-up gives its newest posts rows, packs the rest; later, own: rows for all", async () => {
  let tip: SignedCommit[] = [];
  const extend = (from: number, to: number) => {
    for (let i = from; i < to; i++) tip = [postCommit(bobKey, `post ${i}`, tip, i).commit];
    publish(headOf(bobKey, tip));
  };
  extend(0, ROWS_AT_ONCE + 100);
  expect((await ingestFeed(deps(), bob, { hubs: [hub.origin] })).posts).toBe(ROWS_AT_ONCE + 100);
  expect(await db.countFromIndex('posts', 'byAuthorTs')).toBe(ROWS_AT_ONCE);
  expect(await packedPostCount(db)).toBe(100);
  extend(ROWS_AT_ONCE + 100, 2 * ROWS_AT_ONCE + 200);
  await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect(await db.countFromIndex('posts', 'byAuthorTs')).toBe(2 * ROWS_AT_ONCE + 100);

  // The same feed as a pseudonym of this device (a backup imported): every post gets its row.
  db = await openCoreDb(`ingest-test-${++dbs}`);
  await db.put('pseudonyms', { id: bob, name: 'Bob', hubs: [hub.origin], createdAt: 0, secretKey: bobKey });
  await ingestFeed(deps(), bob, { hubs: [hub.origin] });
  expect(await db.countFromIndex('posts', 'byAuthorTs')).toBe(2 * ROWS_AT_ONCE + 200);
  expect(await packedPostCount(db)).toBe(0);
});

test('a feed of public posts is read unlocking no key; a post sealed to named readers asks for them', async () => {
  const asked: PseudonymId[] = [];
  const keys = {
    listPseudonyms: async () => [mallory],
    getSecretKey: async (id: PseudonymId) => {
      asked.push(id); // on the command line, a passphrase's KDF each time a home opens
      return malloryKey;
    },
  };
  const first = postCommit(bobKey, 'public');
  publish(headOf(bobKey, [first.commit]));
  await ingestFeed({ ...deps(), keys }, bob, { hubs: [hub.origin] });
  expect([asked, (await stored()).posts]).toEqual([[], 1]);

  // Sealed to readers none here is: tried with Mallory's key, stored unopened.
  const [sealed, envelope] = ['mau1 sealed', 'mak1 envelope'].map((text) => {
    const bytes = new TextEncoder().encode(text);
    return { id: hashBytes(bytes), bytes };
  });
  const op = { type: 'post', object: sealed!.id, audience: 'allowlist', keys: envelope!.id } as const;
  const second = buildCommit(bobKey, { parents: [first.commit.id], seq: 2, ts: T + 1, ops: [op] });
  hub.put(sealed!, envelope!, second);
  publish(headOf(bobKey, [second]));
  await ingestFeed({ ...deps(), keys }, bob, { hubs: [hub.origin] });
  expect([asked, await countCommits(db)]).toEqual([[mallory], 2]);
});
