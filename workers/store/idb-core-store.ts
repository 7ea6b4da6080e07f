/**
 * The core store (core-store.ts) on the worker's IndexedDB: each operation is
 * the row modules' transaction (commit-store.ts, own-log-rows.ts) or one of
 * its own over the pending and outbox stores. What only IndexedDB does stays
 * here: ingested commits packed per feed, a long first catch-up's older posts
 * left in the packs without rows (lazy-posts.ts), own commits flushed
 * strictly and ingested ones relaxed. The inbox's rows and the people reads are idb-people-reads.ts's.
 */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import type { ApplyInput } from './commit-plan.ts';
import { applyBatch, findBlobs, findCommitSeqs, findCommits, findTips, holdsAll } from './commit-store.ts';
import type { ApplyResult, CoreStore, HeldCommit, PendingCommit } from './core-store.ts';
import { type CoreDb, type FollowRow, type PostKey, type TipsRow, ownBytes, ownedRange } from './db.ts';
import { IdbPeopleReads } from './idb-people-reads.ts';
import { ROWS_AT_ONCE } from './lazy-posts.ts';
import { appendOwnLog, findOwnLog } from './own-log-rows.ts';
import { compareKeys, postAuthorOf, postKeyOf } from './post-rows.ts';

/**
 * Commits per transaction when storing a long catch-up: large, because each
 * transaction's commit costs more than its puts; bounded, so one transaction
 * never holds a whole history in memory twice.
 */
const CHUNK = 5000;

export class IdbCoreStore extends IdbPeopleReads implements CoreStore {
  readonly #db: CoreDb;
  constructor(db: CoreDb) {
    super(db);
    this.#db = db;
  }

  findTips(author: PseudonymId): Promise<TipsRow | undefined> {
    return findTips(this.#db, author);
  }

  findCommitSeqs(author: PseudonymId, ids: readonly CommitId[]): Promise<Map<CommitId, number>> {
    return findCommitSeqs(this.#db, author, ids);
  }

  findCommits(author: PseudonymId, ids: readonly CommitId[]): Promise<HeldCommit[]> {
    return findCommits(this.#db, author, ids);
  }

  findBlobs(author: PseudonymId, ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
    return findBlobs(this.#db, author, ids);
  }

  holdsAll(author: PseudonymId, heads: unknown): Promise<boolean> {
    return holdsAll(this.#db, author, heads);
  }

  applyBatch(input: ApplyInput): Promise<ApplyResult> {
    return applyBatch(this.#db, input);
  }

  /**
   * A chunk per transaction (a failure between chunks leaves a prefix closed under parents, so the next ingest
   * simply continues). A first catch-up of someone else's feed, when long, gives rows to its newest posts only;
   * the rest wait in packs (lazy-posts.ts).
   */
  async storeWalked(author: PseudonymId, commits: readonly VerifiedCommit[]): Promise<ApplyResult> {
    const first =
      (await findTips(this.#db, author)) === undefined && (await this.#db.getKey('pseudonyms', author)) === undefined;
    return storeWalked(this.#db, commits, first);
  }

  async listFollows(pseudonym: PseudonymId): Promise<FollowRow[]> {
    return (await this.#db.getAll('follows', ownedRange(pseudonym))).filter((f) => f.active);
  }

  async listFollowers(target: PseudonymId): Promise<PseudonymId[]> {
    const rows = await this.#db.getAllFromIndex('follows', 'byTarget', target);
    return rows.filter((f) => f.active).map((f) => f.pseudonym);
  }

  findPostAuthor(id: ObjectId): Promise<PseudonymId | undefined> {
    return postAuthorOf(this.#db, id);
  }

  async listPending(author: PseudonymId): Promise<PendingCommit[]> {
    const rows = await this.#db.getAllFromIndex('pending', 'byAuthor', author);
    return rows.map((r) => ({ id: r.id, bytes: r.bytes }));
  }

  async settlePending(author: PseudonymId, keep: readonly PendingCommit[], forget: readonly CommitId[]): Promise<void> {
    if (keep.length === 0 && forget.length === 0) return;
    const tx = this.#db.transaction('pending', 'readwrite');
    for (const c of keep) void tx.store.put({ id: c.id, author, bytes: ownBytes(c.bytes) });
    for (const id of forget) void tx.store.delete(id);
    await tx.done;
  }

  async readOutbox(pseudonym: PseudonymId): Promise<{ tips: TipsRow | undefined; queued: CommitId[] }> {
    // One transaction: a commit is never queued but missing from the tips we judge.
    const tx = this.#db.transaction(['tips', 'outbox']);
    const [tips, queued] = await Promise.all([
      tx.objectStore('tips').get(pseudonym),
      tx.objectStore('outbox').getAllKeys(ownedRange(pseudonym)),
    ]);
    return { tips, queued: queued.map(([, id]) => id) };
  }

  countQueued(pseudonym: PseudonymId): Promise<number> {
    return this.#db.count('outbox', ownedRange(pseudonym));
  }

  async acknowledge(pseudonym: PseudonymId, ids: readonly CommitId[]): Promise<void> {
    if (ids.length === 0) return;
    const tx = this.#db.transaction('outbox', 'readwrite');
    await Promise.all([...ids.map((id) => tx.store.delete([pseudonym, id])), tx.done]);
  }

  appendOwnLog(pseudonym: PseudonymId, commits: readonly CommitId[]): Promise<ObjectId[]> {
    return appendOwnLog(this.#db, pseudonym, commits);
  }

  findOwnLog(pseudonym: PseudonymId): Promise<ObjectId | undefined> {
    return findOwnLog(this.#db, pseudonym);
  }
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
): Promise<ApplyResult> {
  const packBelow = firstCatchUp ? newestKeys(commits, ROWS_AT_ONCE) : undefined;
  const added: CommitId[] = [];
  let posts = 0;
  let follows = 0;
  for (let i = 0; i < commits.length; i += CHUNK) {
    const items = commits.slice(i, i + CHUNK);
    const result = await applyBatch(db, { kind: 'ingested', items, ...(packBelow && { packBelow }) });
    added.push(...result.added);
    posts += result.posts;
    follows += result.follows;
  }
  return { added, posts, follows };
}

/** The key of the `count`-th newest post of `commits`, when they have more posts than that. */
function newestKeys(commits: readonly VerifiedCommit[], count: number): PostKey | undefined {
  const keys = commits.flatMap((c) => c.posts.map((p) => postKeyOf(p.value.ts, p.id)));
  if (keys.length <= count) return undefined;
  return keys.sort(compareKeys)[count - 1];
}
