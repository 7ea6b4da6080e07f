/**
 * An edit's version as shown: a public post object (verified as the feed
 * author's on the way in), or, for a sealed post, one sealed under the post's
 * content key (PROTOCOL.md, Audiences), opened here with the key its row
 * keeps. A sealed version that does not open, is no post object, or is not
 * the post's author's shows nothing: the post keeps its previous version.
 */
import { isSealedPost, openSealedObject } from '../../src/protocol/audience.ts';
import { fromBase64url } from '../../src/protocol/bytes.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { PostRow } from './db.ts';

export interface ShownVersion {
  readonly body: string;
  readonly ts: number;
}

/** @param post the row of the post the version edits (its author and, when sealed, its content key) */
export function shownVersion(
  bytes: Uint8Array,
  post: Pick<PostRow, 'ck'>,
  author: PseudonymId,
): ShownVersion | undefined {
  if (!isSealedPost(bytes)) {
    // Stored public versions were verified on the way in: reading the fields is enough.
    const value = JSON.parse(new TextDecoder().decode(bytes)) as { body?: unknown; ts?: unknown };
    return typeof value.body === 'string' && typeof value.ts === 'number'
      ? { body: value.body, ts: value.ts }
      : undefined;
  }
  const key = post.ck === undefined ? undefined : fromBase64url(post.ck);
  if (!key) return undefined;
  try {
    const { value } = decodePost(openSealedObject(key, bytes));
    return value.author === author ? { body: value.body, ts: value.ts } : undefined;
  } catch (error) {
    if (error instanceof ProtocolError) return undefined;
    throw error;
  }
}
