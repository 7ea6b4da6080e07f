/**
 * A small windowing list on the page's own scroll: only the rows in view
 * (plus `overscan` pixels either side) are in the DOM, each placed at its
 * offset; heights are measured (ResizeObserver) and remembered by key, with
 * an estimate until then. When a row above the viewport changes height the
 * page scrolls by the difference, so what you are reading does not move.
 */
import { type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';

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
  const { items, getKey, renderItem, label, className, estimate = 160, overscan = 800, onEndReached, onFirstVisible } = props;
  const list = useRef<HTMLOListElement>(null);
  const heights = useRef(new Map<string, number>());
  const [measured, bump] = useReducer((n: number) => n + 1, 0);
  const [view, setView] = useState({ top: 0, bottom: typeof window === 'undefined' ? 1000 : window.innerHeight });

  const offsets = useMemo(() => {
    const out = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) out[i + 1] = (out[i] as number) + (heights.current.get(getKey(items[i] as T)) ?? estimate);
    return out;
    // `measured` changes when heights do.
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
  useLayoutEffect(update, [update, total]);

  const first = Math.max(0, upperBound(offsets, view.top - overscan) - 1);
  const last = Math.min(items.length, upperBound(offsets, view.bottom + overscan));
  const firstInView = Math.max(0, upperBound(offsets, view.top) - 1);

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
            if (changed) bump();
          }),
    [estimate],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);

  const measure = useCallback(
    (el: HTMLLIElement | null) => {
      if (!el || !observer) return;
      observer.observe(el);
      return () => observer.unobserve(el);
    },
    [observer],
  );

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i] as T;
    const key = getKey(item);
    rows.push(
      <li
        key={key}
        ref={measure}
        data-key={key}
        className="virtual-row"
        style={{ transform: `translateY(${offsets[i]}px)` }}
        aria-setsize={items.length}
        aria-posinset={i + 1}
      >
        {renderItem(item, i)}
      </li>,
    );
  }
  return (
    <ol ref={list} className={className} aria-label={label} style={{ height: total }} data-count={items.length}>
      {rows}
    </ol>
  );
}

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
