/**
 * Filters for the timeline: the order, and a panel (FiltersPanel.tsx, loaded
 * when first opened) filtering by handle, media and date. Applying builds a
 * FeedQuery; nothing is sent anywhere.
 */
import { Suspense, lazy, useId, useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { Icon } from '../shell/Icon.tsx';
import type { FeedQuery } from './use-timeline-feed.ts';

const FiltersPanel = lazy(() => import('./FiltersPanel.tsx').then((m) => ({ default: m.FiltersPanel })));

export interface TimelineFiltersProps {
  readonly viewer: PseudonymId;
  readonly query: FeedQuery;
  readonly onChange: (query: FeedQuery) => void;
}

export function TimelineFilters({ viewer, query, onChange }: TimelineFiltersProps) {
  const [open, setOpen] = useState(false);
  // Mounted at the first open and kept after (hidden), so what was typed stays.
  const [opened, setOpened] = useState(false);
  const ids = useId();
  const active = query.authors !== undefined || query.hasMedia || query.since !== undefined;

  return (
    <div className="filters">
      <div className="filters-bar">
        <button
          type="button"
          className={`button button-quiet button-small${active ? ' is-active' : ''}`}
          aria-expanded={open}
          aria-controls={`${ids}-panel`}
          onClick={() => {
            setOpened(true);
            setOpen((o) => !o);
          }}
        >
          <Icon name="filter" /> Filters{active ? ' (on)' : ''}
        </button>
        <button
          type="button"
          className="button button-quiet button-small"
          aria-pressed={query.order === 'oldest'}
          onClick={() => onChange({ ...query, order: query.order === 'newest' ? 'oldest' : 'newest' })}
        >
          {query.order === 'newest' ? 'Newest first' : 'Oldest first'}
        </button>
      </div>
      {/* In the document from the start, so the button's aria-controls names an element while the panel loads. */}
      <div id={`${ids}-panel`} hidden={!open}>
        {opened && (
          <Suspense fallback={<p className="filters-loading">Loading filters…</p>}>
            <FiltersPanel id={ids} viewer={viewer} query={query} onChange={onChange} />
          </Suspense>
        )}
      </div>
    </div>
  );
}
