/**
 * Content objects: immutable canonical values stored as blobs, named by the
 * sha256 of their bytes. A post object carries its author and time, so the
 * same post reposted by many has one id and shows once.
 */
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { readArray, readInt, readObjectId, readPseudonymId, readString, requireKeys } from './fields.ts';
import { type ObjectId, type PseudonymId, hashBytes } from './ids.ts';
import { LIMITS } from './limits.ts';

export interface PostObject {
  readonly type: 'post';
  readonly author: PseudonymId;
  readonly body: string;
  /** Milliseconds since the Unix epoch, as the author's clock saw it. */
  readonly ts: number;
  readonly reply_to?: ObjectId;
  readonly quote_of?: ObjectId;
  readonly tags?: readonly string[];
  readonly media?: readonly ObjectId[];
}

export interface BuiltObject<T> {
  readonly id: ObjectId;
  readonly bytes: Uint8Array;
  readonly value: T;
}

const POST_KEYS = ['type', 'author', 'body', 'ts', 'reply_to', 'quote_of', 'tags', 'media'] as const;

/** @throws ProtocolError (as decodePost) when the post is not valid. */
export function buildPost(post: Omit<PostObject, 'type'>): BuiltObject<PostObject> {
  const bytes = encodeCanonical({ type: 'post', ...post });
  return decodePost(bytes);
}

/**
 * @param expectedId when given, the bytes must hash to it.
 * @throws ProtocolError HashMismatch, DecodeError, NonCanonical, InvalidField, TooLarge, MalformedId
 */
export function decodePost(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<PostObject> {
  const id = hashBytes(bytes);
  if (expectedId !== undefined && id !== expectedId)
    throw new ProtocolError('HashMismatch', `bytes hash to ${id}, not ${expectedId}`);
  const value = decodeCanonical(bytes);
  if (typeof value !== 'object' || Array.isArray(value) || value.type !== 'post') {
    throw new ProtocolError('DecodeError', 'expected a post object');
  }
  requireKeys(value, POST_KEYS, 'post');
  const tags = readArray(value, 'tags', LIMITS.tagsPerPost, true);
  tags?.forEach((tag, i) => {
    if (typeof tag !== 'string' || tag.length === 0)
      throw new ProtocolError('InvalidField', `tags[${i}]: expected a non-empty string`, { field: 'tags' });
    readString({ tag }, 'tag', LIMITS.tagChars);
  });
  const media = readArray(value, 'media', LIMITS.mediaPerPost, true);
  media?.forEach((_, i) => {
    readObjectId(media as unknown as Record<string, Canonical>, String(i));
  });
  const post: PostObject = {
    type: 'post',
    author: readPseudonymId(value, 'author'),
    body: readString(value, 'body', LIMITS.postBodyChars)!,
    ts: readInt(value, 'ts', 0),
    ...(value.reply_to !== undefined && { reply_to: readObjectId(value, 'reply_to') }),
    ...(value.quote_of !== undefined && { quote_of: readObjectId(value, 'quote_of') }),
    ...(tags && { tags: tags as string[] }),
    ...(media && { media: media as ObjectId[] }),
  };
  return { id, bytes, value: post };
}
