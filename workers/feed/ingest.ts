/**
 * Verified ingest of one feed: get its signed head (from a hub or a live
 * event), check signature and author, walk the DAG back to what we hold
 * (dag-walk.ts), and store the verified commits in DAG order, a chunk per
 * transaction (each chunk complete, so the store stays closed under parents).
 */
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type HeadJson, type SignedHead, decodeHead, verifyHead } from '../../src/protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { applyBatch, findBlobs, findCommitSeqs, findTips } from '../store/commit-store.ts';
import { type BlobSource, type HeldStore, multiSource, walkFeed } from './dag-walk.ts';
import { type FeedLog, decodeFeedLog } from '../../src/protocol/feed-log.ts';
import { type CoreDb, type PostKey, ownBytes } from '../store/db.ts';
import type { VerifiedCommit } from '../store/apply-plan.ts';
import { ROWS_AT_ONCE } from '../store/lazy-posts.ts';
import { compareKeys, postKeyOf } from '../store/post-rows.ts';
import { CoreError, errorName } from '../errors.ts';
import { expectedCommits, headSeqMismatch, pendingAfter, segmentStep } from './catch-up-plan.ts';
import type { HubClient } from '../net/hub-client.ts';

export interface IngestDeps {
  readonly db: CoreDb;
  readonly verify: Verify;
  readonly now: () => number;
  readonly hub: (origin: string) => HubClient;
}

export interface IngestOptions {
  /** Hubs to read from, in order of preference. */
  readonly hubs: readonly string[];
  /** A head already in hand (a live event, or one just fetched); verified again here. */
  readonly head?: HeadJson;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface IngestResult {
  /** The verified head that was followed, if any hub had one. */
  readonly head?: SignedHead;
  readonly added: number;
  readonly posts: number;
  readonly follows: number;
  /** Verified commits left waiting for parents no hub had (kept in the pending store). */
  readonly waiting?: number;
}

/** Keeps the commits that still wait, and forgets those now stored. */
async function settlePending(
  db: CoreDb,
  author: PseudonymId,
  waiting: readonly { id: CommitId; bytes: Uint8Array }[],
  applied: readonly CommitId[],
): Promise<void> {
  if (waiting.length === 0 && applied.length === 0) return;
  const tx = db.transaction('pending', 'readwrite');
  for (const c of waiting) void tx.store.put({ id: c.id, author, bytes: ownBytes(c.bytes) });
  for (const id of applied) void tx.store.delete(id);
  await tx.done;
}

/**
 * Commits per transaction when storing a long catch-up: large, because each
 * transaction's commit costs more than its puts; bounded, so one transaction
 * never holds a whole history in memory twice.
 */
const CHUNK = 5000;

export function heldStore(db: CoreDb, author: PseudonymId): HeldStore {
  return { commitSeqs: (ids) => findCommitSeqs(db, author, ids), blobs: (ids) => findBlobs(db, author, ids) };
}

/**
 * A head from its JSON form, verified as `author`'s.
 * @throws ProtocolError DecodeError, NonCanonical, InvalidField, WrongAuthor, BadSignature
 */
export async function verifiedHead(json: unknown, author: PseudonymId, verify: Verify): Promise<SignedHead> {
  let bytes: Uint8Array;
  try {
    bytes = encodeCanonical(json);
  } catch (error) {
    throw new ProtocolError('DecodeError', `head of ${author} is not a canonical value: ${(error as Error).message}`);
  }
  const signed = decodeHead(bytes);
  if (signed.head.author !== author)
    throw new ProtocolError('WrongAuthor', `a head of ${signed.head.author} was given for ${author}`);
  if (!(await verifyHead(signed, verify)))
    throw new ProtocolError('BadSignature', `the head of ${author} is not signed by ${author}`);
  return signed;
}

/**
 * The newest head among the hubs, unverified (the first hub answering wins ties).
 * @throws CoreError Offline when no hub could be reached.
 */
export async function fetchHead(
  deps: IngestDeps,
  author: PseudonymId,
  hubs: readonly string[],
): Promise<HeadJson | undefined> {
  let best: HeadJson | undefined;
  let lastError: unknown;
  let reached = 0;
  for (const origin of hubs) {
    try {
      const head = (await deps.hub(origin).getHeads([author]))[author];
      reached++;
      if (head && (!best || head.seq > best.seq)) best = head;
    } catch (error) {
      lastError = error;
    }
  }
  if (reached === 0) throw lastError ?? new CoreError('InvalidField', `no hub known for ${author}`);
  return best;
}

/** The key of the `count`-th newest post of `commits`, when they have more posts than that. */
function newestKeys(commits: readonly VerifiedCommit[], count: number): PostKey | undefined {
  const keys = commits.flatMap((c) => c.posts.map((p) => postKeyOf(p.value.ts, p.id)));
  if (keys.length <= count) return undefined;
  return keys.sort(compareKeys)[count - 1];
}

/**
 * The commits a feed log lists that we do not hold, a segment at a time,
 * newest first, until one lists a commit we hold (segmentStep decides). The log is a hint
 * (feed-log.ts): a segment that cannot be fetched or decoded, or names
 * another author, ends the reading, and the parent walk does the rest.
 * @param holdsSome whether we hold any of the feed (a tips row): without one
 *   none of the log is held (a first follow), and checking would cost a read
 *   per listed commit for nothing
 * @throws CoreError Offline (from the source)
 */
export async function* feedLogHints(
  source: BlobSource,
  db: CoreDb,
  author: PseudonymId,
  newest: ObjectId,
  holdsSome: boolean,
): AsyncGenerator<CommitId[]> {
  let next: ObjectId | undefined = newest;
  for (let n = 0; next; n++) {
    let log: FeedLog;
    try {
      const entry = (await source([next])).find((e) => e.id === next);
      if (!entry) return;
      log = decodeFeedLog(entry.bytes, next).value;
    } catch (error) {
      if (errorName(error) === 'Offline') throw error;
      return;
    }
    const held =
      holdsSome && log.author === author ? await findCommitSeqs(db, author, log.commits) : new Set<CommitId>();
    const step = segmentStep(log, author, held, n);
    if (!step.missing) return;
    yield [...step.missing];
    next = step.next;
  }
}

/**
 * Brings `author`'s feed up to its head. Every new commit is verified before
 * anything is stored; then they are written in DAG order, a chunk per
 * transaction (a failure between chunks leaves a prefix that is closed under
 * parents, so the next ingest simply continues).
 * @throws ProtocolError BadSignature, WrongAuthor, HashMismatch, BadSeq, NotFound, ...; CoreError Offline
 */
export async function ingestFeed(deps: IngestDeps, author: PseudonymId, options: IngestOptions): Promise<IngestResult> {
  const json = options.head ?? (await fetchHead(deps, author, options.hubs));
  if (!json) return { added: 0, posts: 0, follows: 0 };
  const head = await verifiedHead(json, author, deps.verify);

  const sources = options.hubs.map(
    (origin) => (ids: Parameters<HubClient['batchBlobs']>[0]) => deps.hub(origin).batchBlobs(ids),
  );
  // Commits that waited for their parents are served from the pending store, not fetched again.
  const pending = await deps.db.getAllFromIndex('pending', 'byAuthor', author);
  const pendingBytes = new Map(pending.map((p) => [p.id as ObjectId, p.bytes]));
  const hubs = multiSource(sources);
  const source: BlobSource = async (ids) => {
    const local = ids.filter((id) => pendingBytes.has(id)).map((id) => ({ id, bytes: pendingBytes.get(id)! }));
    const rest = ids.filter((id) => !pendingBytes.has(id));
    return [...local, ...(rest.length > 0 ? await hubs(rest) : [])];
  };
  const tips = await findTips(deps.db, author);
  const firstCatchUp = tips === undefined && (await deps.db.getKey('pseudonyms', author)) === undefined;
  const walk = await walkFeed(source, heldStore(deps.db, author), {
    author,
    tips: head.head.heads,
    expected: expectedCommits(head.head.seq, tips),
    ...(head.head.log && { hints: feedLogHints(source, deps.db, author, head.head.log, tips !== undefined) }),
    verify: deps.verify,
    now: deps.now(),
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  const tipSeq = headSeqMismatch(head.head.seq, walk.tipSeqs, walk.waiting.length);
  if (tipSeq !== undefined)
    throw new ProtocolError('BadSeq', `the head of ${author} says seq ${head.head.seq}; its tips make it ${tipSeq}`);

  const { added, posts, follows } = await storeWalked(deps.db, walk.commits, firstCatchUp);
  const { keep, forget } = pendingAfter(
    walk.waiting,
    walk.commits.map((c) => c.signed.id),
    new Set(pendingBytes.keys() as Iterable<CommitId>),
  );
  await settlePending(deps.db, author, keep, forget);
  return { head, added, posts, follows, waiting: walk.waiting.length };
}

/**
 * Stores a walk's verified commits in DAG order, a chunk per transaction.
 * @param firstCatchUp a first catch-up of someone else's feed: when long, its
 *   newest posts get rows and the rest wait in packs (lazy-posts.ts)
 */
export async function storeWalked(
  db: CoreDb,
  commits: readonly VerifiedCommit[],
  firstCatchUp: boolean,
): Promise<{ added: number; posts: number; follows: number }> {
  const packBelow = firstCatchUp ? newestKeys(commits, ROWS_AT_ONCE) : undefined;
  const stored = { added: 0, posts: 0, follows: 0 };
  for (let i = 0; i < commits.length; i += CHUNK) {
    const items = commits.slice(i, i + CHUNK);
    const result = await applyBatch(db, { kind: 'ingested', items, ...(packBelow && { packBelow }) });
    stored.added += result.added.length;
    stored.posts += result.posts;
    stored.follows += result.follows;
  }
  return stored;
}
