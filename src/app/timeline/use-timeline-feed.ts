/**
 * A pseudonym's timeline as pages read with the cursor while the person
 * scrolls, live: a change notice re-reads the head (and the stretch on
 * screen) and merges it in place. Posts newer than the top arrive at once
 * when the reader is at the top (or when they are the viewer's own), else
 * wait in `pending` behind an "N new posts" button.
 *
 * Pages that arrive from the worker are shown in a transition: rendering a
 * page of new rows is the largest main-thread job while a feed catches up,
 * and as a transition React renders it in short slices between other tasks
 * (input, the sync badge) instead of in one long one.
 *
 * A new query (a filter, the order) keeps the rows it replaces on screen,
 * marked loading, until its first page is read: blanking the list shortened
 * the page for that moment, the browser pulled the scroll position up to the
 * shorter end, and the new rows then came back under a reader who had been
 * moved (and the rows past the moved window were not rendered). Never across
 * pseudonyms: one's posts are not shown under another.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import type { TimelineItem, TimelinePage } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { useCoreChange } from '../core/use-core-change.ts';
import { learnHandles } from './known-handles.ts';
import { type Order, mergePage } from './merge-page.ts';

export const PAGE = 50;

export interface FeedQuery {
  readonly authors?: readonly PseudonymId[];
  readonly hasMedia?: boolean;
  readonly since?: number;
  readonly order: Order;
}

export interface Feed {
  readonly items: readonly TimelineItem[] | undefined;
  /** True while the query's first page is read (`items` are then the previous query's, if any). */
  readonly loading: boolean;
  readonly pending: readonly TimelineItem[];
  readonly done: boolean;
  readonly error: unknown;
  readonly loadMore: () => void;
  readonly reveal: () => void;
  /** Re-read the head and the stretch starting at `visibleFrom`. */
  readonly refresh: () => void;
  readonly setVisibleFrom: (index: number) => void;
}

interface State {
  readonly key: string;
  readonly viewer: PseudonymId;
  readonly items?: TimelineItem[];
  /** The previous query's rows of the same viewer, shown until `items` are read. */
  readonly previous?: TimelineItem[];
  readonly pending: TimelineItem[];
  readonly done: boolean;
  readonly error?: unknown;
}

export function useTimelineFeed(viewer: PseudonymId, query: FeedQuery, atTop: () => boolean): Feed {
  const core = useCore();
  const key = `${viewer}:${JSON.stringify(query)}`;
  const [state, setState] = useState<State>({ key, viewer, pending: [], done: false });
  const current = useRef(state);
  current.current = state;
  const busy = useRef(false);
  const visibleFrom = useRef(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  const atTopRef = useRef(atTop);
  atTopRef.current = atTop;

  const read = useCallback(
    (page: Partial<TimelinePage>) => {
      const q = queryRef.current;
      return core.listTimeline(viewer, {
        limit: PAGE,
        order: q.order,
        ...(q.authors && { authors: q.authors }),
        ...(q.hasMedia && { hasMedia: true }),
        ...(q.since !== undefined && { since: q.since }),
        ...page,
      });
    },
    [core, viewer],
  );

  // First page for each key.
  useEffect(() => {
    let live = true;
    busy.current = true;
    setState((prev) => {
      const previous = prev.viewer === viewer ? (prev.items ?? prev.previous) : undefined;
      return { key, viewer, pending: [], done: false, ...(previous && { previous }) };
    });
    read({})
      .then(
        (items) => {
          if (!live) return;
          learnHandles(viewer, items);
          startTransition(() => setState({ key, viewer, items, pending: [], done: items.length < PAGE }));
        },
        (error: unknown) => live && setState({ key, viewer, pending: [], done: true, error }),
      )
      .finally(() => {
        if (live) busy.current = false;
      });
    return () => {
      live = false;
    };
  }, [key, read, viewer]);

  const loadMore = useCallback(() => {
    const s = current.current;
    const last = s.items?.[s.items.length - 1];
    if (busy.current || s.done || !s.items || !last || s.key !== key) return;
    busy.current = true;
    read({ cursor: { ts: last.ts, id: last.id } })
      .then(
        (page) => {
          learnHandles(viewer, page);
          startTransition(() =>
            setState((prev) => {
              if (prev.key !== key || !prev.items) return prev;
              const have = new Set(prev.items.map((i) => i.id));
              return {
                ...prev,
                items: [...prev.items, ...page.filter((i) => !have.has(i.id))],
                done: page.length < PAGE,
              };
            }),
          );
        },
        (error: unknown) => setState((prev) => ({ ...prev, error })),
      )
      .finally(() => {
        busy.current = false;
      });
  }, [key, read, viewer]);

  // One refresh at a time: reads asked close together answered out of order (the worker runs calls at once),
  // and an older page merged last dropped posts only the newer one had. Notices during a refresh ask for one more.
  const refreshing = useRef(false);
  const refreshAgain = useRef(false);
  const refreshRef = useRef<() => void>(() => undefined);
  const refresh = useCallback(() => {
    if (refreshing.current) {
      refreshAgain.current = true;
      return;
    }
    refreshing.current = true;
    refreshAgain.current = false;
    const order = queryRef.current.order;
    const merge = (fetched: TimelineItem[], from: number) => {
      learnHandles(viewer, fetched);
      startTransition(() =>
        setState((prev) => {
          if (prev.key !== key || !prev.items) return prev;
          const merged = mergePage(prev.items, fetched, from, fetched.length < PAGE, order, atTopRef.current());
          const pendingIds = new Set(prev.pending.map((i) => i.id));
          const fresh = merged.arrivals.filter((i) => !pendingIds.has(i.id));
          const showNow = atTopRef.current() || prev.items.length === 0;
          const own = fresh.filter((i) => i.author === viewer);
          // A list that had reached its end has more to page through when a full page now ends it.
          const done = prev.done && !merged.moreAfter;
          if (showNow) return { ...prev, items: [...fresh, ...prev.pending, ...merged.items], pending: [], done };
          const others = fresh.filter((i) => !own.includes(i));
          return { ...prev, items: [...own, ...merged.items], pending: [...others, ...prev.pending], done };
        }),
      );
    };
    const reads = [
      read({}).then(
        (page) => merge(page, 0),
        (error: unknown) => setState((prev) => ({ ...prev, error })),
      ),
    ];
    const from = visibleFrom.current;
    const items = current.current.items;
    const before = items?.[from - 1];
    if (from > PAGE / 2 && before) {
      reads.push(
        read({ cursor: { ts: before.ts, id: before.id } }).then(
          (page) => {
            const start = current.current.items?.findIndex((i) => i.id === before.id);
            if (start !== undefined && start >= 0) merge(page, start + 1);
          },
          (error: unknown) => console.warn('murmur: could not re-read the visible posts', error),
        ),
      );
    }
    void Promise.allSettled(reads).then(() => {
      refreshing.current = false;
      if (refreshAgain.current) refreshRef.current();
    });
  }, [key, read, viewer]);
  refreshRef.current = refresh;

  useCoreChange((change) => {
    if ((change.kind === 'timeline' || change.kind === 'profile') && (!change.pseudonym || change.pseudonym === viewer))
      refresh();
  });

  const reveal = useCallback(() => {
    setState((prev) => (prev.items ? { ...prev, items: [...prev.pending, ...prev.items], pending: [] } : prev));
  }, []);

  const setVisibleFrom = useCallback((index: number) => {
    visibleFrom.current = index;
  }, []);

  const mine = state.key === key;
  // Until the effect above has run for a new key, `state` is still the previous query's.
  const shown = mine ? (state.items ?? state.previous) : state.viewer === viewer ? state.items : undefined;
  return {
    items: shown,
    loading: !mine || (state.items === undefined && state.error === undefined),
    pending: mine ? state.pending : [],
    done: mine && state.done,
    error: mine ? state.error : undefined,
    loadMore,
    reveal,
    refresh,
    setVisibleFrom,
  };
}
