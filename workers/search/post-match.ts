/**
 * Whether one post matches a parsed query (query.ts), decided purely from
 * what the post is found by (store/search-terms.ts termsOf), its time and
 * its author's handle. The worker answers a query through the `terms` index
 * (matches.ts) and needs these only in part; the command line, which has no
 * index, scans the posts it holds with them (src/cli/read/search.ts), so
 * both read a query the same way.
 */
import { MEDIA_TERM, tagTerm } from '../store/search-terms.ts';
import type { SearchQuery, WordTerm } from './query.ts';

/** True when `terms` hold `word`: the very word, or, for a prefix, any word starting with it. */
export function holdsWord(terms: readonly string[], word: WordTerm): boolean {
  return word.prefix ? terms.some((t) => t.startsWith(word.text)) : terms.includes(word.text);
}

/** True when `terms` (termsOf) hold every word and tag of `query`, and the media mark when it asks for media. */
export function termsMatch(terms: readonly string[], query: SearchQuery): boolean {
  return (
    query.words.every((w) => holdsWord(terms, w)) &&
    query.tags.every((t) => terms.includes(tagTerm(t))) &&
    (!query.hasMedia || terms.includes(MEDIA_TERM))
  );
}

/** True when `ts` (ms since the epoch) is within the query's `since:` and `until:`, both ends inclusive. */
export function withinDates(ts: number, query: SearchQuery): boolean {
  return (query.since === undefined || ts >= query.since) && (query.until === undefined || ts <= query.until);
}

/** True when one of the `from:` names is `handle`: the whole handle, or its name on any host (any case). */
export function namedBy(from: readonly string[], handle: string | null | undefined): boolean {
  if (handle === null || handle === undefined) return false;
  const lower = handle.toLowerCase();
  return from.some((f) => lower === f || lower.split('@')[0] === f);
}
