/**
 * Pure merging of a freshly read page into the loaded timeline, so a change
 * notice never reloads 100,000 rows: the covered stretch is replaced (edits,
 * reactions and deletes show), and posts newer than the top come back apart
 * as arrivals (the screen decides whether to show them at once). A re-read
 * post that did not change keeps its object, so its row is not rendered again.
 */
import type { TimelineItem } from '../../../workers/api/api-types.ts';

export type Order = 'newest' | 'oldest';

/** The worker's order: ts, then id (descending for newest first). */
export function compareItems(order: Order): (a: TimelineItem, b: TimelineItem) => number {
  const sign = order === 'newest' ? -1 : 1;
  return (a, b) => sign * (a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface Merged {
  readonly items: TimelineItem[];
  /** Items that sort before the first loaded item (only when merging at the head). */
  readonly arrivals: TimelineItem[];
  /**
   * The page was full and now ends the list: more may lie past it, so a list
   * that had reached its end has not (a first read of an empty timeline, then
   * a page of a feed being followed merged in).
   */
  readonly moreAfter: boolean;
}

/**
 * @param from index in `current` where the fetched page starts (0 for the head)
 * @param complete true when the page held everything after its start (fewer than the limit)
 * @param atHead the reader is at the head: the rows past the page are off screen and are dropped (paged in
 *   again by cursor), since posts may have come in between them that no re-read of the page would show
 *   (a feed followed since they were read)
 */
export function mergePage(
  current: readonly TimelineItem[],
  fetched: readonly TimelineItem[],
  from: number,
  complete: boolean,
  order: Order,
  atHead = false,
): Merged {
  const cmp = compareItems(order);
  const head = current.slice(0, from);
  const headIds = new Set(head.map((i) => i.id));
  const page = fetched.filter((i) => !headIds.has(i.id));
  const first = current[from];
  const arrivals = from === 0 && first ? page.filter((i) => cmp(i, first) < 0) : [];
  const arrivalIds = new Set(arrivals.map((i) => i.id));
  const kept = page.filter((i) => !arrivalIds.has(i.id));
  const last = fetched[fetched.length - 1];
  let end = from;
  while (end < current.length) {
    const item = current[end] as TimelineItem;
    if (!complete && (!last || cmp(item, last) > 0)) break;
    end++;
  }
  const keptIds = new Set(kept.map((i) => i.id));
  const before = new Map(current.slice(from, end).map((i) => [i.id, i]));
  // A post read inside the stretch that was not in it came in between loaded rows (a newly followed feed's
  // backlog): the rows past the stretch may lack such posts too, so they go, and are paged in again by cursor.
  const outside = complete ? [] : kept.filter((i) => !before.has(i.id));
  const inserted =
    outside.length > 0 && ((held) => outside.some((i) => !held.has(i.id)))(new Set(current.map((c) => c.id)));
  const tail =
    inserted || (atHead && from === 0 && !complete) ? [] : current.slice(end).filter((i) => !keptIds.has(i.id));
  const same = kept.map((i) => {
    const old = before.get(i.id);
    return old && sameItem(old, i) ? old : i;
  });
  return { items: [...head, ...same, ...tail], arrivals, moreAfter: !complete && same.length > 0 && tail.length === 0 };
}

/**
 * True when two reads of a post would show the same thing. Every field is a
 * string, number, boolean, or an array or object of those (it crossed comlink
 * as plain data), so comparing the JSON is exact and cheaper than a re-render.
 */
export function sameItem(a: TimelineItem, b: TimelineItem): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
