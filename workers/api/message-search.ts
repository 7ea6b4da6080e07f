/**
 * The direct messages a search finds (search/messages.ts matches them), as
 * the Search screen shows them: without those of muted or blocked people or
 * naming a muted word (as notifications are filtered), each with its peer's
 * name and handle.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { MessageHit, SearchPage, SearchResults } from './api-types.ts';
import type { CoreStore } from '../store/core-store.ts';
import type { CoreDb } from '../store/db.ts';
import { findHandleOf } from '../inbox/contacts.ts';
import { type Hidden, filterItems, hidesNotification } from '../private/filter.ts';
import { searchMessages } from '../search/messages.ts';
import { isEmptyQuery, parseQuery } from '../search/query.ts';
import { type Keep, peopleOf, searchPosts } from '../search/search.ts';

/** A search as the Search screen shows it: the posts found, mutes applied; on its first page, the messages too. */
export async function searchWithMessages(
  deps: { readonly db: CoreDb; readonly store: CoreStore },
  viewer: PseudonymId,
  query: string,
  page: SearchPage,
  now: number,
  hidden: Hidden,
): Promise<SearchResults> {
  const keep: Keep = (items) => filterItems(deps.db, hidden, items);
  const posts = await searchPosts(deps.db, { viewer, query, page, now, keep });
  if (page.cursor) return posts;
  const messages = await findMessages(deps, viewer, query, now, hidden);
  return messages.length > 0 ? { ...posts, messages } : posts;
}

export async function findMessages(
  deps: { readonly db: CoreDb; readonly store: CoreStore },
  viewer: PseudonymId,
  text: string,
  now: number,
  hidden: Hidden,
): Promise<MessageHit[]> {
  const query = parseQuery(text, now);
  if (isEmptyQuery(query)) return [];
  const people = await peopleOf(deps.db, viewer, query);
  if (!people) return [];
  const hits = await searchMessages(deps.store, viewer, query, people.from);
  const shown = hits.filter(
    (m) => !hidesNotification(hidden, { from: m.direction === 'in' ? m.peer : viewer, body: m.body }),
  );
  return Promise.all(
    shown.map(async (m) => {
      const [name, handle] = await Promise.all([
        deps.store.findProfileField(m.peer, 'name'),
        findHandleOf(deps.store, viewer, m.peer),
      ]);
      return { ...m, ...(typeof name === 'string' && { peerName: name }), ...(handle && { peerHandle: handle }) };
    }),
  );
}
