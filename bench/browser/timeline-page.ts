// Bundled into the worker bench's page (worker-page.ts imports it): stores
// seeded for the first-page scenarios, an easy one (one viewer follows every
// feed stored) and a realistic one (most feeds stored are not followed, some
// followed are muted, long feeds keep their older posts in packs without
// rows, lazy-posts.ts), each beside a plain store holding the finished items.
import { deleteDB, openDB } from 'idb';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { decodeCommit } from '../../src/protocol/commits.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { TimelineItem } from '../../workers/api/api-types.ts';
import { type Hidden, filterTimeline, hidesItem, wordPattern } from '../../workers/private/filter.ts';
import { listTimeline } from '../../workers/read/timeline.ts';
import type { VerifiedCommit } from '../../workers/store/apply-plan.ts';
import { applyCommits } from '../../workers/store/commit-store.ts';
import type { CoreDb } from '../../workers/store/db.ts';
import { storeWalked } from '../../workers/store/idb-core-store.ts';
import { packedPostCount } from '../../workers/store/lazy-posts.ts';
import { type HeldPostRow, isHeldPost, itemOf, seenBy, viewerTag } from '../../workers/store/post-rows.ts';
import { viewer, viewerDb } from './viewer-db.ts';

const api = globalThis as unknown as Record<string, unknown>;

type Plain = Awaited<ReturnType<typeof openPlain>>;
interface Seeded {
  readonly db: CoreDb;
  readonly plain?: Plain;
  readonly middle: number;
  /** The realistic store's mutes, applied as the API applies them (filterTimeline). */
  readonly hidden?: Hidden;
}
/** The stores seeded in this page, by name. */
export const stores: Record<string, Seeded> = {};

/** A word muted in the realistic store; one post in 25 holds it. */
const MUTED_WORD = 'kettle';

export function authorsOf(count: number, salt = 9): PseudonymId[] {
  return Array.from({ length: count }, (_, f) =>
    pseudonymOf(secretKeyFrom(new Uint8Array(32).map((_, i) => (i === 0 ? 1 + (f >> 8) : i === 1 ? f & 255 : salt)))),
  );
}

/**
 * Feed number `f`'s `count` one-post commits, one chain, unsigned (a fixed
 * fake signature: the store never reads signatures, and 100,000 signatures
 * would only slow the setup); post i's time is `tsOf(i)`.
 */
export function feedItems(author: PseudonymId, f: number, count: number, tsOf: (i: number) => number) {
  const items: VerifiedCommit[] = [];
  let parent: CommitId | undefined;
  for (let i = 0; i < count; i++) {
    const ts = tsOf(i);
    const about = i % 25 === 0 ? ` about the ${MUTED_WORD}` : '';
    const body = `post ${i} of feed ${f}: a sentence of ordinary length to stand for a real post${about}.`;
    const post = buildPost({ author, body, ts });
    const fields = {
      type: 'commit',
      author,
      parents: parent ? [parent] : [],
      seq: i + 1,
      ts,
      ops: [{ type: 'post', object: post.id }],
      sig: 'ab'.repeat(64),
    };
    const signed = decodeCommit(encodeCanonical(fields));
    items.push({ signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] });
    parent = signed.id;
  }
  return items;
}

const BASE = 1_767_225_600_000;

/** `feeds` feeds of `perFeed` posts, all followed by the viewer, stored through applyCommits into `name`. */
export async function seedEasy(name: string, feeds: number, perFeed: number): Promise<CoreDb> {
  const authors = authorsOf(feeds);
  const db = await viewerDb(name, authors, 'http://127.0.0.1:1');
  for (let f = 0; f < feeds; f++)
    await applyCommits(
      db,
      feedItems(authors[f]!, f, perFeed, (i) => BASE + (i * feeds + f) * 1000),
    );
  return db;
}

/** The easy store: `feeds` followed feeds of `perFeed` posts each, and its plain store. */
api.seedTimeline = async (feeds: number, perFeed: number) => {
  const db = await seedEasy('timeline-bench', feeds, perFeed);
  return { ...(await withPlain('easy', db)), posts: await db.countFromIndex('posts', 'byAuthorTs') };
};

/**
 * The realistic store: `stored` feeds, of which the viewer follows the first
 * `followed` and mutes every tenth of those; the first `long` followed feeds
 * have `longPerFeed` posts, the rest `perFeed`; one post in 25 holds a muted
 * word. Each feed is stored as ingest stores a first catch-up (storeWalked:
 * rows for its newest posts, the older ones of a long feed left in its packs,
 * lazy-posts.ts); every feed's newest post is at the same time, so feeds
 * interleave at the top. Checks that the first page is the model's.
 */
api.seedRealistic = async (o: {
  stored: number;
  followed: number;
  perFeed: number;
  long: number;
  longPerFeed: number;
}) => {
  const authors = authorsOf(o.stored, 11);
  const db = await viewerDb('realistic-bench', authors.slice(0, o.followed), 'http://127.0.0.1:1');
  const muted = authors.slice(0, o.followed).filter((_, i) => i % 10 === 5);
  const hidden: Hidden = {
    users: new Set(muted),
    blocked: new Set(),
    words: [wordPattern(MUTED_WORD)],
    tags: new Set(),
  };
  const end = BASE + 1e10;
  const expected: { ts: number; id: string }[] = [];
  let posts = 0;
  for (let f = 0; f < o.stored; f++) {
    const count = f < o.long ? o.longPerFeed : o.perFeed;
    const items = feedItems(authors[f]!, f, count, (i) => end - ((count - 1 - i) * o.stored + f) * 1000);
    await storeWalked(db, items, true);
    posts += count;
    if (f >= o.followed) continue;
    for (const {
      posts: [post],
    } of items) {
      const item = { author: post!.value.author, body: post!.value.body, tags: [] };
      if (!hidesItem(hidden, item)) expected.push({ ts: post!.value.ts, id: post!.id });
    }
  }
  const newest = expected.sort((a, b) => b.ts - a.ts).slice(0, 50);
  const page = await filterTimeline(db, hidden, { limit: 50 }, (p) => listTimeline(db, viewer, p));
  if (page.map((i) => i.id).join() !== newest.map((i) => i.id).join())
    throw new Error('the realistic first page is not the newest 50 posts of the followed, unmuted feeds');
  const packed = await packedPostCount(db);
  if (packed === 0) throw new Error('the realistic store holds no posts without rows');
  return { ...(await withPlain('realistic', db, hidden)), posts, packed, muted: muted.length };
};

/** The plain store beside `db`: the finished items its viewer sees (what a page returns), keyed by a number. */
async function withPlain(name: string, db: CoreDb, hidden?: Hidden): Promise<{ rows: number }> {
  const all = ((await db.getAll('posts')) as HeldPostRow[]).filter((r) => seenBy(r, viewerTag(viewer)));
  const plain = await openPlain(`plain-${name}`);
  const tx = plain.transaction('rows', 'readwrite');
  all.forEach((row, i) => void tx.store.put({ n: i, item: itemOf(row, viewer) }));
  await tx.done;
  stores[name] = { db, plain, middle: Math.floor(all.length / 2), ...(hidden && { hidden }) };
  return { rows: all.length };
}

async function openPlain(name: string) {
  await deleteDB(name);
  return openDB<{ rows: { key: number; value: { n: number; item: unknown } } }>(name, 1, {
    upgrade(db) {
      db.createObjectStore('rows', { keyPath: 'n' });
    },
  });
}

/** The first page as the API reads it: listTimeline, through the viewer's mutes when it has any. */
function firstPage(store: Seeded): Promise<TimelineItem[]> {
  const list = (p: { limit: number }) => listTimeline(store.db, viewer, p);
  return store.hidden ? filterTimeline(store.db, store.hidden, { limit: 50 }, list) : list({ limit: 50 });
}

/**
 * The positive control's first page: every post row read and filtered in
 * key order, as a timeline without its bounded read would (rows only: a
 * packed post is missed, which cannot reach a first page here).
 */
async function scannedPage(store: Seeded): Promise<TimelineItem[]> {
  const v = viewerTag(viewer);
  const shown: TimelineItem[] = [];
  for (const row of await store.db.getAll('posts')) {
    if (!isHeldPost(row) || !seenBy(row, v)) continue;
    const item = itemOf(row, viewer);
    if (store.hidden && hidesItem(store.hidden, item)) continue;
    if (shown.push(item) === 50) break;
  }
  return shown;
}

/** Milliseconds per call of `read`, over `calls` calls, each checked to be a whole page. */
async function timed(calls: number, read: () => Promise<unknown[]>): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < calls; i++) {
    const page = await read();
    if (page.length !== 50) throw new Error(`page of ${page.length}`);
  }
  return (performance.now() - t) / calls;
}

api.timelineRound = (calls: number, name = 'easy') => timed(calls, () => firstPage(stores[name]!));
api.scannedRound = (calls: number, name = 'easy') => timed(calls, () => scannedPage(stores[name]!));
api.plainRound = (calls: number, name = 'easy') => {
  const { plain, middle } = stores[name]!;
  return timed(calls, () => plain!.getAll('rows', IDBKeyRange.lowerBound(middle), 50));
};

/** Where a first page's time goes (for tuning; not recorded). */
api.timelineProfile = async (calls: number) => {
  const { db, plain, middle } = stores.easy!;
  const range = IDBKeyRange.lowerBound([-Infinity]);
  const time = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    for (let i = 0; i < calls; i++) await f();
    return (performance.now() - t) / calls;
  };
  const rows = (await db.getAll('posts', range, 50)) as HeldPostRow[];
  return {
    storeGetAll: await time(() => db.getAll('posts', range, 50)),
    viewer: viewerTag(viewer).length,
    itemsOnly: await time(async () => rows.map((r) => itemOf(r, viewer))),
    listTimeline: await time(() => listTimeline(db, viewer, { limit: 50 })),
    plain: await time(() => plain!.getAll('rows', IDBKeyRange.lowerBound(middle), 50)),
  };
};
