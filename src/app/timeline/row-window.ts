/**
 * Which rows of a virtual list's window to render now. A row already on
 * screen always stays; a new row costs its render, style, layout and paint,
 * so at most `budget` new rows join per commit (those in view first, then
 * the overscan), and the list renders again for the rest. A whole page of
 * posts landing at once (a followed feed catching up) then costs a few short
 * tasks rather than one long one, whatever the screen's height.
 */

export interface RowWindow {
  /** The window with its overscan: indexes [first, last). */
  readonly first: number;
  readonly last: number;
  /** The rows in view: [firstInView, lastInView), inside the window. */
  readonly firstInView: number;
  readonly lastInView: number;
}

export interface PickedRows {
  /** Indexes to render, ascending. */
  readonly indexes: number[];
  /** True when some rows of the window wait for a later commit. */
  readonly deferred: boolean;
}

/**
 * @param keyOf the key of the row at an index
 * @param mounted keys of the rows in the DOM now
 * @param budget how many rows not in `mounted` may join
 */
export function pickRows(
  span: RowWindow,
  keyOf: (index: number) => string,
  mounted: ReadonlySet<string>,
  budget: number,
): PickedRows {
  const { first, last } = span;
  const firstInView = Math.min(Math.max(span.firstInView, first), last);
  const lastInView = Math.min(Math.max(span.lastInView, firstInView), last);
  const picked = new Set<number>();
  let left = budget;
  let deferred = false;
  const consider = (i: number) => {
    if (mounted.has(keyOf(i))) picked.add(i);
    else if (left > 0) {
      picked.add(i);
      left--;
    } else deferred = true;
  };
  // In view top-down, then below the view (where a reader goes next), then above it.
  for (let i = firstInView; i < lastInView; i++) consider(i);
  for (let i = lastInView; i < last; i++) consider(i);
  for (let i = firstInView - 1; i >= first; i--) consider(i);
  return { indexes: [...picked].sort((a, b) => a - b), deferred };
}
