/**
 * Reading the timeline of one pseudonym, page by page (timeline-page.ts
 * reads one as its rows are now). Posts of long feeds that have no rows yet
 * get them before a page could show them (lazy-posts.ts); with none, a page
 * costs one more read.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineItem, TimelinePage } from '../api/api-types.ts';
import type { CoreDb } from '../store/db.ts';
import { rowsThrough } from '../store/lazy-posts.ts';
import { readTimelinePage } from './timeline-page.ts';

export { MAX_PAGE } from './timeline-page.ts';

/** Posts given rows per feed at a time when a page reaches past what has rows (lazy-posts.ts). */
const ROWS_PER_STEP = 512;

/** Own and followed posts and reposts, one row each, per page.order (newest first by default). */
export async function listTimeline(db: CoreDb, viewer: PseudonymId, page: TimelinePage): Promise<TimelineItem[]> {
  for (;;) {
    const read = await readTimelinePage(db, viewer, page);
    if ('items' in read) return read.items;
    await rowsThrough(db, read.due, read.through, page.order === 'oldest' ? undefined : ROWS_PER_STEP);
  }
}
