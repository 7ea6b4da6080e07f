/**
 * Why a commit names each blob, which decides how a reader checks it: the
 * DAG walk (workers/feed/dag-walk.ts) as it fetches a feed, and the feed-file
 * reader (feed-file-checks.ts) as it reads one, the same way.
 */
import { ProtocolError } from './errors.ts';
import type { ObjectId, PseudonymId } from './ids.ts';
import { type MistObject, decodeMist } from './mists.ts';
import type { BuiltObject } from './objects.ts';
import type { Op } from './ops.ts';

/**
 * - `own-post`: a post object by the feed's author;
 * - `version`: an edit's new version, a post object by the feed's author, or sealed (a sealed post's edit);
 * - `any-post`: a reposted post, anyone's;
 * - `own-mist`: a mist version by the feed's author;
 * - `commit`: a reposted post's commit, checked by its signature;
 * - `blob`: checked by hash only (sealed objects, their key envelopes, pictures, hive objects).
 */
export type Role = 'own-post' | 'version' | 'any-post' | 'own-mist' | 'commit' | 'blob';

/** The blobs an op names and the role of each. */
export function blobRolesOf(op: Op): [ObjectId, Role][] {
  switch (op.type) {
    case 'post':
      // A sealed post and its key envelope are checked by hash only: what is inside is opened when assembled.
      if (op.audience !== undefined)
        return op.keys
          ? [
              [op.object, 'blob'],
              [op.keys, 'blob'],
            ]
          : [[op.object, 'blob']];
      return [[op.object, 'own-post']];
    case 'edit':
      return [[op.object, 'version']];
    case 'repost':
      return [
        [op.commit, 'commit'],
        [op.object, 'any-post'],
      ];
    case 'profile':
      return op.avatar ? [[op.avatar, 'blob']] : [];
    case 'mist':
      return [[op.object, op.audience === undefined ? 'own-mist' : 'blob']];
    case 'hive':
    case 'hive_post':
    case 'hive_comment':
      // Decoded, and checked against the feed's author, where a hive is assembled (hive-state.ts).
      return [[op.object, 'blob']];
    default:
      return [];
  }
}

/**
 * A mist version as a feed publishes it: decoded, named by `id`, by the feed's author.
 * @throws ProtocolError HashMismatch, WrongAuthor, decode errors (mists.ts)
 */
export function decodeOwnMist(bytes: Uint8Array, id: ObjectId, author: PseudonymId): BuiltObject<MistObject> {
  const mist = decodeMist(bytes, id);
  if (mist.value.author !== author)
    throw new ProtocolError('WrongAuthor', `mist ${id} is by ${mist.value.author}, in the feed of ${author}`);
  return mist;
}

/**
 * The files of the public mist versions `ops` publish, read from their objects among `blobs`: they travel with
 * the commit (a push carries them, as a post's media), never named by an op themselves.
 */
export function mistFilesOf(
  ops: readonly Op[],
  blobs: readonly { readonly id: ObjectId; readonly bytes: Uint8Array }[],
): ObjectId[] {
  return ops.flatMap((op) => {
    if (op.type !== 'mist' || op.audience !== undefined) return [];
    const bytes = blobs.find((b) => b.id === op.object)?.bytes;
    return bytes ? [decodeMist(bytes, op.object).value.content] : [];
  });
}
