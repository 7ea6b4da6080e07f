/**
 * Feed logs: content-addressed indexes of a feed's commits, so a reader
 * catches up on N commits in a few round trips instead of N parent-by-parent
 * walks. A log `{type:"log", author, commits, prev?}` lists commit ids oldest
 * first; `prev` names the log before it. A head may name the newest log.
 *
 * A log is a hint, not a source of truth: it is authenticated only by its
 * hash (the signed head names it), every commit it lists is still verified,
 * and readers fall back to walking parents for anything it leaves out. So a
 * wrong log can waste a fetch but never make a reader accept anything.
 *
 * Writers append to the newest log until it holds LOG_SEGMENT ids, then start
 * a new one whose prev is the full one: a feed of N commits costs about
 * N / LOG_SEGMENT log fetches to read whole.
 */
import { decodeCanonical, encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { readArray, readObjectId, readPseudonymId, requireKeys } from './fields.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes, isObjectId } from './ids.ts';
import type { BuiltObject } from './objects.ts';

export const LOG_SEGMENT = 1024;

export interface FeedLog {
  readonly type: 'log';
  readonly author: PseudonymId;
  readonly commits: readonly CommitId[];
  readonly prev?: ObjectId;
}

/** @throws ProtocolError as decodeFeedLog */
export function buildFeedLog(log: Omit<FeedLog, 'type'>): BuiltObject<FeedLog> {
  return decodeFeedLog(encodeCanonical({ type: 'log', ...log }));
}

/**
 * The next log after appending `added` (oldest first) to `current`: the same
 * segment while it has room, else a new segment pointing back at it.
 */
export function appendToFeedLog(
  author: PseudonymId,
  current: BuiltObject<FeedLog> | undefined,
  added: readonly CommitId[],
): BuiltObject<FeedLog>[] {
  const out: BuiltObject<FeedLog>[] = [];
  let commits = current ? [...current.value.commits] : [];
  let prev = current?.value.prev;
  for (const id of added) {
    if (commits.length === LOG_SEGMENT) {
      const full = buildFeedLog({ author, commits, ...(prev && { prev }) });
      out.push(full);
      prev = full.id;
      commits = [];
    }
    commits.push(id);
  }
  out.push(buildFeedLog({ author, commits, ...(prev && { prev }) }));
  return out;
}

/** @throws ProtocolError HashMismatch, DecodeError, NonCanonical, InvalidField, MalformedId, TooLarge */
export function decodeFeedLog(bytes: Uint8Array, expectedId?: ObjectId): BuiltObject<FeedLog> {
  const id = hashBytes(bytes);
  if (expectedId !== undefined && id !== expectedId)
    throw new ProtocolError('HashMismatch', `bytes hash to ${id}, not ${expectedId}`);
  const value = decodeCanonical(bytes);
  if (typeof value !== 'object' || Array.isArray(value) || value.type !== 'log')
    throw new ProtocolError('DecodeError', 'expected a feed log');
  requireKeys(value, ['type', 'author', 'commits', 'prev'], 'log');
  const commits = readArray(value, 'commits', LOG_SEGMENT)!;
  commits.forEach((c, i) => {
    if (!isObjectId(c))
      throw new ProtocolError('MalformedId', `commits[${i}]: expected a commit id`, { field: 'commits' });
  });
  const prev = readObjectId(value, 'prev', true);
  return {
    id,
    bytes,
    value: {
      type: 'log',
      author: readPseudonymId(value, 'author'),
      commits: commits as CommitId[],
      ...(prev && { prev }),
    },
  };
}
