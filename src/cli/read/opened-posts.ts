/**
 * Sealed posts as the command line shows them (PROTOCOL.md, Audiences). It
 * never opens a key envelope while reading: its ingest opened each sealed
 * post for the pseudonyms of this home when the post was stored, and the
 * store kept the opened post with its audience, its readers and its content
 * key (store/core-store.ts findOpenedPost). A read takes the post from there,
 * its latest edit opened under that key (store/edit-versions.ts), and shows
 * it only to whom the app would (post-rows.ts audienceAdmits, the one rule).
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { PostObject } from '../../protocol/objects.ts';
import type { SealedAudienceKind } from '../../protocol/ops.ts';
import type { FeedStore, OpenedPostRow } from '../../../workers/store/core-store.ts';
import { shownVersion } from '../../../workers/store/edit-versions.ts';
import { audienceAdmits } from '../../../workers/store/post-rows.ts';

/** A sealed post opened here: what a read shows of it, and who may see it. */
export interface OpenedView {
  readonly value: PostObject;
  /** The latest version's body (the original's, when no edit opens). */
  readonly body: string;
  readonly edited: boolean;
  readonly audience: SealedAudienceKind;
  /** The local viewers that opened it (viewer tags): with its author, the only ones it is shown to. */
  readonly readers: readonly string[];
}

/** The opened rows of those of `ids` this home's ingest opened. */
export async function openedRows(store: FeedStore, ids: readonly ObjectId[]): Promise<Map<ObjectId, OpenedPostRow>> {
  const found = new Map<ObjectId, OpenedPostRow>();
  if (!store.findOpenedPost) return found;
  for (const id of ids) {
    const row = await store.findOpenedPost(id);
    if (row) found.set(id, row);
  }
  return found;
}

/**
 * The view of sealed post `id` from its opened row, shown at `version` (its latest edit's id, `latest` its bytes);
 * undefined when the post is not `author`'s (a repost's original is shown on its author's feed).
 */
export function openedView(
  row: OpenedPostRow,
  author: PseudonymId,
  id: ObjectId,
  version: ObjectId,
  latest: Uint8Array | undefined,
): OpenedView | undefined {
  // The row's text is the post object verified (author and form) when it was opened.
  const value = JSON.parse(row.text) as PostObject;
  if (value.author !== author) return undefined;
  const shown = version === id || !latest ? undefined : shownVersion(latest, row, author);
  return {
    value,
    body: shown?.body ?? value.body,
    edited: shown !== undefined,
    audience: row.au,
    readers: row.rd ?? [],
  };
}

/** Whether `viewer` may see a post with this audience and these readers (public: always). */
export function shownTo(
  post: {
    readonly author: PseudonymId;
    readonly audience: SealedAudienceKind | null;
    readonly readers?: readonly string[];
  },
  viewer: PseudonymId,
): boolean {
  if (post.audience === null) return true;
  return audienceAdmits({ au: post.audience, ...(post.readers && { rd: post.readers }) }, post.author, viewer);
}
