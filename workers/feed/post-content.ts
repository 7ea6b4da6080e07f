/**
 * What a post commit carries, built purely from the text and options: the
 * checks on the body and ids, the media as blobs, the post object and its op.
 * The worker (social-actions.ts commitPostWith) and the command line both
 * commit it through commitOwn, so a post is built one way on every device.
 */
import { type ObjectId, type PseudonymId, hashBytes, isObjectId } from '../../src/protocol/ids.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { MediaInput, PostOptions } from '../api/api-types.ts';
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
