/**
 * Search (core.search): a labelled search field, results newest first as
 * post cards with the matched words marked (the direct messages found above
 * them), and a polite status line saying how many were found. The query is kept in the route (`#/search?q=`) without
 * adding a history entry per keystroke; results are asked again when posts
 * change (new, edited, deleted) or mutes do, so open results stay live.
 */
import { useEffect, useRef, useState } from 'react';
import type { Change, PseudonymSummary, SearchResults } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { routeHref, settledSearchHref } from '../nav/route.ts';
import { PostCard } from '../post/PostCard.tsx';
import { useNow } from '../timeline/use-now.ts';
import { MessageResults } from './MessageResults.tsx';

const PAGE = 50;
/** The most hits the worker answers at once (workers/search/search.ts MAX_SEARCH_PAGE). */
const MAX_SHOWN = 1000;
/** Typing pauses this long before a search runs. */
const SETTLE_MS = 150;

const NONE: SearchResults = { items: [] };

export default function SearchScreen({
  pseudonym,
  initial,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly initial: string;
}) {
  const core = useCore();
  const me = pseudonym.id;
  const [text, setText] = useState(initial);
  const [query, setQuery] = useState(initial);
  const [limit, setLimit] = useState(PAGE);
  const input = useRef<HTMLInputElement>(null);
  const now = useNow();

  useEffect(() => input.current?.focus(), []);
  // An empty search readies the worker's index (loaded in memory at its first use) while the person types.
  useEffect(() => void core.search(me, '', { limit: 0 }).catch(() => undefined), [core, me]);
  // Back, forward or a link to another query.
  useEffect(() => setText(initial), [initial]);
  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(text);
      setLimit(PAGE);
      const href = settledSearchHref(location.hash, text);
      if (href) history.replaceState(history.state, '', href);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const asked = query.trim();
  const results = useCoreQuery(
    `search:${me}:${limit}:${asked}`,
    () => (asked ? core.search(me, asked, { limit }) : Promise.resolve(NONE)),
    (c: Change) =>
      ((c.kind === 'timeline' || c.kind === 'profile' || c.kind === 'messages') &&
        (!c.pseudonym || c.pseudonym === me)) ||
      c.kind === 'private',
  );
  // While more results or another query load, the last ones stay (no flash of nothing).
  const last = useRef<{ asked: string; data: SearchResults }>({ asked: '', data: NONE });
  if (results.data) last.current = { asked, data: results.data };
  const data = results.data ?? (last.current.asked === asked ? last.current.data : undefined);
  const count = data?.items.length ?? 0;
  const messages = data?.messages ?? [];

  let status = '';
  if (!asked) status = 'Type to search posts and messages on this device.';
  else if (!data) status = 'Searching…';
  else if (count === 0 && messages.length === 0) status = 'No posts found.';
  else {
    const posts = `${count}${data.cursor ? '+' : ''} ${count === 1 && !data.cursor ? 'post' : 'posts'}`;
    const found = messages.length === 1 ? '1 message' : `${messages.length} messages`;
    status = messages.length > 0 ? `${posts} and ${found} found.` : `${posts} found.`;
  }

  return (
    <section className="screen" aria-labelledby="search-title">
      <h1 id="search-title" className="screen-title">
        Search
      </h1>
      <search className="search-form">
        <label htmlFor="search-input" className="visually-hidden">
          Search posts
        </label>
        <input
          ref={input}
          id="search-input"
          type="search"
          className="input search-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby="search-help"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
        />
        <p id="search-help" className="search-help">
          Words match as you type. Also: <code>from:handle</code>, <code>#tag</code>, <code>has:media</code>,{' '}
          <code>since:7d</code>, <code>until:2026-12-01</code>. Press <kbd>/</kbd> anywhere to search.
        </p>
        <p className="search-help">
          Looking for people to follow?{' '}
          <a href={routeHref({ name: 'discover', topic: '', q: '' })}>Discover people by topic</a> in your hub’s
          directory.
        </p>
      </search>
      <output className="search-status" aria-live="polite" data-testid="search-status">
        {status}
      </output>
      {results.error !== undefined && (
        <p className="message message-error" role="alert">
          Could not search: {describeError('load', results.error)}
        </p>
      )}
      {messages.length > 0 && <MessageResults messages={messages} />}
      {data && count > 0 && (
        <ol className="search-results" aria-label="Search results">
          {data.items.map((item) => (
            <li key={item.id}>
              <PostCard item={item} now={now} highlights={item.highlights} />
            </li>
          ))}
        </ol>
      )}
      {data?.cursor && limit < MAX_SHOWN && (
        <button type="button" className="button" onClick={() => setLimit((n) => Math.min(MAX_SHOWN, n + PAGE))}>
          Show more results
        </button>
      )}
      {data?.cursor && limit >= MAX_SHOWN && (
        <p className="search-help">There are more: add words, a person or dates to see older posts.</p>
      )}
    </section>
  );
}
