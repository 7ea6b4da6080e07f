/**
 * Media bytes for the UI: from the blob store, or fetched from hubs that may
 * hold them (the hubs of the feeds this device follows and its own home hubs),
 * checked against the id (its sha256) before they are stored or returned.
 * A sealed post's media are sealed under its content key (PROTOCOL.md,
 * Audiences): they are stored sealed, as fetched, and opened for the UI with
 * the key kept in the post's row, or held in memory for a post opened from
 * its link. Without a key the UI gets nothing, never the ciphertext.
 */
import { isSealedPost, openSealedObject } from '../../src/protocol/audience.ts';
import { fromBase64url } from '../../src/protocol/bytes.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type ObjectId, hashBytes, isObjectId } from '../../src/protocol/ids.ts';
import { blobRowOf, type CoreDb } from '../store/db.ts';
import { isHeldPost, postValueOf } from '../store/post-rows.ts';
import { rowFor } from '../store/lazy-posts.ts';
import type { HubClient } from '../net/hub-client.ts';
import { readHubs } from './catch-up-plan.ts';

/** A post opened from its link: its content key and the hub the link named, in worker memory only. */
export interface LinkedKey {
  readonly contentKey: Uint8Array;
  readonly media: readonly ObjectId[];
  readonly hub: string;
}

/**
 * @param post the post that names the medium: needed to open a sealed post's media
 * @param linked posts opened from their links on this run (link-post.ts)
 */
export async function findMedia(
  db: CoreDb,
  hub: (origin: string) => HubClient,
  id: ObjectId,
  post?: ObjectId,
  linked?: ReadonlyMap<ObjectId, LinkedKey>,
): Promise<Uint8Array | undefined> {
  if (!isObjectId(id)) return undefined;
  const linkedPost = post === undefined ? undefined : linked?.get(post);
  // Only the medium its post names opens with a link's key.
  const link = linkedPost?.media.includes(id) ? linkedPost : undefined;
  const bytes = await heldOrFetched(db, hub, id, link ? [link.hub] : []);
  if (!bytes || !isSealedPost(bytes)) return bytes;
  const key = link ? link.contentKey : await rowKeyFor(db, id, post);
  if (!key) return undefined;
  try {
    return openSealedObject(key, bytes);
  } catch (error) {
    if (error instanceof ProtocolError) return undefined; // not sealed under this post's key
    throw error;
  }
}

/** The content key of `post`'s row, when it is an opened sealed post that names medium `id`. */
async function rowKeyFor(db: CoreDb, id: ObjectId, post: ObjectId | undefined): Promise<Uint8Array | undefined> {
  if (post === undefined || !isObjectId(post)) return undefined;
  await rowFor(db, post);
  const row = await db.getFromIndex('posts', 'byId', post);
  if (!isHeldPost(row) || row.ck === undefined || !postValueOf(row).media?.includes(id)) return undefined;
  return fromBase64url(row.ck);
}

async function heldOrFetched(
  db: CoreDb,
  hub: (origin: string) => HubClient,
  id: ObjectId,
  first: readonly string[],
): Promise<Uint8Array | undefined> {
  const held = await db.get('blobs', id);
  if (held) return held.bytes;
  const [follows, own] = await Promise.all([db.getAll('follows'), db.getAll('pseudonyms')]);
  // A followed feed's first hub as it signed it last (a feed that moved: PROTOCOL.md, Moving hubs), then its hint.
  const followed = await Promise.all(
    follows
      .filter((f) => f.active)
      .map(async (f) => readHubs((await db.get('profiles', [f.target, 'hubs']))?.value, f.hubs)[0]),
  );
  const all = [...first, ...followed, ...own.map((p) => p.hubs[0])];
  const origins = [...new Set(all.filter((h): h is string => !!h))];
  for (const origin of origins) {
    let bytes: Uint8Array;
    try {
      bytes = await hub(origin).getBlob(id);
    } catch {
      continue; // not there (or unreachable): ask the next hub
    }
    if (hashBytes(bytes) !== id) continue; // a hub serving wrong bytes is skipped, never trusted
    await db.put('blobs', blobRowOf(id, bytes));
    return bytes;
  }
  return undefined;
}
