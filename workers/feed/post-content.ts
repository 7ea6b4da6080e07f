/**
 * What a post commit carries, built purely from the text and options: the
 * checks on the body and ids, the media as blobs, the post object and its op.
 * The worker (social-actions.ts commitPostWith) and the command line both
 * commit it through commitOwn, so a post is built one way on every device.
 */
import { type CommitId, type ObjectId, type PseudonymId, hashBytes, isObjectId } from '../../src/protocol/ids.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { ProfileOp } from '../../src/protocol/ops.ts';
import type { MediaInput, PostOptions, ProfileFields } from '../api/api-types.ts';
import { CoreError } from '../errors.ts';
import type { Content } from './local-commits.ts';

/** @throws CoreError InvalidField */
export function checkBody(body: string): void {
  if (body.trim().length === 0) throw new CoreError('InvalidField', 'a post needs some text', { field: 'body' });
  if (!body.isWellFormed()) throw new CoreError('InvalidField', 'the text has a broken character', { field: 'body' });
}

/** Media bytes as blobs named by their sha256 (a copy: the caller's buffer may be transferred or reused). */
export function mediaBlobs(media: readonly MediaInput[]): { id: ObjectId; bytes: Uint8Array }[] {
  return media.map((m) => {
    if (!(m.bytes instanceof Uint8Array) || m.bytes.length === 0)
      throw new CoreError('InvalidField', 'a media file is empty', { field: 'media' });
    if (m.bytes.length > LIMITS.blobBytes)
      throw new CoreError('TooLarge', `a media file is ${m.bytes.length} bytes; the limit is ${LIMITS.blobBytes}`, {
        field: 'media',
      });
    const bytes = m.bytes.slice();
    return { id: hashBytes(bytes), bytes };
  });
}

/**
 * Checks `body` and `options` now and returns the content to commit at time `ts` (commitOwn's `make`).
 * @throws CoreError InvalidField, MalformedId, TooLarge; ProtocolError as buildPost (when made)
 */
export function postContent(
  pseudonym: PseudonymId,
  body: string,
  options: PostOptions = {},
): (ctx: { ts: number }) => Content & { readonly post: BuiltObject<PostObject> } {
  checkBody(body);
  for (const field of ['replyTo', 'quoteOf'] as const) {
    const id = options[field];
    if (id !== undefined && !isObjectId(id)) throw new CoreError('MalformedId', `${field} is not a post id`, { field });
  }
  if ((options.media?.length ?? 0) > LIMITS.mediaPerPost)
    throw new CoreError('InvalidField', `at most ${LIMITS.mediaPerPost} media per post`, { field: 'media' });
  const media = mediaBlobs(options.media ?? []);
  return ({ ts }) => {
    const post = buildPost({
      author: pseudonym,
      body,
      ts,
      ...(options.replyTo && { reply_to: options.replyTo }),
      ...(options.quoteOf && { quote_of: options.quoteOf }),
      ...(options.tags?.length && { tags: [...options.tags] }),
      ...(media.length > 0 && { media: media.map((m) => m.id) }),
    });
    return { ops: [{ type: 'post', object: post.id }], posts: [post], blobs: media, post };
  };
}

/**
 * A new version of `original` (post `target`): the same reply, quote, tags and media, a new body, made at `ts`;
 * the edit op and the version's blob (commitOwn's `make`). The caller checks the post is its own.
 * @throws CoreError InvalidField; ProtocolError as buildPost (when made)
 */
export function editContent(
  target: ObjectId,
  original: PostObject,
  body: string,
): (ctx: { ts: number }) => Content & { readonly version: BuiltObject<PostObject> } {
  checkBody(body);
  return ({ ts }) => {
    const version = buildPost({
      author: original.author,
      body,
      ts,
      ...(original.reply_to && { reply_to: original.reply_to }),
      ...(original.quote_of && { quote_of: original.quote_of }),
      ...(original.tags && { tags: [...original.tags] }),
      ...(original.media && { media: [...original.media] }),
    });
    return {
      ops: [{ type: 'edit', target, object: version.id }],
      posts: [],
      blobs: [{ id: version.id, bytes: version.bytes }],
      version,
    };
  };
}

/**
 * Sharing post `id`: the op names the original author's commit that published it, and that commit's bytes go
 * with the repost (a push carries them), so readers verify the post there.
 */
export function repostContent(id: ObjectId, commit: CommitId, commitBytes: Uint8Array): Content {
  return { ops: [{ type: 'repost', object: id, commit }], posts: [], blobs: [{ id: commit, bytes: commitBytes }] };
}

/**
 * A profile change: the fields given (others keep their last value); an avatar becomes a blob the op names.
 * @throws CoreError InvalidField (no field), TooLarge (the avatar)
 */
export function profileContent(fields: ProfileFields): Content {
  const avatar = fields.avatar ? mediaBlobs([fields.avatar]) : [];
  const op: ProfileOp = {
    type: 'profile',
    ...(fields.name !== undefined && { name: fields.name }),
    ...(fields.bio !== undefined && { bio: fields.bio }),
    ...(fields.links !== undefined && { links: [...fields.links] }),
    ...(fields.topics !== undefined && { topics: [...new Set(fields.topics.map((t) => t.toLowerCase()))].sort() }),
    ...(avatar[0] && { avatar: avatar[0].id }),
  };
  if (Object.keys(op).length === 1)
    throw new CoreError('InvalidField', 'a profile change sets at least one field', { field: 'profile' });
  return { ops: [op], posts: [], blobs: avatar };
}
