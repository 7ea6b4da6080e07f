/**
 * Reading the timeline of one pseudonym: pages of its materialized rows
 * (timeline-rows.ts), keyed [viewer, -ts, complement(id)] so newest-first is
 * ascending key order and the first page is one bounded getAll. Filters use
 * their own index (media, author) instead of scanning past what they skip.
 * Only `queued` is decided at read time (it changes on acknowledgement, not
 * on a commit), and only when the viewer has anything queued at all.
 */
import type { PseudonymId } from '../src/protocol/ids.ts';
import type { TimelineItem, TimelinePage } from './api-types.ts';
import { type CoreDb, type TimelineRow, ownedRange } from './db.ts';
import { complementId } from './timeline-rows.ts';

export const MAX_PAGE = 500;

/** Own and followed posts and reposts, one row each, per page.order (newest first by default). */
export async function listTimeline(db: CoreDb, viewer: PseudonymId, page: TimelinePage): Promise<TimelineItem[]> {
  const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(page.limit)));
  if (limit === 0) return [];
  const newest = page.order !== 'oldest';
  const tx = db.transaction(['timeline', 'outbox']);
  const timeline = tx.objectStore('timeline');
  // Newest first walks keys upwards from the cursor; `since` caps -ts from above.
  const after = page.cursor ? [-page.cursor.ts, complementId(page.cursor.id)] : undefined;
  const top = page.since !== undefined ? [-page.since, '\uffff'] : [Infinity];
  const range = (prefix: readonly unknown[]) => newest
    ? IDBKeyRange.bound([...prefix, ...(after ?? [-Infinity])], [...prefix, ...top], after !== undefined, false)
    : IDBKeyRange.bound([...prefix, -Infinity], [...prefix, ...(after ?? top)], false, after !== undefined);

  let rows: TimelineRow[];
  if (page.authors) {
    const perAuthor = await Promise.all([...new Set(page.authors)].map((a) => take(timeline.index('byAuthor'), range([viewer, a]), limit, newest, page.hasMedia)));
    rows = perAuthor.flat().sort((a, b) => (a.k - b.k || (a.r < b.r ? -1 : a.r > b.r ? 1 : 0)) * (newest ? 1 : -1)).slice(0, limit);
  } else if (page.hasMedia) {
    rows = await take(timeline.index('byMedia'), range([viewer]), limit, newest, false);
  } else {
    rows = await take(timeline, range([viewer]), limit, newest, false);
  }
  const items = rows.map((r) => r.item);
  const outbox = tx.objectStore('outbox');
  if (!items.some((i) => i.author === viewer) || (await outbox.count(ownedRange(viewer))) === 0) return items;
  const queued = await Promise.all(items.map((i) => (i.author === viewer ? outbox.getKey([viewer, i.commitId]) : undefined)));
  return items.map((item, i) => (queued[i] !== undefined ? { ...item, queued: true } : item));
}

interface Source {
  getAll(range: IDBKeyRange, count?: number): Promise<TimelineRow[]>;
  openCursor(range: IDBKeyRange, direction?: IDBCursorDirection): Promise<{ value: TimelineRow; continue(): Promise<unknown> } | null>;
}

/** Up to `limit` rows of `range` in order (one getAll when nothing is filtered and the order is ascending). */
async function take(source: Source, range: IDBKeyRange, limit: number, ascending: boolean, mediaOnly: boolean | undefined): Promise<TimelineRow[]> {
  if (ascending && !mediaOnly) return source.getAll(range, limit);
  const rows: TimelineRow[] = [];
  for (let c = await source.openCursor(range, ascending ? 'next' : 'prev'); c && rows.length < limit; c = (await c.continue()) as typeof c) {
    if (!mediaOnly || c.value.mk !== undefined) rows.push(c.value);
  }
  return rows;
}
