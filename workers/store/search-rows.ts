/**
 * Search rows (db.ts SearchRow): what a post is found by, written in the
 * same transaction as the post's row (timeline-rows.ts, as its view is
 * rebuilt: an edit reindexes the shown version, a delete removes the row) or,
 * for a post kept only in its commit's pack, before the next search
 * (workers/search/search-index.ts): writing them at ingest cost about 40% of
 * a long first catch-up's throughput, so ingest only marks PACKS_TO_INDEX.
 * Pure builders; the callers put them.
 */
import type { ObjectId } from '../../src/protocol/ids.ts';
import type { PostObject } from '../../src/protocol/objects.ts';
import type { SearchRow } from './db.ts';
import { type HeldPostRow, idKey, postKeyOf, postValueOf } from './post-rows.ts';
import { termsOf } from './search-terms.ts';

/** The meta row saying some packed posts may have no search row yet (set by ingest, cleared by indexing). */
export const PACKS_TO_INDEX = 'search-packs-pending';

/** The search row of a held post as its row shows it (the shown version's body); none for a deleted post. */
export function searchRowOf(row: HeldPostRow): SearchRow | undefined {
  if (row.del) return undefined;
  const value = postValueOf(row);
  return {
    k: row.k,
    i: idKey(row.id),
    w: termsOf({
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
    w: termsOf({
      body: value.body,
      ...(value.tags && { tags: value.tags }),
      authorKey: idKey(value.author),
      media: (value.media?.length ?? 0) > 0,
    }),
  };
}
