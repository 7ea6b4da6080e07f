/**
 * Mirrors one head from a peer: the head is checked as a PUT would be
 * (form, author, signature, time) and skipped unless newer than ours; then
 * its DAG is walked back from the tips until it reaches commits this hub has
 * already verified (VerifiedCommits, store/hub-store.ts), taking each commit from this hub's
 * store when held there (unverified: anyone may upload a blob) or else from
 * the peer, and every one is verified (its hash, its signature or
 * delegation, its author = the head's author). Only when the whole walk
 * verifies is anything stored, in an order that keeps "a verified commit has
 * its ancestors verified and held" true across crashes: the objects the
 * commits name and the commits (any order: the walk stops only at commits
 * recorded as verified, never at ones merely held), then the record of them
 * as verified, then the head.
 *
 * A head naming a feed log has the commits the log lists fetched in batches
 * first (mirror/log.ts); the parent walk then finds most of them in hand.
 *
 * Objects a peer lacks are skipped (a repost may name another hub's blobs);
 * a commit it lacks refuses the head, since the head could not be verified.
 */
import { encodeCanonical } from '../../protocol/canonical.ts';
import { type SignedCommit, objectIdsOf, verifyCommits } from '../../protocol/commits.ts';
import { sha256Node } from '../../runtime/sha256-node.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { type SignedHead, decodeHead, isNewerHead } from '../../protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { MAX_IDS_PER_REQUEST } from '../../protocol/routes.ts';
import { checkHead } from '../guard/head-check.ts';
import type { BlobStore, HeadStore, VerifiedCommits } from '../store/hub-store.ts';
import { localOrPeer, prefetchFromLog } from './log.ts';

/** Commit bytes one walk may hold in memory before it is refused. */
const MAX_WALK_BYTES = 256 * 1024 * 1024;

export interface MirrorFeedDeps {
  readonly blobs: BlobStore;
  readonly heads: HeadStore;
  readonly verified: VerifiedCommits;
  readonly verify: Verify;
  readonly now: () => number;
  /** The blobs among `ids` the peer holds, already hash-checked. */
  readonly fetchBlobs: (ids: readonly ObjectId[]) => Promise<Map<ObjectId, Uint8Array>>;
}

export type MirrorOutcome =
  | { readonly kind: 'stored'; readonly commits: number; readonly objects: number; readonly missingObjects: number }
  | { readonly kind: 'stale' }
  | { readonly kind: 'refused'; readonly error: ProtocolError };

/**
 * @param json the head as the peer's change log lists it (HeadJson, untrusted).
 * @throws anything but a ProtocolError (the peer unreachable, the disk failing): the caller retries later.
 */
export async function mirrorHead(json: unknown, author: PseudonymId, deps: MirrorFeedDeps): Promise<MirrorOutcome> {
  try {
    const signed = decodePeerHead(json);
    await checkHead(signed, author, deps.verify, deps.now());
    if (!(await isNewer(signed, deps.heads))) return { kind: 'stale' };
    const prefetched = await prefetchFromLog(author, signed.head.log, deps);
    const commits = await walkCommits(signed, deps, prefetched.commits);
    const { stored, missing } = await storeObjects(commits, deps);
    await putAll(deps.blobs, [...commits, ...prefetched.segments]);
    await deps.verified.add(commits.map((c) => c.id));
    try {
      await deps.heads.putHead(signed);
    } catch (error) {
      // Another peer (or a client) brought a newer head while we walked: ours is just stale.
      if (error instanceof ProtocolError && error.name === 'StaleHead') return { kind: 'stale' };
      throw error;
    }
    return { kind: 'stored', commits: commits.length, objects: stored, missingObjects: missing };
  } catch (error) {
    if (error instanceof ProtocolError) return { kind: 'refused', error };
    throw error;
  }
}

function decodePeerHead(json: unknown): SignedHead {
  let bytes: Uint8Array;
  try {
    bytes = encodeCanonical(json as never);
  } catch {
    throw new ProtocolError('DecodeError', 'the peer listed a head that has no canonical form');
  }
  return decodeHead(bytes);
}

async function isNewer(signed: SignedHead, heads: HeadStore): Promise<boolean> {
  const held = (await heads.findHeads([signed.head.author])).get(signed.head.author);
  return isNewerHead(signed.head, held?.signed.head);
}

/**
 * The commits of the head's DAG not verified here before, verified now.
 * @param prefetched commits already verified as the author's (from the feed log).
 * @throws ProtocolError naming the first commit refused.
 */
async function walkCommits(
  signed: SignedHead,
  deps: MirrorFeedDeps,
  prefetched: ReadonlyMap<CommitId, SignedCommit>,
): Promise<SignedCommit[]> {
  const author = signed.head.author;
  const found = new Map<CommitId, SignedCommit>();
  let frontier: CommitId[] = [...signed.head.heads];
  let bytes = 0;
  const take = (c: SignedCommit) => {
    bytes += c.bytes.length;
    if (bytes > MAX_WALK_BYTES)
      throw new ProtocolError('TooLarge', `over ${MAX_WALK_BYTES} bytes of new commits in one head; not mirrored`);
    found.set(c.id, c);
    frontier.push(...c.commit.parents);
  };
  while (frontier.length > 0) {
    const unfound = [...new Set(frontier)].filter((id) => !found.has(id));
    const known = await Promise.all(unfound.map((id) => deps.verified.has(id)));
    const need = unfound.filter((_, i) => !known[i]);
    frontier = [];
    const unknown = need.filter((id) => !prefetched.has(id));
    for (const id of need) if (prefetched.has(id)) take(prefetched.get(id)!);
    if (unknown.length === 0) continue;
    const entries = await localOrPeer(unknown, deps);
    const lacking = unknown.find((id) => !entries.has(id));
    if (lacking)
      throw new ProtocolError('NotFound', `the peer lacks commit ${lacking} of ${author}'s feed`, { id: lacking });
    for (const result of await verifyCommits(
      [...entries].map(([id, b]) => ({ id, bytes: b })),
      deps.verify,
      sha256Node,
    )) {
      if (!result.ok)
        throw new ProtocolError(result.error.name, `commit ${result.id}: ${result.error.message}`, { id: result.id });
      const c = result.commit;
      if (c.commit.author !== author)
        throw new ProtocolError('WrongAuthor', `commit ${c.id} is ${c.commit.author}'s, in ${author}'s feed`, {
          id: c.id,
        });
      take(c);
    }
  }
  return [...found.values()];
}

/** Fetches and stores the objects the commits name that this hub lacks; each was hash-checked by fetchBlobs. */
async function storeObjects(
  commits: readonly SignedCommit[],
  deps: MirrorFeedDeps,
): Promise<{ stored: number; missing: number }> {
  const own = new Set<string>(commits.map((c) => c.id));
  const ids = [...new Set(commits.flatMap((c) => objectIdsOf(c.commit)))].filter((id) => !own.has(id));
  const need: ObjectId[] = [];
  for (const id of ids) if (!(await deps.blobs.has(id))) need.push(id);
  let stored = 0;
  // A batch answer stops near 8 MiB (the peer's BATCH_RESPONSE_BYTES), so big media never pile up here.
  for (let i = 0; i < need.length; i += MAX_IDS_PER_REQUEST) {
    const fetched = await deps.fetchBlobs(need.slice(i, i + MAX_IDS_PER_REQUEST));
    await putAll(
      deps.blobs,
      [...fetched].map(([id, bytes]) => ({ id, bytes })),
    );
    stored += fetched.size;
  }
  return { stored, missing: need.length - stored };
}

/** Stores blobs a few at a time (each put waits for its own fsyncs, so several in flight overlap them). */
async function putAll(
  blobs: BlobStore,
  entries: readonly { readonly id: ObjectId; readonly bytes: Uint8Array }[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const { id, bytes } = entries[next++]!;
      await blobs.put(id, bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, entries.length) }, worker));
}
