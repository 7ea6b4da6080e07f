/**
 * Media bytes for the UI: from the blob store, or fetched from hubs that may
 * hold them (the hubs of the feeds the viewer follows and its own home hubs,
 * asked as the viewer: at its alias of each, net/hub-aliases.ts, so its media
 * reads share no connection with another pseudonym's), checked against the id
 * (its sha256) before they are stored or returned.
 * A sealed post's media are sealed under its content key (PROTOCOL.md,
 * Audiences): they are stored sealed, as fetched, and opened for the UI with
 * the key kept in the post's row, or held in memory for a post opened from
 * its link. Without a key the UI gets nothing, never the ciphertext.
 */
import { isSealedPost, openSealedObject } from '../../src/protocol/audience.ts';
import { fromBase64url } from '../../src/protocol/bytes.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type ObjectId, type PseudonymId, hashBytes, isObjectId } from '../../src/protocol/ids.ts';
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

export interface MediaContext {
  /** The post that names the medium: needed to open a sealed post's media. */
  readonly post?: ObjectId | undefined;
  /** Who is looking: the hubs asked are its own and those of the feeds it follows, each at its alias. */
  readonly viewer?: PseudonymId | undefined;
  /** Posts opened from their links on this run (link-post.ts). */
  readonly linked?: ReadonlyMap<ObjectId, LinkedKey>;
}

export async function findMedia(
  db: CoreDb,
  hub: (origin: string, as?: PseudonymId) => HubClient,
  id: ObjectId,
  { post, viewer, linked }: MediaContext = {},
): Promise<Uint8Array | undefined> {
  if (!isObjectId(id)) return undefined;
  const linkedPost = post === undefined ? undefined : linked?.get(post);
  // Only the medium its post names opens with a link's key.
  const link = linkedPost?.media.includes(id) ? linkedPost : undefined;
  const bytes = await heldOrFetched(db, (origin) => hub(origin, viewer), id, link ? [link.hub] : [], viewer);
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
  viewer: PseudonymId | undefined,
): Promise<Uint8Array | undefined> {
  const held = await db.get('blobs', id);
  if (held) return held.bytes;
  const [allFollows, allOwn] = await Promise.all([db.getAll('follows'), db.getAll('pseudonyms')]);
  // A viewer asks only where it would read anyway: asking a hub only another pseudonym follows would tie them.
  const follows = viewer === undefined ? allFollows : allFollows.filter((f) => f.pseudonym === viewer);
  const own = viewer === undefined ? allOwn : allOwn.filter((p) => p.id === viewer);
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
