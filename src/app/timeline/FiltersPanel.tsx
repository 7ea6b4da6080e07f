/**
 * The timeline filters' panel (TimelineFilters.tsx): by handle (resolved to
 * author ids from the handles this pseudonym has seen), with media only,
 * since a date. A chunk of its own, loaded when the panel is first opened
 * and kept mounted after (hidden with its container), so what was typed stays.
 */
import { type FormEvent, useState } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useKnownHandles } from './known-handles.ts';
import type { FeedQuery } from './use-timeline-feed.ts';

export interface FiltersPanelProps {
  readonly id: string;
  readonly viewer: PseudonymId;
  readonly query: FeedQuery;
  readonly onChange: (query: FeedQuery) => void;
}

export function FiltersPanel({ id: ids, viewer, query, onChange }: FiltersPanelProps) {
  const known = useKnownHandles(viewer);
  const [handle, setHandle] = useState('');
  const [hasMedia, setHasMedia] = useState(query.hasMedia ?? false);
  const [since, setSince] = useState('');
  const [error, setError] = useState<string>();

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
    <form className="filters-panel" onSubmit={apply} aria-label="Timeline filters">
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
  );
}
