/**
 * Filters for the timeline: by handle (resolved to author ids from the
 * handles this pseudonym has seen), with media only, since a date, and the
 * order. Applying builds a FeedQuery; nothing is sent anywhere.
 */
import { type FormEvent, useId, useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { Icon } from '../shell/Icon.tsx';
import { useKnownHandles } from './known-handles.ts';
import type { FeedQuery } from './use-timeline-feed.ts';

export interface TimelineFiltersProps {
  readonly viewer: PseudonymId;
  readonly query: FeedQuery;
  readonly onChange: (query: FeedQuery) => void;
}

export function TimelineFilters({ viewer, query, onChange }: TimelineFiltersProps) {
  const known = useKnownHandles(viewer);
  const [open, setOpen] = useState(false);
  const [handle, setHandle] = useState('');
  const [hasMedia, setHasMedia] = useState(query.hasMedia ?? false);
  const [since, setSince] = useState('');
  const [error, setError] = useState<string>();
  const ids = useId();
  const active = query.authors !== undefined || query.hasMedia || query.since !== undefined;

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wanted = handle
      .split(/[\s,]+/)
      .map((h) => h.trim().replace(/^@/, '').toLowerCase())
      .filter(Boolean);
    const authors = wanted.map((h) => known.byHandle.get(h));
    const missing = wanted.filter((_, i) => authors[i] === undefined);
    if (missing.length > 0) {
      setError(`Not among the people this pseudonym has seen: ${missing.join(', ')}`);
      return;
    }
    setError(undefined);
    const sinceTs = since ? Date.parse(`${since}T00:00:00`) : undefined;
    onChange({
      order: query.order,
      ...(authors.length > 0 && { authors: authors as PseudonymId[] }),
      ...(hasMedia && { hasMedia: true }),
      ...(sinceTs !== undefined && Number.isFinite(sinceTs) && { since: sinceTs }),
    });
  }

  function clear() {
    setHandle('');
    setHasMedia(false);
    setSince('');
    setError(undefined);
    onChange({ order: query.order });
  }

  return (
    <div className="filters">
      <div className="filters-bar">
        <button
          type="button"
          className={`button button-quiet button-small${active ? ' is-active' : ''}`}
          aria-expanded={open}
          aria-controls={`${ids}-panel`}
          onClick={() => setOpen((o) => !o)}
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
      <form id={`${ids}-panel`} className="filters-panel" hidden={!open} onSubmit={apply} aria-label="Timeline filters">
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-handle`}>
            Only from handle
          </label>
          <input
            id={`${ids}-handle`}
            className="input"
            value={handle}
            onChange={(e) => setHandle(e.target.value)}
            placeholder="name@hub.example"
            autoCapitalize="none"
            spellCheck={false}
            list={`${ids}-known`}
          />
          <datalist id={`${ids}-known`}>
            {[...known.byHandle.keys()].map((h) => (
              <option key={h} value={h} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-since`}>
            Since
          </label>
          <input
            id={`${ids}-since`}
            className="input"
            type="date"
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={hasMedia} onChange={(e) => setHasMedia(e.target.checked)} /> With images only
        </label>
        <div className="message message-error" role="alert">
          {error}
        </div>
        <div className="filters-actions">
          <button type="button" className="button button-quiet button-small" onClick={clear}>
            Clear filters
          </button>
          <button type="submit" className="button button-primary button-small">
            Apply filters
          </button>
        </div>
      </form>
    </div>
  );
}
