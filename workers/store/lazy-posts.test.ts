/**
 * Post rows on demand (lazy-posts.ts), checked against the eager store: the
 * same feed applied with and without packing its older posts must read the
 * same, page by page, in every order and filter, in profiles, threads and
 * after later reactions and replies name the packed posts.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test, vi } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { TimelinePage } from '../api/api-types.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import { applyCommits } from './commit-store.ts';
import { type CoreDb, openCoreDb } from './db.ts';
import { marksOf } from './lazy-marks.ts';
import { ROWS_AT_ONCE, packedPostCount } from './lazy-posts.ts';
import { compareKeys, postKeyOf } from './post-rows.ts';
import { findThread } from '../read/post-views.ts';
import { findProfile } from '../read/profile-view.ts';
import { listTimeline } from '../read/timeline.ts';
import { readTimelinePage } from '../read/timeline-page.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, carolKey] = [key(1), key(2), key(3)];
const [alice, bob, carol] = [aliceKey, bobKey, carolKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];
const T = 1_700_000_000_000;
const DAY = 86_400_000;
const POSTS = 1300;

let n = 0;
async function viewerDb(): Promise<CoreDb> {
  const db = await openCoreDb(`lazy-test-${++n}`);
  await db.put('pseudonyms', { id: alice, name: 'Alice', hubs: ['http://a.test'], createdAt: 0, secretKey: aliceKey });
  const follow = buildCommit(aliceKey, {
    parents: [],
    seq: 1,
    ts: T,
    ops: [
      { type: 'follow', target: bob, hubs: ['http://b.test'] },
      { type: 'follow', target: carol, hubs: ['http://b.test'] },
    ],
  });
  await applyCommits(db, [{ signed: follow, blobs: [], posts: [] }]);
  return db;
}

/** A chain of `key`'s commits; `make` gives each one's ops and objects. */
function chain(
  k: Uint8Array,
  count: number,
  make: (
    i: number,
    author: PseudonymId,
  ) => { ops: Op[]; posts: BuiltObject<PostObject>[]; blobs?: BuiltObject<PostObject>[]; ts: number },
  after?: SignedCommit,
): VerifiedCommit[] {
  const author = pseudonymOf(k);
  const items: VerifiedCommit[] = [];
  let parent = after;
  for (let i = 0; i < count; i++) {
    const { ops, posts, blobs = [], ts } = make(i, author);
    const signed = buildCommit(k, { parents: parent ? [parent.id] : [], seq: (parent?.commit.seq ?? 0) + 1, ts, ops });
    items.push({ signed, blobs: [...posts, ...blobs].map(({ id, bytes }) => ({ id, bytes })), posts });
    parent = signed;
  }
  return items;
}

/** Bob's long feed: posts a day apart (so the profile's year shows some), a reply now and then, one with media. */
const made: BuiltObject<PostObject>[] = [];
const bobFeed = chain(bobKey, POSTS, (i, author) => {
  const ts = T - ((POSTS - i) * DAY) / 3;
  const post = buildPost({
    author,
    body: `bob ${i}`,
    ts,
    ...(i % 97 === 5 && { reply_to: made[i - 1]!.id }),
    ...(i === 40 && { media: [hashBytes(new Uint8Array([1]))] }),
  });
  made.push(post);
  return { ops: [{ type: 'post', object: post.id }], posts: [post], ts };
});
/**
 * Posts a lazy ingest gives rows: the newest ROWS_AT_ONCE, the media post
 * (the media filter reads rows only), replies and their parents (threads).
 */
const newest = [...made].sort((a, b) => b.value.ts - a.value.ts).slice(0, ROWS_AT_ONCE);
const ROWS = new Set(
  [...newest, ...made.filter((p) => p.value.media || p.value.reply_to)].flatMap((p) => [
    p.id,
    ...(p.value.reply_to ? [p.value.reply_to] : []),
  ]),
).size;
const postOf = (i: number) => bobFeed[i]!.posts[0]!;
/** The key of the ROWS_AT_ONCE-th newest post, as ingest picks it. */
const below = bobFeed.map((c) => postKeyOf(c.posts[0]!.value.ts, c.posts[0]!.id)).sort(compareKeys)[ROWS_AT_ONCE - 1]!;

let eager: CoreDb;
let lazy: CoreDb;
beforeEach(async () => {
  [eager, lazy] = await Promise.all([viewerDb(), viewerDb()]);
  // Two chunks, as ingest writes them; only the lazy store packs the older posts.
  for (const part of [bobFeed.slice(0, 800), bobFeed.slice(800)]) {
    await applyCommits(eager, part);
    await applyCommits(lazy, part, { packBelow: below });
  }
});

const rowCount = (db: CoreDb) => db.countFromIndex('posts', 'byAuthorTs');

/** Every page of `page` until the end, as ids and what each item shows. */
async function allPages(db: CoreDb, page: Omit<TimelinePage, 'limit'>, limit = 50): Promise<unknown[]> {
  const out: unknown[] = [];
  let cursor: TimelinePage['cursor'];
  for (;;) {
    const items = await listTimeline(db, alice, { ...page, limit, ...(cursor && { cursor }) });
    out.push(...items);
    if (items.length < limit) return out;
    cursor = { ts: items.at(-1)!.ts, id: items.at(-1)!.id };
  }
}

test('a long first catch-up gives rows to its newest posts only; the rest wait in packs, counted', async () => {
  expect(await rowCount(eager)).toBe(POSTS);
  expect(await rowCount(lazy)).toBe(ROWS);
  expect(ROWS).toBeLessThan(ROWS_AT_ONCE + 30);
  expect(await packedPostCount(lazy)).toBe(POSTS - ROWS);
  expect(Object.keys(await marksOf(lazy))).toEqual([bob]);
  // Nothing stored twice: packed posts are not blob rows either.
  expect(await lazy.count('blobs')).toBe(0);
});

test('the first page reads the same, giving no row; paging to the end gives rows a stretch at a time', async () => {
  expect(await listTimeline(lazy, alice, { limit: 50 })).toEqual(await listTimeline(eager, alice, { limit: 50 }));
  expect(await rowCount(lazy)).toBe(ROWS);

  const pages = await allPages(lazy, {});
  expect(pages).toHaveLength(POSTS);
  expect(pages).toEqual(await allPages(eager, {}));
  expect(await rowCount(lazy)).toBe(POSTS);
  expect(await marksOf(lazy)).toEqual({});
  expect(await packedPostCount(lazy)).toBe(0);
  // Given rows, the posts left their packs: their texts are kept once.
  expect((await lazy.getAll('packBytes')).every((p) => p.texts === undefined)).toBe(true);
});

test("a page read without the row building (the worker's first script) names the feeds due instead", async () => {
  // The first page has its rows: the same items as the full read, and nothing written.
  expect(await readTimelinePage(lazy, alice, { limit: 50 })).toEqual({
    items: await listTimeline(eager, alice, { limit: 50 }),
  });
  // A page reaching past the newest rows says which feed needs rows, and down to where; it writes none.
  expect(await readTimelinePage(lazy, alice, { limit: 400 })).toEqual({ due: [bob], through: undefined });
  expect(await rowCount(lazy)).toBe(ROWS);
  // The eager store has no marks: every page is whole.
  expect(await readTimelinePage(eager, alice, { limit: 400 })).toHaveProperty('items');
});

test('a page that stops before every mark reads no follow: marks are checked first, in memory', async () => {
  const get = vi.spyOn(IDBObjectStore.prototype, 'get');
  try {
    expect(await readTimelinePage(lazy, alice, { limit: 50 })).toHaveProperty('items');
    const followReads = () => get.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'follows');
    expect(followReads()).toHaveLength(0);
    // Past the mark, the feed is due only if Alice sees it: one follow read.
    expect(await readTimelinePage(lazy, alice, { limit: 400 })).toEqual({ due: [bob], through: undefined });
    expect(followReads()).toHaveLength(1);
  } finally {
    get.mockRestore();
  }
});

test('oldest first, the author filter, since and media read the same as the eager store', async () => {
  expect(await listTimeline(lazy, alice, { limit: 30, order: 'oldest' })).toEqual(
    await listTimeline(eager, alice, { limit: 30, order: 'oldest' }),
  );
  const fresh = await viewerDb();
  for (const part of [bobFeed.slice(0, 800), bobFeed.slice(800)]) await applyCommits(fresh, part, { packBelow: below });
  expect(await allPages(fresh, { authors: [bob] }, 200)).toEqual(await allPages(eager, { authors: [bob] }, 200));
  const since = postOf(300).value.ts;
  expect(await allPages(lazy, { since })).toEqual(await allPages(eager, { since }));
  expect(await listTimeline(lazy, alice, { limit: 10, hasMedia: true })).toEqual(
    await listTimeline(eager, alice, { limit: 10, hasMedia: true }),
  );
});

test('the profile counts and activity include posts only packs hold', async () => {
  const now = T + DAY;
  expect(await findProfile(lazy, alice, bob, now)).toEqual(await findProfile(eager, alice, bob, now));
  expect((await findProfile(lazy, alice, bob, now))!.counts.posts).toBe(POSTS);
});

test('a reaction, reply and edit naming old packed posts give them rows, views and threads unchanged', async () => {
  const [old1, old2, old3] = [postOf(10), postOf(11), postOf(12)];
  const reply = buildPost({ author: carol, body: 'answering an old one', ts: T + 5, reply_to: old2.id });
  const version = buildPost({ author: bob, body: 'bob 12, edited', ts: T + 6 });
  const later = [
    ...chain(carolKey, 2, (i) =>
      i === 0
        ? { ops: [{ type: 'react', target: old1.id, emoji: '👍' }], posts: [], ts: T + 4 }
        : { ops: [{ type: 'post', object: reply.id }], posts: [reply], ts: T + 5 },
    ),
  ];
  const edit = chain(
    bobKey,
    1,
    () => ({ ops: [{ type: 'edit', target: old3.id, object: version.id }], posts: [], blobs: [version], ts: T + 6 }),
    bobFeed.at(-1)!.signed,
  );
  for (const db of [eager, lazy]) {
    await applyCommits(db, later);
    await applyCommits(db, edit);
  }
  expect(await rowCount(lazy)).toBe(ROWS + 3 + 1); // the three named, and carol's reply
  expect(await allPages(lazy, {})).toEqual(await allPages(eager, {}));
  const thread = await findThread(lazy, alice, old2.id as ObjectId);
  expect(thread).toEqual(await findThread(eager, alice, old2.id as ObjectId));
  expect(thread!.items.map((i) => i.body)).toEqual(['bob 11', 'answering an old one']);
});

test('a thread opened on a packed post by id gives it its row first', async () => {
  const id = postOf(3).id as ObjectId;
  expect(await findThread(lazy, alice, id)).toEqual(await findThread(eager, alice, id));
  expect(await rowCount(lazy)).toBe(ROWS + 1);
});
