/**
 * Verified ingest of one feed: get its signed head (from a hub or a live
 * event), check signature and author, walk the DAG back to what we hold
 * (dag-walk.ts), and store the verified commits in DAG order. Storage is
 * the FeedStore given (core-store.ts) and transport the hub clients given, so
 * the same ingest runs in the worker and in a Node client.
 */
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { HeadJson, SignedHead } from '../../src/protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { type BlobSource, type HeldStore, multiSource, walkFeed } from './dag-walk.ts';
import { type FeedLog, decodeFeedLog } from '../../src/protocol/feed-log.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { CoreDb } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { CoreError, errorName } from '../errors.ts';
import { verifiedHead } from './head-check.ts';
import { expectedCommits, headSeqMismatch, pendingAfter, segmentStep } from './catch-up-plan.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { KeySource } from '../keys/key-source.ts';
import { type SealedOpener, envelopeOpener, localReaders } from './sealed-posts.ts';

interface IngestTransport {
  readonly verify: Verify;
  readonly now: () => number;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  /** The local pseudonyms' keys, to open the feed's sealed posts for those that read it; without, none opens. */
  readonly keys?: Pick<KeySource, 'listPseudonyms' | 'getSecretKey'>;
}

/**
 * Where verified commits go (a FeedStore, core-store.ts: the worker's IndexedDB or any other), and the hubs.
 * Worker code may give its database instead, for its IndexedDB store (the bench's pages do).
 */
export type IngestDeps = IngestTransport & ({ readonly store: FeedStore } | { readonly db: CoreDb });

/** A FeedStore, or the worker's database as one. */
export function feedStoreOf(storage: FeedStore | CoreDb): FeedStore {
  return typeof (storage as FeedStore).storeWalked === 'function'
    ? (storage as FeedStore)
    : new IdbCoreStore(storage as CoreDb);
}

function storeOf(deps: IngestDeps): FeedStore {
  return 'store' in deps ? deps.store : feedStoreOf(deps.db);
}

export { verifiedHead } from './head-check.ts';

/** Stores a walk in the worker's database as a first catch-up does, or not (idb-core-store.ts). */
export { storeWalked } from '../store/idb-core-store.ts';

export interface IngestOptions {
  /** Hubs to read from, in order of preference. */
  readonly hubs: readonly string[];
  /** A head already in hand (a live event, or one just fetched); verified again here. */
  readonly head?: HeadJson;
  readonly onProgress?: (done: number, total: number) => void;
  /** The local pseudonym it is read for: its requests go where that one's do (net/hub-aliases.ts). */
  readonly as?: PseudonymId;
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

export function heldStore(storage: FeedStore | CoreDb, author: PseudonymId): HeldStore {
  const store = feedStoreOf(storage);
  return { commitSeqs: (ids) => store.findCommitSeqs(author, ids), blobs: (ids) => store.findBlobs(author, ids) };
}

/**
 * The newest head among the hubs, unverified (the first hub answering wins ties).
 * @throws CoreError Offline when no hub could be reached.
 */
export async function fetchHead(
  deps: IngestDeps,
  author: PseudonymId,
  hubs: readonly string[],
  as?: PseudonymId,
): Promise<HeadJson | undefined> {
  let best: HeadJson | undefined;
  let lastError: unknown;
  let reached = 0;
  for (const origin of hubs) {
    try {
      const head = (await deps.hub(origin, as).getHeads([author]))[author];
      reached++;
      if (head && (!best || head.seq > best.seq)) best = head;
    } catch (error) {
      lastError = error;
    }
  }
  if (reached === 0) throw lastError ?? new CoreError('InvalidField', `no hub known for ${author}`);
  return best;
}

/**
 * The commits a feed log lists that we do not hold, a segment at a time,
 * newest first, until one lists a commit we hold (segmentStep decides). The log is a hint
 * (feed-log.ts): a segment that cannot be fetched or decoded, or names
 * another author, ends the reading, and the parent walk does the rest.
 * @param holdsSome whether we hold any of the feed (a tips row): without one
 *   none of the log is held (a first follow), and checking would cost a read
 *   per listed commit for nothing
 * @param expected commits the head says are new (expectedCommits): past MAX_SEGMENTS the reading goes on while
 *   the segments read list fewer ids than that (catch-up-plan.ts segmentStep)
 * @throws CoreError Offline (from the source)
 */
export async function* feedLogHints(
  source: BlobSource,
  storage: FeedStore | CoreDb,
  author: PseudonymId,
  newest: ObjectId,
  holdsSome: boolean,
  expected: number,
): AsyncGenerator<CommitId[]> {
  const store = feedStoreOf(storage);
  let next: ObjectId | undefined = newest;
  let listed = 0;
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
      holdsSome && log.author === author ? await store.findCommitSeqs(author, log.commits) : new Set<CommitId>();
    const step = segmentStep(log, author, held, n, listed, expected);
    if (!step.missing) return;
    listed += log.commits.length;
    yield [...step.missing];
    next = step.next;
  }
}

/** The opener of `author`'s sealed posts, with the keys of this device's pseudonyms (unlocked only now). */
async function openerFor(keys: NonNullable<IngestDeps['keys']>, author: PseudonymId): Promise<SealedOpener> {
  const { readers, locked } = await localReaders(keys, author);
  return envelopeOpener(readers, locked);
}

/**
 * Brings `author`'s feed up to its head. Every new commit is verified before
 * anything is stored; then the store writes them in DAG order (the worker's a
 * chunk per transaction: a failure between chunks leaves a prefix that is
 * closed under parents, so the next ingest simply continues).
 * @throws ProtocolError BadSignature, WrongAuthor, HashMismatch, BadSeq, NotFound, ...; CoreError Offline
 */
export async function ingestFeed(deps: IngestDeps, author: PseudonymId, options: IngestOptions): Promise<IngestResult> {
  const json = options.head ?? (await fetchHead(deps, author, options.hubs, options.as));
  if (!json) return { added: 0, posts: 0, follows: 0 };
  const head = await verifiedHead(json, author, deps.verify);

  const sources = options.hubs.map(
    (origin) => (ids: Parameters<HubClient['batchBlobs']>[0]) => deps.hub(origin, options.as).batchBlobs(ids),
  );
  // Commits that waited for their parents are served from the pending store, not fetched again.
  const store = storeOf(deps);
  const pending = await store.listPending(author);
  const pendingBytes = new Map(pending.map((p) => [p.id as ObjectId, p.bytes]));
  const hubs = multiSource(sources);
  const source: BlobSource = async (ids) => {
    const local = ids.filter((id) => pendingBytes.has(id)).map((id) => ({ id, bytes: pendingBytes.get(id)! }));
    const rest = ids.filter((id) => !pendingBytes.has(id));
    return [...local, ...(rest.length > 0 ? await hubs(rest) : [])];
  };
  const tips = await store.findTips(author);
  const expected = expectedCommits(head.head.seq, tips);
  const log = head.head.log;
  const walk = await walkFeed(source, heldStore(store, author), {
    ...(deps.keys && { opener: () => openerFor(deps.keys!, author) }),
    author,
    tips: head.head.heads,
    expected,
    ...(log && { hints: feedLogHints(source, store, author, log, tips !== undefined, expected) }),
    verify: deps.verify,
    now: deps.now(),
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  const tipSeq = headSeqMismatch(head.head.seq, walk.tipSeqs, walk.waiting.length);
  if (tipSeq !== undefined)
    throw new ProtocolError('BadSeq', `the head of ${author} says seq ${head.head.seq}; its tips make it ${tipSeq}`);

  const { added, posts, follows } = await store.storeWalked(author, walk.commits);
  const { keep, forget } = pendingAfter(
    walk.waiting,
    walk.commits.map((c) => c.signed.id),
    new Set(pendingBytes.keys() as Iterable<CommitId>),
  );
  await store.settlePending(author, keep, forget);
  return { head, added: added.length, posts, follows, waiting: walk.waiting.length };
}
