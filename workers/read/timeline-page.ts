/**
 * One page of a pseudonym's timeline as its post rows are now
 * (timeline-rows.ts). The post store is keyed [-ts, tie] so newest-first is
 * ascending key order and the first page is one bounded getAll. The media
 * filter has its own index; the author filter walks each author's posts
 * (byAuthorTs) instead of scanning past what it skips. Only `queued` is
 * decided at read time (it changes on acknowledgement, not on a commit), and
 * only when the viewer has anything queued at all.
 *
 * A page that reaches posts of long feeds still without rows says which
 * feeds are due instead (lazy-marks.ts): timeline.ts gives them rows and
 * reads again, and the core worker's first script, which has not the row
 * building, lets the full core answer.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineItem, TimelinePage } from '../api/api-types.ts';
import type { IDBPObjectStore } from 'idb';
import { type CoreDb, type CoreSchema, type PostKey, type PostRow, ownedRange } from '../store/db.ts';
import { dueFeeds, readMarks } from '../store/lazy-marks.ts';
import { type HeldPostRow, authorRange, compareKeys, itemOf, seenBy, tieOf, viewerTag } from '../store/post-rows.ts';

export const MAX_PAGE = 500;

/** A page read: its items, or the feeds whose rows it needs down to `through` first. */
export type PageRead =
  | { readonly items: TimelineItem[] }
  | { readonly due: PseudonymId[]; readonly through: PostKey | undefined };

/** Own and followed posts and reposts, one row each, per page.order (newest first by default). */
export async function readTimelinePage(db: CoreDb, viewer: PseudonymId, page: TimelinePage): Promise<PageRead> {
  const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(page.limit)));
  if (limit === 0) return { items: [] };
  const tx = db.transaction(['posts', 'meta']);
  const [rows, marks] = await Promise.all([
    readPage(tx.objectStore('posts'), viewer, page, limit),
    readMarks(tx.objectStore('meta')),
  ]);
  // Posts of long feeds that only packs hold yet (never media posts) get their rows before a page could
  // show them: it is whole once every feed it could hold has rows down to its last post.
  const marked = Object.keys(marks) as PseudonymId[];
  if (marked.length === 0 || page.hasMedia) return { items: await withQueued(db, viewer, rows) };
  const through = page.order !== 'oldest' && rows.length === limit ? rows.at(-1)!.k : undefined;
  // Marks first (in memory), follows only for the feeds they leave: a store of 1,000 marked feeds paid a
  // follow lookup for each on every page (~0.4 ms apiece), where a page stops before nearly every mark.
  const markedBefore = dueFeeds(marks, page.authors ?? marked, through);
  const due = markedBefore.length === 0 ? [] : await seenFeeds(db, viewer, markedBefore);
  return due.length === 0 ? { items: await withQueued(db, viewer, rows) } : { due, through };
}

/** The feeds among `authors` whose posts `viewer` sees: its own, and those it follows (one transaction). */
async function seenFeeds(db: CoreDb, viewer: PseudonymId, authors: readonly PseudonymId[]): Promise<PseudonymId[]> {
  const follows = db.transaction('follows').store;
  const seen = await Promise.all(
    authors.map((a) => (a === viewer ? true : follows.get([viewer, a]).then((f) => f?.active === true))),
  );
  return authors.filter((_, i) => seen[i]);
}

type PostStore = IDBPObjectStore<CoreSchema, ('posts' | 'meta')[], 'posts'>;

/** The rows of one page, as they are now. */
async function readPage(posts: PostStore, viewer: PseudonymId, page: TimelinePage, limit: number): Promise<PostRow[]> {
  const newest = page.order !== 'oldest';
  const v = viewerTag(viewer);
  // Newest first walks keys upwards from the cursor; `since` caps -ts from above.
  const after: PostKey | undefined = page.cursor ? [-page.cursor.ts, ...tieOf(page.cursor.id)] : undefined;
  const top: PostKey = page.since !== undefined ? [-page.since, Infinity, Infinity] : [Infinity, Infinity, Infinity];

  let rows: PostRow[];
  if (page.authors) {
    // byAuthorTs is [author, post key]: the same order per author, bounded the same way.
    const lower: PostKey = newest ? (after ?? [-Infinity, -Infinity, -Infinity]) : [-Infinity, -Infinity, -Infinity];
    const upper: PostKey = newest ? top : (after ?? top);
    const perAuthor = await Promise.all(
      [...new Set(page.authors)].map(async (author) => {
        const found: PostRow[] = [];
        const range = authorRange(author, lower, upper, [
          newest && after !== undefined,
          !newest && after !== undefined,
        ]);
        for (
          let c = await posts.index('byAuthorTs').openCursor(range, newest ? 'next' : 'prev');
          c && found.length < limit;
          c = await c.continue()
        ) {
          if (seenBy(c.value, v) && (!page.hasMedia || c.value.tm)) found.push(c.value);
        }
        return found;
      }),
    );
    rows = perAuthor
      .flat()
      .sort((x, y) => compareKeys(x.k, y.k) * (newest ? 1 : -1))
      .slice(0, limit);
  } else if (page.hasMedia) {
    const range = newest
      ? IDBKeyRange.bound([v, ...(after ?? [-Infinity])], [v, ...top], after !== undefined, false)
      : IDBKeyRange.bound([v, -Infinity], [v, ...(after ?? top)], false, after !== undefined);
    rows = newest
      ? await posts.index('media').getAll(range, limit)
      : await take(posts.index('media'), range, limit, () => true);
  } else {
    // The store is in timeline order for every viewer; rows of posts this viewer does not see are skipped
    // (on a device with one pseudonym, none: one getAll is the page).
    const range = newest
      ? IDBKeyRange.bound(after ?? [-Infinity], top, after !== undefined, false)
      : IDBKeyRange.bound([-Infinity], after ?? top, false, after !== undefined);
    rows = [];
    if (newest) {
      for (let from = range; ; ) {
        const want = limit - rows.length;
        const batch = await posts.getAll(from, want);
        for (const row of batch) if (seenBy(row, v)) rows.push(row);
        if (batch.length < want || rows.length >= limit) break;
        from = IDBKeyRange.bound(batch.at(-1)!.k, top, true, false);
      }
    } else {
      rows = await take(posts, range, limit, (row) => seenBy(row, v));
    }
  }
  return rows;
}

/**
 * The items of `rows`, with `queued` on own posts still in the outbox. The
 * outbox is read only when the page holds own posts (in its own transaction:
 * `queued` is a hint that changes on acknowledgement anyway).
 */
async function withQueued(db: CoreDb, viewer: PseudonymId, rows: readonly PostRow[]): Promise<TimelineItem[]> {
  const items = (rows as HeldPostRow[]).map((r) => itemOf(r, viewer));
  if (!items.some((i) => i.author === viewer)) return items;
  const outbox = db.transaction('outbox').store;
  if ((await outbox.count(ownedRange(viewer))) === 0) return items;
  const queued = await Promise.all(
    items.map((i) => (i.author === viewer ? outbox.getKey([viewer, i.commitId]) : undefined)),
  );
  return items.map((item, i) => (queued[i] !== undefined ? { ...item, queued: true } : item));
}

interface Source {
  openCursor(
    range: IDBKeyRange,
    direction?: IDBCursorDirection,
  ): Promise<{ value: PostRow; continue(): Promise<unknown> } | null>;
}

/** Up to `limit` rows of `range` that `keep`, newest last (walking down). */
async function take(
  source: Source,
  range: IDBKeyRange,
  limit: number,
  keep: (row: PostRow) => boolean,
): Promise<PostRow[]> {
  const rows: PostRow[] = [];
  for (let c = await source.openCursor(range, 'prev'); c && rows.length < limit; c = (await c.continue()) as typeof c) {
    if (keep(c.value)) rows.push(c.value);
  }
  return rows;
}
