/**
 * A post for an audience other than public, on the author's side: which DM
 * keys it is sealed to (the readers' profiles as this device holds them),
 * and the commit content that carries it. The sealed post and its key
 * envelope are the blobs that go to hubs; the opened post stays on this
 * device, in its row under the sealed blob's id, so the author's timeline
 * shows it (PROTOCOL.md, Audiences). Its media are sealed under the same
 * content key, and the post names them by their sealed bytes' ids.
 */
import {
  type Random,
  SEALED_OVERHEAD_BYTES,
  drawContentKey,
  sealForAudience,
  sealUnderKey,
} from '../../src/protocol/audience.ts';
import { dmPublicKeyOf } from '../../src/protocol/dm.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type ObjectId, type PseudonymId, hashBytes, isPseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { PostOp } from '../../src/protocol/ops.ts';
import type { AudienceChoice, PostOptions } from '../api/api-types.ts';
import type { SealedMark } from '../store/apply-plan.ts';
import { CoreError } from '../errors.ts';
import type { Content } from './local-commits.ts';

/** A sealed audience with its readers' DM keys resolved (none for a link). */
export type SealedChoice =
  | {
      readonly kind: 'allowlist' | 'followers';
      readonly readers: readonly PseudonymId[];
      readonly readerKeys: readonly string[];
    }
  | { readonly kind: 'link' };

/**
 * Checks a post's audience before anything is built.
 * @throws CoreError InvalidField (an unknown kind, no reader), TooLarge (a medium with no room left for its seal),
 *   MalformedId (a reader id)
 */
export function checkAudience(choice: AudienceChoice | undefined, options: PostOptions): void {
  if (choice === undefined || choice.kind === 'public') return;
  if (choice.kind !== 'allowlist' && choice.kind !== 'link' && choice.kind !== 'followers')
    throw new CoreError('InvalidField', 'an audience is public, approved followers, people named, or a link', {
      field: 'audience',
    });
  // Each medium is sealed too, and a hub takes no blob over its limit.
  const room = LIMITS.blobBytes - SEALED_OVERHEAD_BYTES;
  for (const m of options.media ?? [])
    if (m.bytes?.length > room)
      throw new CoreError('TooLarge', `a media file for a post that is not public may be at most ${room} bytes`, {
        field: 'media',
      });
  if (choice.kind === 'link' || choice.kind === 'followers') return;
  if (!Array.isArray(choice.readers) || choice.readers.length === 0)
    throw new CoreError('InvalidField', 'name at least one person who may read this post', { field: 'readers' });
  for (const reader of choice.readers)
    if (!isPseudonymId(reader)) throw new CoreError('MalformedId', 'a reader is not a pseudonym id', { reader });
}

/**
 * The readers' DM keys, each from the newest profile this device holds of them. For `followers` the readers are
 * the followers the author approved now (none approved: only the author reads it).
 * @throws CoreError NoDmKey (a reader whose DM key this device does not know: nothing is committed)
 */
export async function resolveReaders(
  choice: AudienceChoice | undefined,
  dmKeyOf: (reader: PseudonymId) => Promise<unknown>,
  approvedFollowers: () => Promise<readonly PseudonymId[]>,
): Promise<SealedChoice | undefined> {
  if (choice === undefined || choice.kind === 'public') return undefined;
  if (choice.kind === 'link') return { kind: 'link' };
  const readers = [...new Set(choice.kind === 'followers' ? await approvedFollowers() : choice.readers)];
  const readerKeys = await Promise.all(
    readers.map(async (reader) => {
      const key = await dmKeyOf(reader);
      if (typeof key !== 'string')
        throw new CoreError('NoDmKey', `no DM key is known for ${reader}: follow them first, or leave them out`, {
          reader,
        });
      return key;
    }),
  );
  return { kind: choice.kind, readers, readerKeys };
}

/**
 * The commit content of a post (postContent's) sealed for `choice`: its media sealed first, under the post's
 * content key, and named by the post in their place; then the post. The op names the sealed blob (and its
 * envelope), the blobs are the sealed bytes, and the opened post rides along under the sealed id for the
 * author's own row, with the content key its media and later edits open with.
 * @throws CoreError MalformedId (a reader's DM key no one can read from: the reader is named)
 */
export function sealedPostContent(
  content: Content & { readonly post: BuiltObject<PostObject> },
  choice: SealedChoice,
  author: { readonly id: PseudonymId; readonly secretKey: SecretKey },
  random: Random,
): Content & { readonly post: BuiltObject<PostObject>; readonly mark: SealedMark } {
  const readerKeys = choice.kind === 'link' ? [] : choice.readerKeys;
  const audience = choice.kind === 'followers' ? { kind: 'followers' as const } : choice;
  const drawn = drawContentKey(audience, random);
  const plainMedia = content.post.value.media ?? [];
  const media = plainMedia.map((id) => {
    const bytes = sealUnderKey(drawn.contentKey, content.blobs!.find((b) => b.id === id)!.bytes, random);
    return { id: hashBytes(bytes), bytes };
  });
  const { type: _, ...fields } = content.post.value;
  const post = media.length > 0 ? buildPost({ ...fields, media: media.map((m) => m.id) }) : content.post;
  let sealed: ReturnType<typeof sealForAudience>;
  try {
    const keys = { authorKey: dmPublicKeyOf(author.secretKey), readerKeys };
    sealed = sealForAudience(audience, post.bytes, keys, random, drawn);
  } catch (error) {
    if (!(error instanceof ProtocolError) || choice.kind === 'link' || error.context.dmKey === undefined) throw error;
    const reader = choice.readers[choice.readerKeys.indexOf(error.context.dmKey as string)];
    throw new CoreError('MalformedId', `${reader} published a DM key no one can read from: leave them out`, {
      reader,
    });
  }
  const id = hashBytes(sealed.sealed);
  const blobs: { id: ObjectId; bytes: Uint8Array }[] = [{ id, bytes: sealed.sealed }, ...media];
  const keys = sealed.envelope && hashBytes(sealed.envelope);
  if (sealed.envelope && keys) blobs.push({ id: keys, bytes: sealed.envelope });
  const op: PostOp = { type: 'post', object: id, audience: choice.kind, ...(keys && { keys }) };
  const opened: BuiltObject<PostObject> = { id, bytes: post.bytes, value: post.value };
  const mark: SealedMark = {
    id,
    audience: choice.kind,
    readers: [author.id],
    contentKey: sealed.contentKey,
    ...(sealed.linkSecret && { linkSecret: sealed.linkSecret }),
  };
  return { ops: [op], posts: [opened], blobs, sealed: [mark], post: opened, mark };
}

/**
 * An edit of a sealed post (post-content.ts editContent's) with its version sealed under the post's content key:
 * the op names the sealed bytes, and the opened version is returned under their id.
 */
export function sealedEditContent(
  target: ObjectId,
  version: BuiltObject<PostObject>,
  contentKey: Uint8Array,
  random: Random,
): Content & { readonly version: BuiltObject<PostObject> } {
  const bytes = sealUnderKey(contentKey, version.bytes, random);
  const id = hashBytes(bytes);
  return {
    ops: [{ type: 'edit', target, object: id }],
    posts: [],
    blobs: [{ id, bytes }],
    version: { id, bytes: version.bytes, value: version.value },
  };
}
