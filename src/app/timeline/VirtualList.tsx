/**
 * A small windowing list on the page's own scroll: only the rows in view
 * (plus `overscan` pixels either side) are in the DOM, each placed at its
 * offset; heights are measured (ResizeObserver) and remembered by key, with
 * an estimate until then. When a row above the viewport changes height the
 * page scrolls by the difference, so what you are reading does not move.
 *
 * The main thread stays free while rows pour in: new rows join a few per
 * commit (row-window.ts), re-renders for measured heights are transitions
 * (except when the reader's position depends on them), and a row whose
 * props did not change is not rendered again.
 */
import {
  type ReactNode,
  memo,
  startTransition,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { pickRows } from './row-window.ts';

/** New rows per commit: a few posts render, lay out and paint well inside a 50 ms task on a slow, busy device. */
const NEW_ROWS_PER_COMMIT = 4;

export interface VirtualListProps<T> {
  readonly items: readonly T[];
  readonly getKey: (item: T) => string;
  readonly renderItem: (item: T, index: number) => ReactNode;
  readonly label: string;
  readonly className?: string;
  readonly estimate?: number;
  readonly overscan?: number;
  /** Called when the window reaches within a screen of the end. */
  readonly onEndReached?: () => void;
  /** The index of the first row in view, as it changes. */
  readonly onFirstVisible?: (index: number) => void;
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  const {
    items,
    getKey,
    renderItem,
    label,
    className,
    estimate = 160,
    overscan = 800,
    onEndReached,
    onFirstVisible,
  } = props;
  const list = useRef<HTMLOListElement>(null);
  const heights = useRef(new Map<string, number>());
  const [measured, bump] = useReducer((n: number) => n + 1, 0);
  const [, grow] = useReducer((n: number) => n + 1, 0);
  /** Keys of the rows in the DOM, as of the last commit. */
  const mounted = useRef<ReadonlySet<string>>(new Set());
  const [view, setView] = useState({ top: 0, bottom: typeof window === 'undefined' ? 1000 : window.innerHeight });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `measured` is the trigger: heights (a ref) changed
  const offsets = useMemo(() => {
    const out = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++)
      out[i + 1] = (out[i] as number) + (heights.current.get(getKey(items[i] as T)) ?? estimate);
    return out;
  }, [items, getKey, estimate, measured]);
  const total = offsets[items.length] as number;

  const update = useCallback(() => {
    const el = list.current;
    if (!el) return;
    const listTop = el.getBoundingClientRect().top;
    setView((prev) => {
      const next = { top: -listTop, bottom: -listTop + window.innerHeight };
      return Math.abs(prev.top - next.top) < 1 && Math.abs(prev.bottom - next.bottom) < 1 ? prev : next;
    });
  }, []);

  useEffect(() => {
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
    };
  }, [update]);
  // Not a layout effect: reading the list's position right after a commit would lay out the new rows inside it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `total` is the trigger: a new height moves the list
  useEffect(update, [update, total]);

  const first = Math.max(0, upperBound(offsets, view.top - overscan) - 1);
  const last = Math.min(items.length, upperBound(offsets, view.bottom + overscan));
  const firstInView = Math.max(0, upperBound(offsets, view.top) - 1);
  const lastInView = Math.min(items.length, upperBound(offsets, view.bottom));
  const picked = pickRows(
    { first, last, firstInView, lastInView },
    (i) => getKey(items[i] as T),
    mounted.current,
    NEW_ROWS_PER_COMMIT,
  );
  const shown = picked.indexes.map((i) => getKey(items[i] as T));

  useLayoutEffect(() => {
    mounted.current = new Set(shown);
  });
  // The rest of the window joins on the next frames, a few rows each, as a transition (input goes first).
  useEffect(() => {
    if (!picked.deferred) return;
    const frame = requestAnimationFrame(() => startTransition(grow));
    return () => cancelAnimationFrame(frame);
  });

  useEffect(() => {
    onFirstVisible?.(firstInView);
  }, [firstInView, onFirstVisible]);
  useEffect(() => {
    if (onEndReached && items.length > 0 && view.bottom + window.innerHeight >= total) onEndReached();
  }, [onEndReached, view.bottom, total, items.length]);

  const observer = useMemo(
    () =>
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver((entries) => {
            let changed = false;
            let shift = 0;
            for (const entry of entries) {
              const el = entry.target as HTMLElement;
              const key = el.dataset.key;
              if (!key) continue;
              const h = el.offsetHeight;
              const old = heights.current.get(key) ?? estimate;
              if (h === 0 || Math.abs(h - old) < 0.5) continue;
              heights.current.set(key, h);
              changed = true;
              if (el.getBoundingClientRect().top + old <= 0) shift += h - old;
            }
            if (shift !== 0) window.scrollBy(0, shift);
            // The scroll moved already, so rows above the reader are placed at once; other heights can wait for a
            // transition.
            if (!changed) return;
            if (shift !== 0) bump();
            else startTransition(bump);
          }),
    [estimate],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);

  const measure = useCallback(
    (el: HTMLLIElement | null) => {
      if (!el || !observer) return;
      // The border box, as offsetHeight reads it: a row's bottom border is part of the height it takes.
      observer.observe(el, { box: 'border-box' });
      return () => observer.unobserve(el);
    },
    [observer],
  );

  const rows: ReactNode[] = [];
  for (const [n, i] of picked.indexes.entries()) {
    const item = items[i] as T;
    const key = shown[n] as string;
    rows.push(
      <VirtualRow
        key={key}
        rowKey={key}
        item={item}
        index={i}
        count={items.length}
        offset={offsets[i] as number}
        measure={measure}
        renderItem={renderItem}
      />,
    );
  }
  return (
    <ol ref={list} className={className} aria-label={label} style={{ height: total }} data-count={items.length}>
      {rows}
    </ol>
  );
}

interface VirtualRowProps<T> {
  readonly rowKey: string;
  readonly item: T;
  readonly index: number;
  readonly count: number;
  readonly offset: number;
  readonly measure: (el: HTMLLIElement | null) => (() => void) | undefined;
  readonly renderItem: (item: T, index: number) => ReactNode;
}

/**
 * One placed row. Memoized: the list renders again whenever a row is measured or the window moves, and a row whose
 * props are the same has nothing to redo.
 */
const VirtualRow = memo(function VirtualRow<T>({
  rowKey,
  item,
  index,
  count,
  offset,
  measure,
  renderItem,
}: VirtualRowProps<T>) {
  return (
    <li
      ref={measure}
      data-key={rowKey}
      className="virtual-row"
      style={{ transform: `translateY(${offset}px)` }}
      aria-setsize={count}
      aria-posinset={index + 1}
    >
      {renderItem(item, index)}
    </li>
  );
}) as <T>(props: VirtualRowProps<T>) => ReactNode;

/** The first index whose offset is greater than `value`. */
function upperBound(offsets: Float64Array, value: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
