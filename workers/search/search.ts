/**
 * Running a search for one viewer over the search rows (db.ts SearchRow).
 * Every term of the query (a word, a word's prefix, a #tag, media, the
 * authors `from:` names) is looked up in the index in memory (term-index.ts),
 * whose lookups give post keys; their intersection, in key order, is the
 * answer in timeline order (newest first), with no ranking. A page then walks those
 * keys: a post is shown when the viewer sees it (its row's view, or for a
 * post kept only in its pack, its author is the viewer or followed), packed
 * posts get their rows (lazy-posts.ts) so hits are the same items the
 * timeline shows, and the caller's `keep` applies mutes and blocks.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { SearchHit, SearchPage, SearchResults, TimelineCursor, TimelineItem } from '../api/api-types.ts';
import type { IDBPTransaction, StoreNames } from 'idb';
import type { CoreDb, CoreSchema, PostKey } from '../store/db.ts';
import { readMarks } from '../store/lazy-marks.ts';
import { materializeIds } from '../store/lazy-posts.ts';
import { type HeldPostRow, idKey, idOfKey, isHeldPost, itemOf, seenBy, tieOf, viewerTag } from '../store/post-rows.ts';
import { authorTerm, highlightsOf } from '../store/search-terms.ts';
import { termsOfRow } from '../store/search-rows.ts';
import { ROW_STORES } from '../store/timeline-rows.ts';
import { matchingKeys } from './matches.ts';
import { namedBy } from './post-match.ts';
import { ensureSearchIndex } from './search-index.ts';
import { termIndexOf } from './term-index.ts';
import { type SearchQuery, isEmptyQuery, parseQuery } from './query.ts';

/** The most hits one call answers (the screen grows its page up to this; api-types.ts SearchPage). */
export const MAX_SEARCH_PAGE = 1000;

/** Keys examined per step of a page (a page of hits may skip posts the viewer does not see or has muted). */
const STEP = 64;
/** The fewest keys a step asks for (a page short of a few hits after a filter finishes in a step or two). */
const MIN_STEP = 8;

/** Mutes and blocks (private/filter.ts filterItems), applied to each step's items. */
export type Keep = <T extends TimelineItem>(items: readonly T[]) => Promise<T[]>;

export interface SearchInput {
  readonly viewer: PseudonymId;
  readonly query: string;
  readonly page: SearchPage;
  readonly now: number;
  readonly keep?: Keep;
}

/** A page of the posts `viewer` sees that match `query`, newest first. */
export async function searchPosts(db: CoreDb, input: SearchInput): Promise<SearchResults> {
  const limit = Math.min(MAX_SEARCH_PAGE, Math.max(0, Math.floor(input.page.limit)));
  const query = parseQuery(input.query, input.now);
  // The index made current (rebuilt when old, then the rows since read) beside the follows read: both wait on
  // IndexedDB, so together they cost one wait, not two.
  const ready = ensureSearchIndex(db).then(() => termIndexOf(db));
  if (limit === 0 || isEmptyQuery(query)) {
    // Nothing to find, but the index is made ready: the Search screen asks so as it opens, so the first words
    // typed do not wait for the index in memory to load (about 3 s for 100,000 posts: BENCHMARKS.md, search).
    await ready;
    return { items: [] };
  }
  const [people, index] = await Promise.all([peopleOf(db, input.viewer, query), ready]);
  if (!people) return { items: [] };
  const after: PostKey | undefined = input.page.cursor && keyOf(input.page.cursor);
  const next = matchingKeys(index, query, people.from, after);
  const items: SearchHit[] = [];
  while (items.length < limit) {
    // About what the page still lacks: every key asked for is a post row read.
    const keys = next(Math.min(STEP, Math.max(MIN_STEP, limit - items.length)));
    if (keys.length === 0) return { items };
    const hits = await hitsOf(db, input.viewer, keys, people, query);
    for (const hit of input.keep ? await input.keep(hits) : hits) if (items.length < limit) items.push(hit);
  }
  // Full: the next page starts after its last hit (and may turn out empty).
  const last = items.at(-1)!;
  return { items, cursor: { ts: last.ts, id: last.id } };
}

function keyOf(at: TimelineCursor): PostKey {
  return [-at.ts, ...tieOf(at.id)];
}

/**
 * The authors `from:` names (by the handles the viewer knows: its own, and the feeds it follows), as idKeys,
 * and every feed the viewer sees; undefined when `from:` names no one known.
 */
export async function peopleOf(
  db: CoreDb,
  viewer: PseudonymId,
  query: SearchQuery,
): Promise<{ from?: string[]; seen: Set<string> } | undefined> {
  const tx = db.transaction(['pseudonyms', 'follows']);
  const [self, follows] = await Promise.all([
    tx.objectStore('pseudonyms').get(viewer),
    tx.objectStore('follows').getAll(IDBKeyRange.bound([viewer], [viewer, []])),
  ]);
  const known = [
    { id: viewer, handle: self?.handle },
    ...follows.filter((f) => f.active).map((f) => ({ id: f.target, handle: f.handle })),
  ];
  const seen = new Set(known.map((k) => idKey(k.id)));
  if (query.from.length === 0) return { seen };
  const from = known.filter((k) => namedBy(query.from, k.handle)).map((k) => idKey(k.id));
  return from.length > 0 ? { from, seen } : undefined;
}

type RowsTx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

/** The hits among `keys` the viewer sees, as timeline items with their highlights, in key order. */
async function hitsOf(
  db: CoreDb,
  viewer: PseudonymId,
  keys: readonly PostKey[],
  people: { readonly from?: readonly string[]; readonly seen: ReadonlySet<string> },
  query: SearchQuery,
): Promise<SearchHit[]> {
  // Search rows name authors by their terms' first characters (store/search-terms.ts authorTerm).
  const seen = new Set([...people.seen].map(authorTerm));
  const v = viewerTag(viewer);
  const read = () => {
    const store = db.transaction('posts').store;
    return Promise.all(keys.map((k) => store.get(k)));
  };
  let posts = await read();
  // Posts kept only in packs have no post row yet: their search rows say whose they are, and those the viewer
  // sees (its own, or followed) get rows first. A held post needs no search row read: its key came from one.
  const unheld = keys.filter((_, i) => !isHeldPost(posts[i]));
  if (unheld.length > 0) {
    const store = db.transaction('search').store;
    const packed = (await Promise.all(unheld.map((k) => store.get(k))))
      .filter((search) => search?.i !== undefined && termsOfRow(search).some((t) => seen.has(t)))
      .map((search) => idOfKey(search!.i!) as ObjectId);
    if (packed.length > 0) {
      const tx = db.transaction(ROW_STORES, 'readwrite') as unknown as RowsTx;
      await materializeIds(tx, packed, await readMarks(tx.objectStore('meta')));
      await tx.done;
      posts = await read();
    }
  }
  const hits: SearchHit[] = [];
  for (const post of posts) {
    if (!isHeldPost(post) || post.del || !seenBy(post, v)) continue;
    // `from:` matched the author's term; the row says whose the post is.
    if (people.from && !people.from.includes(post.a)) continue;
    const item = itemOf(post as HeldPostRow, viewer);
    hits.push({ ...item, highlights: highlightsOf(item.body, query.words, query.tags) });
  }
  return hits;
}
