/**
 * `murmur search`: the app's query language (workers/search/query.ts) read
 * the app's way (post-match.ts) over what this home holds. The command line
 * keeps no search index: it reads the timeline's posts (timeline.ts: its own,
 * its follows' and what they reposted, each at its shown version, deletes
 * and what mutes and blocks hide left out) and keeps those whose terms match,
 * newest first by the post's own time, no ranking, as the app orders hits.
 * A scan costs what a `timeline` costs: fine for the feeds one device
 * follows (docs/cli.md).
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { Hidden } from '../../../workers/private/filter.ts';
import { namedBy, termsMatch, withinDates } from '../../../workers/search/post-match.ts';
import { isEmptyQuery, parseQuery } from '../../../workers/search/query.ts';
import { highlightsOf, termsOf } from '../../../workers/store/search-terms.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';
import { type TimelinePost, readTimeline } from './timeline.ts';

/** Where a page ends: its last post. The next page holds the posts strictly older (as the app's SearchPage). */
export interface SearchCursor {
  readonly ts: number;
  readonly id: ObjectId;
}

export interface SearchRequest {
  readonly text: string;
  readonly limit: number;
  readonly before?: SearchCursor;
  /** The time `since:` and `until:` spans count back from. */
  readonly now: number;
  readonly hidden?: Hidden;
}

export interface SearchAnswer {
  readonly posts: TimelinePost[];
  /** Where each post's body holds the query's words and tags (for words at a terminal; not in `--json`). */
  readonly highlights: [number, number][][];
  /** Set when more posts match past the last one given. */
  readonly cursor?: SearchCursor;
}

/** A cursor as the command line writes it: `TS.ID` (docs/cli.md). */
export function cursorText(at: SearchCursor): string {
  return `${at.ts}.${at.id}`;
}

/** The cursor `text` writes, or undefined when it is not one. */
export function parseCursor(text: string): SearchCursor | undefined {
  const m = /^(\d{1,16})\.([0-9a-f]{64})$/.exec(text);
  return m ? { ts: Number(m[1]), id: m[2] as ObjectId } : undefined;
}

/** The app's hit order (workers/store/post-rows.ts postKeyOf): newest first, then the greater id first. */
function newestFirst(a: SearchCursor, b: SearchCursor): number {
  return b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** A page of the posts `me` sees that match `request.text`, newest first; none for a query asking nothing. */
export async function searchPosts(
  store: FeedStore,
  me: { readonly id: PseudonymId; readonly handle?: string },
  request: SearchRequest,
): Promise<SearchAnswer> {
  const query = parseQuery(request.text, request.now);
  if (isEmptyQuery(query)) return { posts: [], highlights: [] };
  const seen = await readTimeline(store, me, {
    limit: Number.POSITIVE_INFINITY,
    ...(request.hidden && { hidden: request.hidden }),
  });
  const { before } = request;
  const matching = seen
    .filter((p) => before === undefined || newestFirst(before, p) < 0)
    .filter((p) => withinDates(p.ts, query))
    .filter((p) => query.from.length === 0 || namedBy(query.from, p.handle))
    .filter((p) => {
      const terms = termsOf({ body: p.body, tags: p.tags, authorKey: p.author, media: p.media.length > 0 });
      return termsMatch(terms, query);
    })
    .sort(newestFirst);
  const posts = matching.slice(0, request.limit);
  const highlights = posts.map((p) => highlightsOf(p.body, query.words, query.tags));
  const last = posts.at(-1);
  const more = matching.length > posts.length && last;
  return { posts, highlights, ...(more && { cursor: { ts: last.ts, id: last.id } }) };
}
