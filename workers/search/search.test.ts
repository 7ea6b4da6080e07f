/**
 * Search over a device's store (search.ts over the search rows that every
 * write keeps, store/search-rows.ts): own and followed posts, prefixes,
 * from:, #tags, media and dates, edits (the shown version), deletes, posts
 * kept only in packs, mutes and blocks, paging, and a rebuild from the store.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { SearchPage, TimelineItem } from '../api/api-types.ts';
import { applyCommits } from '../store/commit-store.ts';
import { type CoreDb, type SearchRow, openCoreDb } from '../store/db.ts';
import { marksOf } from '../store/lazy-marks.ts';
import { compareKeys, postKeyOf } from '../store/post-rows.ts';
import { PACKS_TO_INDEX, putSearchRow, termsOfRow } from '../store/search-rows.ts';
import { SEARCH_MARK, ensureSearchIndex } from './search-index.ts';
import { type Keep, searchPosts } from './search.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, carolKey] = [key(1), key(2), key(3)];
const [alice, bob, carol] = [aliceKey, bobKey, carolKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];
const T = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;

let n = 0;
let db: CoreDb;
const tips = new Map<PseudonymId, SignedCommit>();

/** One commit of `k`'s feed after its last: ops and the objects they carry. */
async function commit(k: Uint8Array, ts: number, ops: Op[], posts: BuiltObject<PostObject>[] = [], blobs = posts) {
  const author = pseudonymOf(k);
  const parent = tips.get(author);
  const signed = buildCommit(k, { parents: parent ? [parent.id] : [], seq: (parent?.commit.seq ?? 0) + 1, ts, ops });
  tips.set(author, signed);
  const item = { signed, blobs: blobs.map(({ id, bytes }) => ({ id, bytes })), posts };
  await applyCommits(db, [item], author === alice ? { outbox: { pseudonym: alice, queuedAt: ts } } : {});
}

async function post(k: Uint8Array, body: string, ts: number, extra: Partial<PostObject> = {}): Promise<ObjectId> {
  const p = buildPost({ author: pseudonymOf(k), body, ts, ...extra });
  await commit(k, ts, [{ type: 'post', object: p.id }], [p]);
  return p.id;
}

beforeEach(async () => {
  tips.clear();
  db = await openCoreDb(`search-test-${++n}`);
  await db.put('pseudonyms', {
    id: alice,
    name: 'Alice',
    handle: 'alice@a.test',
    hubs: ['http://a.test'],
    createdAt: 0,
    secretKey: aliceKey,
  });
  await commit(aliceKey, T, [{ type: 'follow', target: bob, handle: 'bob@b.test', hubs: ['http://b.test'] }]);
});

async function find(query: string, page: Partial<SearchPage> = {}, keep?: Keep): Promise<string[]> {
  const { items } = await searchPosts(db, {
    viewer: alice,
    query,
    page: { limit: 50, ...page },
    now: T + 100 * HOUR,
    ...(keep && { keep }),
  });
  return items.map((i) => i.body);
}

test('own and followed posts are found by words and prefixes, newest first; unfollowed feeds are not', async () => {
  await post(aliceKey, 'Rain in Lisbon', T + 1 * HOUR);
  await post(bobKey, 'rainbow over the river', T + 2 * HOUR);
  await post(carolKey, 'rain for carol only', T + 3 * HOUR);
  await post(bobKey, 'sunny', T + 4 * HOUR);
  expect(await find('rain')).toEqual(['rainbow over the river', 'Rain in Lisbon']);
  expect(await find('rain ')).toEqual(['Rain in Lisbon']);
  expect(await find('RAIN lis')).toEqual(['Rain in Lisbon']);
  expect(await find('snow')).toEqual([]);
  expect(await find('   ')).toEqual([]);
});

test('from:, #tag, has:media and dates narrow the matches', async () => {
  await post(aliceKey, 'news from alice #Weather', T + 1 * HOUR);
  await post(bobKey, 'news from bob', T + 2 * HOUR, { tags: ['weather'] });
  await post(bobKey, 'a photo of news', T + 3 * HOUR, { media: [hashBytes(new Uint8Array([1]))] });
  expect(await find('news from:bob')).toEqual(['a photo of news', 'news from bob']);
  expect(await find('from:alice@a.test')).toEqual(['news from alice #Weather']);
  expect(await find('from:nobody news')).toEqual([]);
  expect(await find('#weather')).toEqual(['news from bob', 'news from alice #Weather']);
  expect(await find('has:media')).toEqual(['a photo of news']);
  expect(await find(`news since:${day(T)} until:${day(T)}`)).toEqual([
    'a photo of news',
    'news from bob',
    'news from alice #Weather',
  ]);
  expect(await find('news until:99h')).toEqual(['news from alice #Weather']);
  expect(await find('news since:98h')).toEqual(['a photo of news', 'news from bob']);
});

test("from: is decided by the post's author, not only its author term (the key's first characters)", async () => {
  await commit(aliceKey, T, [{ type: 'follow', target: carol, handle: 'carol@c.test', hubs: ['http://c.test'] }]);
  const id = await post(carolKey, 'news from carol', T + 1 * HOUR);
  await post(bobKey, 'news from bob', T + 2 * HOUR);
  await ensureSearchIndex(db); // built now, so the search below does not rebuild over the change
  // Carol's search row as if her key began as Bob's does (a collision of the author terms).
  const k = postKeyOf(T + 1 * HOUR, id);
  const row = (await db.get('search', k))!;
  const bobTerm = (await db.getAll('search'))
    .flatMap(termsOfRow)
    .find((t) => t.startsWith('\u0001a') && t !== carolTerm(row))!;
  // Written as the app writes rows (with a seq), so the index in memory reads it (term-index.ts).
  const tx = db.transaction(['search', 'meta'], 'readwrite');
  const terms = [...termsOfRow(row).filter((t) => t !== carolTerm(row)), bobTerm];
  await Promise.all([putSearchRow(tx, { ...row, w: terms.join(' ') }), tx.done]);
  expect(await find('news from:bob')).toEqual(['news from bob']);
  expect(await find('news from:carol')).toEqual([]);
});

const carolTerm = (row: SearchRow) => termsOfRow(row).find((t) => t.startsWith('\u0001a'))!;

test('a hit carries the shown body and where the query lies in it', async () => {
  await post(bobKey, 'Hello world, hello #rain', T + HOUR);
  const { items } = await searchPosts(db, { viewer: alice, query: 'hel* #rain', page: { limit: 5 }, now: T });
  expect(items).toHaveLength(1);
  const hit = items[0]!;
  expect(hit.author).toBe(bob);
  expect(hit.highlights.map(([a, b]) => hit.body.slice(a, b))).toEqual(['Hel', 'hel', '#rain']);
});

test('an edit is found by its shown version only; a delete is never found again', async () => {
  const id = await post(bobKey, 'first draft of a poem', T + HOUR);
  const version = buildPost({ author: bob, body: 'final poem, polished', ts: T + 2 * HOUR });
  await commit(bobKey, T + 2 * HOUR, [{ type: 'edit', target: id, object: version.id }], [], [version]);
  expect(await find('draft')).toEqual([]);
  expect(await find('polished')).toEqual(['final poem, polished']);
  await commit(bobKey, T + 3 * HOUR, [{ type: 'delete', target: id }]);
  expect(await find('poem')).toEqual([]);
  expect(await find('polished')).toEqual([]);
  // Nor after a rebuild from the store.
  await db.delete('meta', SEARCH_MARK);
  expect(await find('poem')).toEqual([]);
});

test('mutes and blocks (the keep filter) leave hits out and the page refills from later matches', async () => {
  for (let i = 0; i < 5; i++) await post(bobKey, `tea ${i} ${i % 2 ? 'spoiler' : ''}`, T + (i + 1) * HOUR);
  const keep: Keep = async (items) => items.filter((i) => !i.body.includes('spoiler'));
  const { items, cursor } = await searchPosts(db, { viewer: alice, query: 'tea', page: { limit: 2 }, now: T, keep });
  expect(items.map((i) => i.body.trim())).toEqual(['tea 4', 'tea 2']);
  const next = await searchPosts(db, {
    viewer: alice,
    query: 'tea',
    page: { limit: 2, ...(cursor && { cursor }) },
    now: T,
    keep,
  });
  expect(next.items.map((i) => i.body.trim())).toEqual(['tea 0']);
  // The last page says so: no cursor.
  expect(next.cursor).toBeUndefined();
  const blockBob: Keep = async <I extends TimelineItem>(items: readonly I[]) => items.filter((i) => i.author !== bob);
  expect(await find('tea', {}, blockBob)).toEqual([]);
});

test("posts kept only in packs are found and given rows, to the feed's end, newest first", async () => {
  const feed: {
    signed: SignedCommit;
    blobs: { id: ObjectId; bytes: Uint8Array }[];
    posts: BuiltObject<PostObject>[];
  }[] = [];
  let parent: SignedCommit | undefined;
  for (let i = 0; i < 600; i++) {
    const ts = T + i * HOUR;
    const p = buildPost({ author: bob, body: `entry ${i} ${i === 3 ? 'needle' : 'hay'}`, ts });
    const signed = buildCommit(bobKey, {
      parents: parent ? [parent.id] : [],
      seq: i + 1,
      ts,
      ops: [{ type: 'post', object: p.id }],
    });
    feed.push({ signed, blobs: [{ id: p.id, bytes: p.bytes }], posts: [p] });
    parent = signed;
  }
  const below = feed.map((c) => postKeyOf(c.posts[0]!.value.ts, c.posts[0]!.id)).sort(compareKeys)[255]!;
  await applyCommits(db, feed, { packBelow: below });
  expect(Object.keys(await marksOf(db))).toEqual([bob]);
  expect(await db.getFromIndex('posts', 'byId', feed[3]!.posts[0]!.id)).toBeUndefined();
  // Ingest only marked them; a packed post deleted before any search is never found either.
  expect(await db.get('meta', PACKS_TO_INDEX)).toBeDefined();
  tips.set(bob, feed.at(-1)!.signed);
  await commit(bobKey, T + 700 * HOUR, [{ type: 'delete', target: feed[5]!.posts[0]!.id }]);
  expect(await find('needle')).toEqual(['entry 3 needle']);
  expect(await db.get('meta', PACKS_TO_INDEX)).toBeUndefined();
  // Its row now exists, as a thread or timeline read would give it.
  expect(await db.getFromIndex('posts', 'byId', feed[3]!.posts[0]!.id)).toBeDefined();
  const all: string[] = [];
  for (let page: SearchPage = { limit: 200 }; ; ) {
    const { items, cursor } = await searchPosts(db, { viewer: alice, query: 'hay', page, now: T });
    all.push(...items.map((i) => i.body));
    if (!cursor) break;
    page = { limit: 200, cursor };
  }
  expect(all).toHaveLength(598);
  expect(all).not.toContain('entry 5 hay');
  expect(all[0]).toBe('entry 599 hay');
  expect(all.at(-1)).toBe('entry 0 hay');
});

test('the index is rebuilt from the store when its mark is missing or older, and finds the same', async () => {
  await post(aliceKey, 'kept across a rebuild', T + HOUR);
  await post(bobKey, 'also kept', T + 2 * HOUR);
  expect(await find('kept')).toEqual(['also kept', 'kept across a rebuild']);
  await db.clear('search');
  await db.put('meta', { key: SEARCH_MARK, value: 0 });
  expect(await ensureSearchIndex(db)).toBe(true);
  expect(await ensureSearchIndex(db)).toBe(false);
  expect(await find('kept')).toEqual(['also kept', 'kept across a rebuild']);
});

test('an empty search finds nothing but readies the index: rebuilt when its mark is old, and loaded', async () => {
  const id = await post(aliceKey, 'warm words', T + HOUR);
  await db.clear('search');
  await db.put('meta', { key: SEARCH_MARK, value: 0 });
  expect(await searchPosts(db, { viewer: alice, query: '', page: { limit: 0 }, now: T })).toEqual({ items: [] });
  expect(await ensureSearchIndex(db)).toBe(false); // rebuilt by the empty search
  // A row put now without a seq is never read by an index already loaded: so it was loaded by the empty search.
  const k = postKeyOf(T + HOUR, id);
  await db.put('search', { ...(await db.get('search', k))!, w: 'unseen' });
  expect(await find('unseen')).toEqual([]);
  expect(await find('warm')).toEqual(['warm words']);
});

test('a later follow brings that feed into results; an unfollow takes it out', async () => {
  await post(carolKey, 'carol says hi', T + HOUR);
  expect(await find('hi')).toEqual([]);
  await commit(aliceKey, T + 2 * HOUR, [{ type: 'follow', target: carol, hubs: ['http://c.test'] }]);
  expect(await find('hi')).toEqual(['carol says hi']);
  await commit(aliceKey, T + 3 * HOUR, [{ type: 'unfollow', target: carol }]);
  expect(await find('hi')).toEqual([]);
});

function day(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}
