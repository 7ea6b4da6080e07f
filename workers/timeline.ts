/**
 * Reading the timeline of one pseudonym: pages of the post rows on its
 * timeline index (timeline-rows.ts), keyed [viewer, -ts, tie] so newest-first
 * is ascending key order and the first page is one bounded getAll. The media
 * filter has its own index; the author filter walks each author's posts
 * (byAuthorTs) instead of scanning past what it skips.
 * Only `queued` is decided at read time (it changes on acknowledgement, not
 * on a commit), and only when the viewer has anything queued at all.
 */
import type { PseudonymId } from '../src/protocol/ids.ts';
import type { TimelineItem, TimelinePage } from './api-types.ts';
import { type CoreDb, type PostRow, ownedRange } from './db.ts';
import { type HeldPostRow, idBytes, isHeldPost, itemOf, seenBy, tieOf } from './post-rows.ts';

export const MAX_PAGE = 500;

/** Own and followed posts and reposts, one row each, per page.order (newest first by default). */
export async function listTimeline(db: CoreDb, viewer: PseudonymId, page: TimelinePage): Promise<TimelineItem[]> {
  const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(page.limit)));
  if (limit === 0) return [];
  const newest = page.order !== 'oldest';
  const tx = db.transaction(['posts', 'outbox']);
  const posts = tx.objectStore('posts');
  const v = idBytes(viewer);
  // Newest first walks keys upwards from the cursor; `since` caps -ts from above.
  const after: [number, number] | undefined = page.cursor ? [-page.cursor.ts, tieOf(page.cursor.id)] : undefined;
  const top: [number, number] = page.since !== undefined ? [-page.since, Infinity] : [Infinity, Infinity];

  let rows: PostRow[];
  if (page.authors) {
    const inPage = (row: HeldPostRow) => {
      const key: [number, number] = [-row.ts, tieOf(row.id)];
      if (compareKeys(key, top) > 0) return false;
      if (!after) return true;
      return newest ? compareKeys(key, after) > 0 : compareKeys(key, after) < 0;
    };
    // Only the ts bounds go in the index range; the tie is checked per row.
    const lo = Math.max(page.since ?? -Infinity, !newest && page.cursor ? page.cursor.ts : -Infinity);
    const hi = newest && page.cursor ? page.cursor.ts : Infinity;
    const perAuthor = await Promise.all([...new Set(page.authors)].map(async (author) => {
      const a = idBytes(author);
      const found: HeldPostRow[] = [];
      // byAuthorTs: ts ascending, then id ascending, which is timeline order reversed.
      for (let c = await posts.index('byAuthorTs').openCursor(IDBKeyRange.bound([a, lo], [a, hi]), newest ? 'prev' : 'next'); c && found.length < limit; c = await c.continue()) {
        const row = c.value;
        if (isHeldPost(row) && seenBy(row, v) && (!page.hasMedia || row.tm) && inPage(row)) found.push(row);
      }
      return found;
    }));
    rows = perAuthor.flat().sort((x, y) => compareKeys([-x.ts, tieOf(x.id)], [-y.ts, tieOf(y.id)]) * (newest ? 1 : -1)).slice(0, limit);
  } else {
    const index = posts.index(page.hasMedia ? 'media' : 'timeline');
    const range = newest
      ? IDBKeyRange.bound([v, ...(after ?? [-Infinity])], [v, ...top], after !== undefined, false)
      : IDBKeyRange.bound([v, -Infinity], [v, ...(after ?? top)], false, after !== undefined);
    if (newest) rows = await index.getAll(range, limit);
    else {
      rows = [];
      for (let c = await index.openCursor(range, 'prev'); c && rows.length < limit; c = await c.continue()) rows.push(c.value);
    }
  }
  const items = (rows as HeldPostRow[]).map((r) => itemOf(r, viewer));
  const outbox = tx.objectStore('outbox');
  if (!items.some((i) => i.author === viewer) || (await outbox.count(ownedRange(viewer))) === 0) return items;
  const queued = await Promise.all(items.map((i) => (i.author === viewer ? outbox.getKey([viewer, i.commitId]) : undefined)));
  return items.map((item, i) => (queued[i] !== undefined ? { ...item, queued: true } : item));
}

function compareKeys(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}
