/**
 * The core's storage seam: what ingest, the outbox, replication and local
 * commits need of a store, and nothing of how it keeps it. The browser's
 * implementation is IndexedDB (idb-core-store.ts, over commit-store.ts and
 * the other row modules); memory-core-store.ts keeps it in Maps, and a Node
 * client (the command line) brings a store of its own. contract.ts is the one
 * acceptance suite every implementation runs (core-store.test.ts).
 *
 * Promises every implementation keeps (the suite checks each):
 * - closed under parents: a commit is stored only with its parents held or in
 *   the same batch (callers apply in DAG order), and tips are the held commits
 *   no held commit names, with the greatest held seq;
 * - applying a held commit again changes nothing (`added` leaves it out);
 * - an own batch built on tips that moved writes nothing and throws Conflict;
 *   otherwise it is stored and queued in one step, so a commit is never
 *   stored but not queued, or queued but not stored;
 * - `readOutbox` gives tips and queue in one snapshot (a queued commit is
 *   always among the tips' ancestors);
 * - the feed log lists each queued commit once, oldest first (own-log-plan.ts);
 * - the inbox's rows keep inbox-store.ts's promises.
 */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import type { ApplyInput } from './commit-plan.ts';
import type { FollowRow, PostRow, TipsRow } from './db.ts';
import type { InboxStore } from './inbox-store.ts';

export interface ApplyResult {
  /** Commits newly stored (held ones are skipped). */
  readonly added: readonly CommitId[];
  readonly posts: number;
  readonly follows: number;
}

/** A held commit's parents and the blobs a push of it carries: the ids its ops name and its posts' media. */
export interface HeldCommit {
  readonly id: CommitId;
  readonly seq: number;
  readonly parents: readonly CommitId[];
  /** The ids its ops name (objectIdsOf order), then the media of its posts not among them. */
  readonly objects: ObjectId[];
  /** How many of `objects` its ops name: the rest are media (up to 10 MiB each: a reader of many fetches apart). */
  readonly named: number;
}

/** A verified commit that waits for parents no hub had yet (its bytes, to apply once they arrive). */
export interface PendingCommit {
  readonly id: CommitId;
  readonly bytes: Uint8Array;
}

/** Feeds as far as fetching, verifying and storing them goes. */
export interface FeedStore {
  findTips(author: PseudonymId): Promise<TipsRow | undefined>;
  /** The seq of each of `author`'s commits among `ids` that is held (ids not held are left out). */
  findCommitSeqs(author: PseudonymId, ids: readonly CommitId[]): Promise<Map<CommitId, number>>;
  /** The held commits of `author` among `ids`, with what a push of each carries. */
  findCommits(author: PseudonymId, ids: readonly CommitId[]): Promise<HeldCommit[]>;
  /** Bytes of the blobs held among `ids` (commits, posts, other objects, log segments); others left out. */
  findBlobs(author: PseudonymId, ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>>;
  /** True when `heads` (untrusted: from a hub) is a non-empty list of `author`'s commit ids all held. */
  holdsAll(author: PseudonymId, heads: unknown): Promise<boolean>;
  /**
   * Stores a batch (verified, in DAG order) in one step; own batches are queued in the outbox.
   * @throws CoreError Conflict when an own batch's `expectTips` no longer holds (nothing is written)
   */
  applyBatch(input: ApplyInput): Promise<ApplyResult>;
  /** Stores a walk's verified commits of `author` (DAG order), in as many steps as the store likes. */
  storeWalked(author: PseudonymId, commits: readonly VerifiedCommit[]): Promise<ApplyResult>;
  /** The feeds `pseudonym` follows now: its active follow rows (last writer wins by stamp, apply-plan.ts). */
  listFollows(pseudonym: PseudonymId): Promise<FollowRow[]>;
  /** The pseudonyms whose held feeds follow `target` now. */
  listFollowers(target: PseudonymId): Promise<PseudonymId[]>;
  /** Every follow row of a held feed naming `target`, withdrawn ones too: hints of its handle and hubs. */
  listFollowHints(target: PseudonymId): Promise<FollowRow[]>;
  /** A profile field of `author` as its held feed sets it now (last writer by stamp), if set. */
  findProfileField(author: PseudonymId, field: string): Promise<unknown>;
  /** The author of the held post `id` (a post a held feed published), if held. */
  findPostAuthor(id: ObjectId): Promise<PseudonymId | undefined>;
  /**
   * A sealed post a local pseudonym opened when it was stored (its row: apply-plan.ts SealedMark), for a store whose
   * readers read rows rather than views (the command line's); undefined when none here opened it.
   */
  findOpenedPost?(id: ObjectId): Promise<OpenedPostRow | undefined>;
  /** Verified commits of `author` waiting for their parents. */
  listPending(author: PseudonymId): Promise<PendingCommit[]>;
  /** Keeps `keep` waiting and forgets `forget` (stored now), in one step. */
  settlePending(author: PseudonymId, keep: readonly PendingCommit[], forget: readonly CommitId[]): Promise<void>;
}

/** A sealed post as it was opened here: its post object's text, its audience, who opened it, its content key. */
export type OpenedPostRow = Required<Pick<PostRow, 'text' | 'au'>> & Pick<PostRow, 'rd' | 'ck'>;

/** One's own queued commits and feed log. */
export interface OutboxStore {
  /** The pseudonym's tips and queued commits, read in one snapshot. */
  readOutbox(pseudonym: PseudonymId): Promise<{ tips: TipsRow | undefined; queued: CommitId[] }>;
  countQueued(pseudonym: PseudonymId): Promise<number>;
  /** Drops these commits from the queue (the home hub's head covers them); unknown ids are ignored. */
  acknowledge(pseudonym: PseudonymId, ids: readonly CommitId[]): Promise<void>;
  /**
   * Lists the queued `commits` not listed yet in the pseudonym's feed log (new segments stored as blobs).
   * @returns the segment ids a push must carry (the newest and the one before it)
   */
  appendOwnLog(pseudonym: PseudonymId, commits: readonly CommitId[]): Promise<ObjectId[]>;
  /** The id of the newest segment of the pseudonym's own log, if it keeps one yet. */
  findOwnLog(pseudonym: PseudonymId): Promise<ObjectId | undefined>;
}

export interface CoreStore extends FeedStore, OutboxStore, InboxStore {}

/** What naming a person (contacts) and listing the inbox read: its rows, and the profiles and follows of held feeds. */
export type PeopleReads = InboxStore & Pick<FeedStore, 'findProfileField' | 'listFollowHints'>;
