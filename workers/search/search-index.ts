/**
 * The search index's upkeep beyond what every write does (store/search-rows.ts):
 * its version mark, and rebuilding it whole from the store when the mark is
 * missing (a database from before v8, or rows lost) or older than this code's
 * SEARCH_VERSION (the terms changed). Posts with rows and posts kept only in
 * packs are indexed alike. One transaction, so no write lands between the
 * clear and the new mark.
 */
import type { CoreDb, PackBytesRow, PackKey, PackRow, SearchRow } from '../store/db.ts';
import { isHeldPost } from '../store/post-rows.ts';
import { PACKS_TO_INDEX, type SearchTx, packedSearchRow, putSearchRow, searchRowOf } from '../store/search-rows.ts';
import { forgetTermIndex } from './term-index.ts';

/** Bumped whenever what a post is indexed by changes (store/search-terms.ts). */
export const SEARCH_VERSION = 3;
/** The meta row holding the version the stored index was built by. */
export const SEARCH_MARK = 'search-index';

const BATCH = 1000;

/**
 * Rebuilds the index when its mark is missing or not this version (true when it did); else indexes the
 * posts ingest has packed since (store/search-rows.ts PACKS_TO_INDEX).
 */
export async function ensureSearchIndex(db: CoreDb): Promise<boolean> {
  const [mark, pending] = await Promise.all([db.get('meta', SEARCH_MARK), db.get('meta', PACKS_TO_INDEX)]);
  if (mark?.value !== SEARCH_VERSION) {
    await rebuildSearchIndex(db);
    return true;
  }
  if (pending) await indexPacked(db);
  return false;
}

/** Search rows for every post still only in a pack and without one, in one transaction. */
async function indexPacked(db: CoreDb): Promise<void> {
  const tx = db.transaction(['packs', 'packBytes', 'search', 'meta'], 'readwrite');
  const puts: Promise<unknown>[] = [];
  if (await tx.objectStore('meta').get(PACKS_TO_INDEX)) {
    const search = tx.objectStore('search');
    // A row written again would be read again by every worker's index (term-index.ts): only new ones are put.
    const put = async (row: SearchRow) => {
      if ((await search.getKey(row.k)) === undefined) await putSearchRow(tx, row);
    };
    await putPacked(tx.objectStore('packs'), tx.objectStore('packBytes'), put, puts);
    puts.push(tx.objectStore('meta').delete(PACKS_TO_INDEX));
  }
  await Promise.all([...puts, tx.done]);
}

/** Every search row again, from the post rows (shown versions, deletes left out) and the packs' posts. */
export async function rebuildSearchIndex(db: CoreDb): Promise<void> {
  const tx = db.transaction(['posts', 'packs', 'packBytes', 'search', 'meta'], 'readwrite');
  const puts: Promise<unknown>[] = [tx.objectStore('search').clear()];
  const put = (row: SearchRow | undefined) => row && puts.push(putSearchRow(tx as unknown as SearchTx, row));
  const posts = tx.objectStore('posts');
  for (let range: IDBKeyRange | undefined; ; ) {
    const batch = await posts.getAll(range, BATCH);
    for (const row of batch) if (isHeldPost(row)) put(searchRowOf(row));
    if (batch.length < BATCH) break;
    range = IDBKeyRange.lowerBound(batch.at(-1)!.k, true);
  }
  await putPacked(tx.objectStore('packs'), tx.objectStore('packBytes'), put, puts);
  puts.push(tx.objectStore('meta').put({ key: SEARCH_MARK, value: SEARCH_VERSION }));
  puts.push(tx.objectStore('meta').delete(PACKS_TO_INDEX));
  await Promise.all([...puts, tx.done]);
  // Every row is new: this worker's index loads them afresh (another's finds it stale once it reads them).
  forgetTermIndex(db);
}

/** What indexing packed posts reads and writes, in any readwrite transaction over these stores. */
interface PackStores {
  openCursor(): Promise<{ value: PackRow; primaryKey: PackKey; continue(): Promise<unknown> } | null>;
}

async function putPacked(
  packs: PackStores,
  packBytes: { get(key: PackKey): Promise<PackBytesRow | undefined> },
  put: (row: SearchRow) => unknown,
  puts: Promise<unknown>[],
): Promise<void> {
  for (let c = await packs.openCursor(); c; c = (await c.continue()) as typeof c) {
    const lazy = c.value.lazy;
    if (!lazy) continue;
    const bytes = await packBytes.get(c.primaryKey);
    for (const [place, [id]] of Object.entries(lazy)) {
      const text = bytes?.texts?.[Number(place)];
      if (text !== undefined) puts.push(Promise.resolve(put(packedSearchRow({ id, text }))));
    }
  }
}
