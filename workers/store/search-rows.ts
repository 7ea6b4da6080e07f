/**
 * Search rows (db.ts SearchRow): what a post is found by, written in the
 * same transaction as the post's row (timeline-rows.ts, as its view is
 * rebuilt: an edit reindexes the shown version, a delete removes the row) or,
 * for a post kept only in its commit's pack, before the next search
 * (workers/search/search-index.ts): writing them at ingest cost about 40% of
 * a long first catch-up's throughput, so ingest only marks PACKS_TO_INDEX.
 * The builders are pure; putSearchRow stamps a row with its transaction's
 * seq, which the index in memory reads the rows written since by
 * (workers/search/term-index.ts).
 */
import type { ObjectId } from '../../src/protocol/ids.ts';
import type { PostObject } from '../../src/protocol/objects.ts';
import type { MetaRow, SearchRow } from './db.ts';
import { type HeldPostRow, idKey, postKeyOf, postValueOf } from './post-rows.ts';
import { termsOf } from './search-terms.ts';

/** The meta row saying some packed posts may have no search row yet (set by ingest, cleared by indexing). */
export const PACKS_TO_INDEX = 'search-packs-pending';

/** A search row's terms, as a list. */
export function termsOfRow(row: SearchRow): string[] {
  return row.w.split(' ');
}

const joinTerms = (post: Parameters<typeof termsOf>[0]): string => termsOf(post).join(' ');

/** The meta row counting the transactions that wrote search rows: the last one's seq. */
export const SEARCH_SEQ = 'search-seq';

/** What stamping a row reads and writes, in any readwrite transaction over `search` and `meta`. */
export interface SearchTx {
  objectStore(name: 'meta'): {
    get(key: string): Promise<MetaRow | undefined>;
    put(row: MetaRow): Promise<unknown>;
  };
  objectStore(name: 'search'): { put(row: SearchRow): Promise<unknown> };
}

const seqs = new WeakMap<SearchTx, Promise<number>>();

/**
 * The seq of the rows `tx` writes: one more than the last writing transaction's, taken once per transaction.
 * Transactions writing `meta` never overlap, so seqs rise in the order the transactions commit.
 */
export function searchSeqOf(tx: SearchTx): Promise<number> {
  let seq = seqs.get(tx);
  if (!seq) {
    const meta = tx.objectStore('meta');
    seq = meta.get(SEARCH_SEQ).then(async (row) => {
      const next = ((row?.value as number | undefined) ?? 0) + 1;
      await meta.put({ key: SEARCH_SEQ, value: next });
      return next;
    });
    seqs.set(tx, seq);
  }
  return seq;
}

/** Puts `row` stamped with the transaction's seq. */
export async function putSearchRow(tx: SearchTx, row: SearchRow): Promise<void> {
  const s = await searchSeqOf(tx);
  await tx.objectStore('search').put({ ...row, s });
}

/**
 * The search row of a held post as its row shows it (the shown version's body); none for a deleted post. Its
 * id is left out: the post row has it (a packed post's search row carries it: packedSearchRow).
 */
export function searchRowOf(row: HeldPostRow): SearchRow | undefined {
  if (row.del) return undefined;
  const value = postValueOf(row);
  return {
    k: row.k,
    w: joinTerms({
      body: row.eb ?? value.body,
      ...(value.tags && { tags: value.tags }),
      authorKey: row.a,
      media: (value.media?.length ?? 0) > 0,
    }),
  };
}

/** The search row of a post kept only in its pack (its canonical text, verified at ingest; never edited yet). */
export function packedSearchRow(post: { readonly id: ObjectId; readonly text: string }): SearchRow {
  const value = JSON.parse(post.text) as PostObject;
  return {
    k: postKeyOf(value.ts, post.id),
    i: idKey(post.id),
    w: joinTerms({
      body: value.body,
      ...(value.tags && { tags: value.tags }),
      authorKey: idKey(value.author),
      media: (value.media?.length ?? 0) > 0,
    }),
  };
}
