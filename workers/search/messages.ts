/**
 * Direct messages matching a query: search covers the messages the person
 * can read, whose bodies are in clear only on this device (the DM rows; the
 * hubs hold them sealed). They are few beside posts, so they are read whole
 * and matched by the same rules as posts (post-match.ts): words and prefixes,
 * #tags, `from:` (the viewer or a followed feed, as for posts), `since:` and
 * `until:`; `has:media` finds none (messages carry text only). Newest first,
 * no ranking.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { MessageHit } from '../api/api-types.ts';
import type { InboxStore } from '../store/inbox-store.ts';
import { messageItemOf } from '../store/inbox-rows.ts';
import { idKey } from '../store/post-rows.ts';
import { highlightsOf, termsOf } from '../store/search-terms.ts';
import { termsMatch, withinDates } from './post-match.ts';
import type { SearchQuery } from './query.ts';

/** The most messages one search answers (they come with the first page of posts). */
export const MAX_MESSAGE_HITS = 20;

/**
 * @param from the authors `from:` names, as idKeys (search.ts namedAuthors), or undefined for anyone
 * @returns without the peer's name and handle (the caller knows where to find them)
 */
export async function searchMessages(
  store: Pick<InboxStore, 'listDms'>,
  viewer: PseudonymId,
  query: SearchQuery,
  from: readonly string[] | undefined,
  limit = MAX_MESSAGE_HITS,
): Promise<MessageHit[]> {
  if (query.hasMedia) return [];
  const rows = (await store.listDms(viewer)).sort((a, b) => b.ts - a.ts || (a.id < b.id ? 1 : -1));
  const hits: MessageHit[] = [];
  for (const row of rows) {
    if (hits.length >= limit) break;
    const author = idKey(row.direction === 'in' ? row.peer : viewer);
    if (from && !from.includes(author)) continue;
    if (!withinDates(row.ts, query)) continue;
    if (!termsMatch(termsOf({ body: row.body, authorKey: author, media: false }), query)) continue;
    hits.push({ ...messageItemOf(row), highlights: highlightsOf(row.body, query.words, query.tags) });
  }
  return hits;
}
