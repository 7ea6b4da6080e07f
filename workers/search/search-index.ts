/**
 * The search index's upkeep beyond what every write does (store/search-rows.ts):
 * its version mark, and rebuilding it whole from the store when the mark is
 * missing (a database from before v8, or rows lost) or older than this code's
 * SEARCH_VERSION (the terms changed). Posts with rows and posts kept only in
 * packs are indexed alike. One transaction, so no write lands between the
 * clear and the new mark.
 */
import type { CoreDb, SearchRow } from '../store/db.ts';
import { isHeldPost } from '../store/post-rows.ts';
import { packedSearchRow, searchRowOf } from '../store/search-rows.ts';

/** Bumped whenever what a post is indexed by changes (store/search-terms.ts). */
export const SEARCH_VERSION = 1;
/** The meta row holding the version the stored index was built by. */
export const SEARCH_MARK = 'search-index';

const BATCH = 1000;

/** Rebuilds the index when its mark is missing or not this version; true when it did. */
export async function ensureSearchIndex(db: CoreDb): Promise<boolean> {
  if ((await db.get('meta', SEARCH_MARK))?.value === SEARCH_VERSION) return false;
  await rebuildSearchIndex(db);
  return true;
}

/** Every search row again, from the post rows (shown versions, deletes left out) and the packs' posts. */
export async function rebuildSearchIndex(db: CoreDb): Promise<void> {
  const tx = db.transaction(['posts', 'packs', 'packBytes', 'search', 'meta'], 'readwrite');
  const search = tx.objectStore('search');
  const puts: Promise<unknown>[] = [search.clear()];
  const put = (row: SearchRow | undefined) => row && puts.push(search.put(row));
  const posts = tx.objectStore('posts');
  for (let range: IDBKeyRange | undefined; ; ) {
    const batch = await posts.getAll(range, BATCH);
    for (const row of batch) if (isHeldPost(row)) put(searchRowOf(row));
    if (batch.length < BATCH) break;
    range = IDBKeyRange.lowerBound(batch.at(-1)!.k, true);
  }
  for (let c = await tx.objectStore('packs').openCursor(); c; c = await c.continue()) {
    const lazy = c.value.lazy;
    if (!lazy) continue;
    const bytes = await tx.objectStore('packBytes').get(c.primaryKey);
    for (const [place, [id]] of Object.entries(lazy)) {
      const text = bytes?.texts?.[Number(place)];
      if (text !== undefined) put(packedSearchRow({ id, text }));
    }
  }
  puts.push(tx.objectStore('meta').put({ key: SEARCH_MARK, value: SEARCH_VERSION }));
  await Promise.all([...puts, tx.done]);
}
