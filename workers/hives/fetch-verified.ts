/**
 * Commits and objects a hive's reader fetches, each checked before anything
 * reads it (PROTOCOL.md, Assembling a hive): a commit's bytes against its id,
 * its signature (or its agent's delegation), its author; the hive's own feed
 * walked back from its signed head. Nothing here is stored: a reader keeps
 * only the view it computes (hive-state.ts) and, in memory, what it already
 * checked (hive-cache.ts), so an unverified byte never reaches the store or
 * the screen. The hubs are tried in order.
 */
import { type SignedCommit, decodeCommit, verifyCommit } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { verifiedHead } from '../feed/head-check.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { HiveCache } from './hive-cache.ts';

/** At most this many commits of a hive's own feed are read (the owner's decisions: a few hundred at most). */
export const HIVE_FEED_LIMIT = 5_000;

/**
 * The blobs among `ids` that `cache` or any of `hubs` holds, each checked against its id; the first hub holding one
 * wins. Ids no hub holds are left out.
 */
export async function fetchBlobs(
  hubs: readonly HubClient[],
  ids: readonly ObjectId[],
  cache?: HiveCache,
): Promise<Map<ObjectId, Uint8Array>> {
  const found = cache?.blobs(ids) ?? new Map<ObjectId, Uint8Array>();
  for (const hub of hubs) {
    const wanted = new Set(ids.filter((id) => !found.has(id)));
    if (wanted.size === 0) break;
    let entries: { id: ObjectId; bytes: Uint8Array }[];
    try {
      entries = await hub.batchBlobs([...wanted]);
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      continue; // that hub is down or busy: the next one may serve them
    }
    for (const { id, bytes } of entries) {
      if (!wanted.has(id) || hashBytes(bytes) !== id) continue;
      found.set(id, bytes);
      cache?.keepBlob(id, bytes);
    }
  }
  return found;
}

/**
 * `bytes` as commit `id` by `author`, checked.
 * @throws ProtocolError HashMismatch, DecodeError, ..., WrongAuthor, BadSignature
 */
export async function checkCommit(
  bytes: Uint8Array,
  id: CommitId,
  author: PseudonymId,
  verify: Verify,
  cache?: HiveCache,
): Promise<SignedCommit> {
  const signed = decodeCommit(bytes, id);
  if (signed.commit.author !== author)
    throw new ProtocolError('WrongAuthor', `commit ${id} is by ${signed.commit.author}, not ${author}`);
  if (cache?.isVerified(id, author)) return signed;
  if (!(await verifyCommit(signed, verify))) throw new ProtocolError('BadSignature', `commit ${id} does not verify`);
  cache?.markVerified(id, author);
  return signed;
}

/**
 * Every commit of `author`'s feed the first hub holding its head serves, walked back from the signed head.
 * @returns [] when no hub holds a head of it.
 * @throws ProtocolError BadSignature, WrongAuthor, HashMismatch, NotFound (a commit the head names is missing),
 *   TooLarge (a feed longer than `limit`)
 */
export async function readWholeFeed(
  hubs: readonly HubClient[],
  author: PseudonymId,
  verify: Verify,
  cache?: HiveCache,
  limit = HIVE_FEED_LIMIT,
): Promise<SignedCommit[]> {
  let tips: readonly CommitId[] | undefined;
  for (const hub of hubs) {
    try {
      const json = (await hub.getHeads([author]))[author];
      if (json) {
        tips = (await verifiedHead(json, author, verify)).head.heads;
        break;
      }
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
    }
  }
  if (!tips) return [];
  const commits = new Map<CommitId, SignedCommit>();
  let next = [...tips];
  while (next.length > 0) {
    if (commits.size + next.length > limit)
      throw new ProtocolError('TooLarge', `the feed of ${author} is longer than ${limit} commits`);
    const blobs = await fetchBlobs(hubs, next, cache);
    const round: CommitId[] = [];
    for (const id of next) {
      const bytes = blobs.get(id);
      if (!bytes) throw new ProtocolError('NotFound', `no hub asked serves commit ${id} of ${author}`);
      const signed = await checkCommit(bytes, id, author, verify, cache);
      commits.set(id, signed);
      for (const parent of signed.commit.parents) if (!commits.has(parent)) round.push(parent);
    }
    next = [...new Set(round)];
  }
  return [...commits.values()];
}
