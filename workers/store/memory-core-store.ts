/**
 * The core store (core-store.ts) in Maps: for a client with no IndexedDB (a
 * Node process, a test) and as the reference the acceptance suite
 * (contract.ts) holds the IndexedDB store to. It plans every write with the
 * same pure merge plan as the worker's store (apply-plan.ts planApply: rows,
 * tips, outbox) and applies it in one synchronous step after its checks, so
 * a batch is all or nothing. A revoked agent's commits count as the model
 * says (revocation-plan.ts): its follows and posts make no rows, whatever
 * the arrival order. Nothing is durable: a process that must survive
 * a crash keeps a store of its own (issue 17: an append-only file store).
 * The inbox's rows are memory-inbox-store.ts's.
 */
import { compactBytes, utf8 } from '../../src/protocol/bytes.ts';
import { type Commit, decodeCommit, linksOfHeldCommit } from '../../src/protocol/commits.ts';
import { appendToFeedLog, decodeFeedLog } from '../../src/protocol/feed-log.ts';
import { compareStamps, feedState, refusedCommits } from '../../src/protocol/feed-state.ts';
import { type CommitId, type ObjectId, type PseudonymId, isObjectId } from '../../src/protocol/ids.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import { CoreError } from '../errors.ts';
import { type ExistingRows, type VerifiedCommit, followKey, planApply } from './apply-plan.ts';
import { type ApplyInput, tipsMoved } from './commit-plan.ts';
import type { ApplyResult, CoreStore, HeldCommit, OpenedPostRow, PendingCommit } from './core-store.ts';
import type { CommitRow, FollowRow, OutboxRow, PostRow, TipsRow } from './db.ts';
import { type MemoryInboxSnapshot, MemoryInboxStore } from './memory-inbox-store.ts';
import { commitsToList, segmentsToCarry } from './own-log-plan.ts';
import { isSealedPost } from '../../src/protocol/audience.ts';
import { basePostRow, restampedRow, idOfKey, isHeldPost, stampOf } from './post-rows.ts';
import { type FeedCommit, planRevokedRows } from './revocation-plan.ts';

/** A stored commit: its row (bytes, seq, media) and the author it is filed under. */
export interface HeldRow extends CommitRow {
  readonly author: PseudonymId;
}

/**
 * Everything a memory store holds, as structured-cloneable data (Maps of rows): what a durable store built on
 * it (the command line's journal) writes as a snapshot, so it can replay from there rather than from the start.
 */
export interface MemoryCoreSnapshot {
  readonly commits: ReadonlyMap<CommitId, HeldRow>;
  readonly blobs: ReadonlyMap<ObjectId, Uint8Array>;
  readonly posts: ReadonlyMap<ObjectId, PostRow>;
  readonly follows: ReadonlyMap<string, FollowRow>;
  readonly tips: ReadonlyMap<PseudonymId, TipsRow>;
  readonly outbox: ReadonlyMap<PseudonymId, ReadonlyMap<CommitId, OutboxRow>>;
  readonly ownLogs: ReadonlyMap<PseudonymId, ObjectId>;
  readonly pending: ReadonlyMap<CommitId, PendingCommit & { readonly author: PseudonymId }>;
  /** Absent in a snapshot written before the inbox was kept. */
  readonly inbox?: MemoryInboxSnapshot;
  /**
   * Every held author's merged profile fields, so a reader of the small rows alone answers findProfileField
   * (src/cli/store/file-core-store.ts). Absent in a snapshot written before they were kept.
   */
  readonly profiles?: ReadonlyMap<PseudonymId, ReadonlyMap<string, { value: unknown }>>;
}

export class MemoryCoreStore extends MemoryInboxStore implements CoreStore {
  readonly #commits = new Map<CommitId, HeldRow>();
  /** Each author's merged profile fields, computed once per change of its commits (findProfileField). */
  readonly #profiles = new Map<PseudonymId, Map<string, { value: unknown }>>();
  readonly #blobs = new Map<ObjectId, Uint8Array>();
  readonly #posts = new Map<ObjectId, PostRow>();
  readonly #follows = new Map<string, FollowRow>();
  readonly #tips = new Map<PseudonymId, TipsRow>();
  /** Per pseudonym, its queued own commits by id. */
  readonly #outbox = new Map<PseudonymId, Map<CommitId, OutboxRow>>();
  readonly #ownLogs = new Map<PseudonymId, ObjectId>();
  readonly #pending = new Map<CommitId, PendingCommit & { readonly author: PseudonymId }>();
  /** Whether each feed asked about holds a revoke op (found by decoding its commits once; not in snapshots). */
  readonly #revoking = new Map<PseudonymId, boolean>();

  /** A store holding exactly what `snapshot` describes (its Maps are copied; rows are never mutated in place). */
  static fromSnapshot(snapshot: MemoryCoreSnapshot): MemoryCoreStore {
    const store = new MemoryCoreStore();
    const fill = <K, V>(into: Map<K, V>, from: ReadonlyMap<K, V>) => {
      for (const [k, v] of from) into.set(k, v);
    };
    fill(store.#commits, snapshot.commits);
    fill(store.#blobs, snapshot.blobs);
    fill(store.#posts, snapshot.posts);
    fill(store.#follows, snapshot.follows);
    fill(store.#tips, snapshot.tips);
    for (const [pseudonym, queue] of snapshot.outbox) store.#outbox.set(pseudonym, new Map(queue));
    fill(store.#ownLogs, snapshot.ownLogs);
    fill(store.#pending, snapshot.pending);
    for (const [author, fields] of snapshot.profiles ?? []) store.#profiles.set(author, new Map(fields));
    store.restoreInbox(snapshot.inbox);
    return store;
  }

  /** What this store holds now, in copies of its Maps (the rows are shared: each write replaces rows, never edits). */
  snapshot(): MemoryCoreSnapshot {
    return {
      commits: new Map(this.#commits),
      blobs: new Map(this.#blobs),
      posts: new Map(this.#posts),
      follows: new Map(this.#follows),
      tips: new Map(this.#tips),
      outbox: new Map([...this.#outbox].map(([pseudonym, queue]) => [pseudonym, new Map(queue)])),
      ownLogs: new Map(this.#ownLogs),
      pending: new Map(this.#pending),
      inbox: this.inboxSnapshot(),
      profiles: new Map([...this.#tips.keys()].map((author) => [author, this.#profileOf(author)])),
    };
  }

  async findTips(author: PseudonymId): Promise<TipsRow | undefined> {
    return this.#tips.get(author);
  }

  async findCommitSeqs(author: PseudonymId, ids: readonly CommitId[]): Promise<Map<CommitId, number>> {
    const seqs = new Map<CommitId, number>();
    for (const id of ids) {
      const row = this.#commits.get(id);
      if (row?.author === author) seqs.set(id, row.seq);
    }
    return seqs;
  }

  async findCommits(author: PseudonymId, ids: readonly CommitId[]): Promise<HeldCommit[]> {
    return ids.flatMap((id) => {
      const row = this.#commits.get(id);
      if (row?.author !== author) return [];
      const { parents, named } = linksOfHeldCommit(row.bytes);
      const objects = row.media ? [...new Set([...named, ...row.media])] : named;
      return [{ id, seq: row.seq, parents, objects, named: named.length }];
    });
  }

  async findBlobs(_author: PseudonymId, ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
    const found = new Map<ObjectId, Uint8Array>();
    for (const id of ids) {
      const row = this.#posts.get(id);
      const text = row?.au === undefined ? row?.text : undefined; // a sealed post's opened text: never sent
      const bytes =
        this.#blobs.get(id) ?? this.#commits.get(id)?.bytes ?? (text !== undefined ? utf8(text) : undefined);
      if (bytes) found.set(id, bytes);
    }
    return found;
  }

  async holdsAll(author: PseudonymId, heads: unknown): Promise<boolean> {
    if (!Array.isArray(heads) || heads.length === 0 || !heads.every(isObjectId)) return false;
    return heads.every((id) => this.#commits.get(id)?.author === author);
  }

  async applyBatch(input: ApplyInput): Promise<ApplyResult> {
    const existing = this.#existing(input.items, input.kind === 'own' ? input.expectTips?.author : undefined);
    if (tipsMoved(input, existing)) throw new CoreError('Conflict', 'the feed moved while a commit was being built');
    // Revocation (PROTOCOL.md, Agents): the model's rule over each feed that needs it, held commits and batch.
    const feeds = this.#feedsToJudge(input.items, existing.heldCommits);
    const refused = new Set([...feeds.values()].flatMap((commits) => [...refusedCommits(commits)]));
    const outbox = input.kind === 'own' ? input.outbox : undefined;
    const writes = planApply(input.items, existing, outbox, new Set(), refused);
    // No await from the reads above to here: the batch is one step.
    const commitOf = new Map(input.items.map((i) => [i.signed.id, i.signed.commit]));
    // A commit read from a file is a view into its chunk: kept, the batch's share one buffer of their own.
    const bytes = compactBytes(writes.commits.map((row) => row.bytes));
    for (const [i, row] of writes.commits.entries()) {
      const commit = commitOf.get(row.id)!;
      this.#commits.set(row.id, { ...row, bytes: bytes[i]!, author: commit.author });
      if (mayChangeProfile(commit)) this.#profiles.delete(commit.author);
    }
    for (const row of writes.blobs) this.#blobs.set(row.id, row.bytes);
    for (const row of writes.posts) this.#posts.set(row.id, row);
    for (const row of writes.follows) this.#follows.set(followKey(row.pseudonym, row.target), row);
    for (const row of writes.tips) this.#tips.set(row.author, row);
    for (const row of writes.outbox) this.#queue(row.pseudonym).set(row.commitId, row);
    for (const [author, commits] of feeds) {
      this.#revoking.set(author, true);
      this.#applyRevoked(commits);
    }
    return { added: writes.commits.map((c) => c.id), posts: writes.posts.length, follows: writes.follows.length };
  }

  storeWalked(_author: PseudonymId, commits: readonly VerifiedCommit[]): Promise<ApplyResult> {
    return this.applyBatch({ kind: 'ingested', items: commits });
  }

  async listFollows(pseudonym: PseudonymId): Promise<FollowRow[]> {
    return [...this.#follows.values()]
      .filter((f) => f.pseudonym === pseudonym && f.active)
      .sort((a, b) => (a.target < b.target ? -1 : 1));
  }

  async listFollowers(target: PseudonymId): Promise<PseudonymId[]> {
    return [...this.#follows.values()].filter((f) => f.target === target && f.active).map((f) => f.pseudonym);
  }

  async listFollowHints(target: PseudonymId): Promise<FollowRow[]> {
    return [...this.#follows.values()].filter((f) => f.target === target);
  }

  /**
   * From the merge model over the author's held commits (the IndexedDB store keeps a row per field instead), kept
   * until a batch brings the author more: the hubs a followed feed signed are read at every refresh.
   */
  async findProfileField(author: PseudonymId, field: string): Promise<unknown> {
    return this.#profileOf(author).get(field)?.value;
  }

  /** `author`'s merged profile fields: kept, or derived from all its held commits (and kept). */
  #profileOf(author: PseudonymId): Map<string, { value: unknown }> {
    let profile = this.#profiles.get(author);
    if (!profile) {
      const commits = [...this.#commits.values()]
        .filter((row) => row.author === author)
        .map((row) => ({ id: row.id, commit: decodeCommit(row.bytes, row.id).commit }));
      profile = feedState(commits).profile as Map<string, { value: unknown }>;
      this.#profiles.set(author, profile);
    }
    return profile;
  }

  async findPostAuthor(id: ObjectId): Promise<PseudonymId | undefined> {
    const row = this.#posts.get(id);
    return isHeldPost(row) ? (idOfKey(row.a) as PseudonymId) : undefined;
  }

  async findOpenedPost(id: ObjectId): Promise<OpenedPostRow | undefined> {
    const row = this.#posts.get(id);
    if (!isHeldPost(row) || row.au === undefined) return undefined;
    return { text: row.text, au: row.au, ...(row.rd && { rd: row.rd }), ...(row.ck && { ck: row.ck }) };
  }

  async listPending(author: PseudonymId): Promise<PendingCommit[]> {
    return [...this.#pending.values()].filter((p) => p.author === author).map(({ id, bytes }) => ({ id, bytes }));
  }

  async settlePending(author: PseudonymId, keep: readonly PendingCommit[], forget: readonly CommitId[]): Promise<void> {
    for (const c of keep) this.#pending.set(c.id, { id: c.id, bytes: c.bytes.slice(), author });
    for (const id of forget) this.#pending.delete(id);
  }

  async readOutbox(pseudonym: PseudonymId): Promise<{ tips: TipsRow | undefined; queued: CommitId[] }> {
    return { tips: this.#tips.get(pseudonym), queued: [...this.#queue(pseudonym).keys()].sort() };
  }

  async countQueued(pseudonym: PseudonymId): Promise<number> {
    return this.#queue(pseudonym).size;
  }

  async acknowledge(pseudonym: PseudonymId, ids: readonly CommitId[]): Promise<void> {
    const queue = this.#queue(pseudonym);
    for (const id of ids) queue.delete(id);
  }

  async appendOwnLog(pseudonym: PseudonymId, commits: readonly CommitId[]): Promise<ObjectId[]> {
    const queue = this.#queue(pseudonym);
    const newest = this.#ownLogs.get(pseudonym);
    const current = newest ? this.#blobs.get(newest) : undefined;
    let log = current && newest ? decodeFeedLog(current, newest) : undefined;
    const fresh = commitsToList(commits.map((id) => queue.get(id)));
    if (fresh.length > 0) {
      const segments = appendToFeedLog(
        pseudonym,
        log,
        fresh.map((r) => r.commitId),
      );
      for (const s of segments) this.#blobs.set(s.id, s.bytes);
      log = segments.at(-1)!;
      this.#ownLogs.set(pseudonym, log.id);
      for (const r of fresh) queue.set(r.commitId, { ...r, logged: true });
    }
    return segmentsToCarry(log);
  }

  async findOwnLog(pseudonym: PseudonymId): Promise<ObjectId | undefined> {
    return this.#ownLogs.get(pseudonym);
  }

  #queue(pseudonym: PseudonymId): Map<CommitId, OutboxRow> {
    let queue = this.#outbox.get(pseudonym);
    if (!queue) {
      queue = new Map();
      this.#outbox.set(pseudonym, queue);
    }
    return queue;
  }

  /**
   * The feeds of `items` the revocation rule must be taken over (all their held commits and the batch's, decoded),
   * each holding a revocation, held or brought by the batch: those the batch brings a revocation or an agent
   * commit to, and those of a post a repost in it shares that the post's own agent published (it may be refused).
   * Cost: a decode per held commit of such a feed, per batch; a feed is first asked about once per process.
   */
  #feedsToJudge(items: readonly VerifiedCommit[], held: ReadonlySet<CommitId>): Map<PseudonymId, FeedCommit[]> {
    const fresh = items.filter((i) => !held.has(i.signed.id));
    const feeds = new Map<PseudonymId, FeedCommit[]>();
    const sharedByAgents = fresh.flatMap((i) => (i.reposted ?? []).filter((r) => r.agent?.delegation));
    const authors = [...fresh.map((i) => i.signed.commit.author), ...sharedByAgents.map((r) => r.post.value.author)];
    for (const author of new Set(authors)) {
      const mine = fresh.filter((i) => i.signed.commit.author === author);
      const revoking = mine.some(
        ({ signed }) => !signed.commit.agent?.delegation && signed.commit.ops.some((o) => o.type === 'revoke'),
      );
      const delegated = mine.some(({ signed }) => signed.commit.agent?.delegation);
      const shared = sharedByAgents.some((r) => r.post.value.author === author);
      if (!revoking && !((delegated || shared) && this.#holdsRevocation(author))) continue;
      const commits = this.#decodedFeed(author);
      for (const { signed } of mine) commits.push({ id: signed.id, commit: signed.commit });
      feeds.set(author, commits);
    }
    return feeds;
  }

  #decodedFeed(author: PseudonymId): FeedCommit[] {
    return [...this.#commits.values()]
      .filter((row) => row.author === author)
      .map((row) => ({ id: row.id, commit: decodeCommit(row.bytes, row.id).commit }));
  }

  #holdsRevocation(author: PseudonymId): boolean {
    let known = this.#revoking.get(author);
    if (known === undefined) {
      known = this.#decodedFeed(author).some(
        ({ commit }) => !commit.agent?.delegation && commit.ops.some((o) => o.type === 'revoke'),
      );
      this.#revoking.set(author, known);
    }
    return known;
  }

  /** Makes a feed's follow and post rows the model's once it holds a revocation (revocation-plan.ts). */
  #applyRevoked(feed: readonly FeedCommit[]): void {
    const plan = planRevokedRows(feed);
    if (!plan) return;
    for (const { key, row } of plan.follows) {
      if (row) this.#follows.set(followKey(...key), row);
      else this.#follows.delete(followKey(...key));
    }
    for (const { key: id, row: want } of plan.posts) {
      const current = this.#posts.get(id);
      const held = isHeldPost(current) ? current : undefined;
      if (!want) {
        // Out of the rows; its bytes stay, as the refused commit that published it does.
        if (held && !held.au) this.#blobs.set(id, utf8(held.text));
        this.#posts.delete(id);
        continue;
      }
      if (held && compareStamps(stampOf(held), want.stamp) === 0) continue;
      const bytes = held ? undefined : this.#blobs.get(id);
      if (held) this.#posts.set(id, restampedRow(held, want.stamp, want.agent));
      else if (bytes && !isSealedPost(bytes))
        this.#posts.set(id, basePostRow(decodePost(bytes, id), want.stamp, want.agent));
    }
  }

  /** The rows a batch's plan reads (apply-plan.ts ExistingRows), as they are now. */
  #existing(items: readonly VerifiedCommit[], expecting: PseudonymId | undefined): ExistingRows {
    const posts = new Map<ObjectId, PostRow>();
    const follows = new Map<string, FollowRow>();
    const tips = new Map<PseudonymId, TipsRow>();
    const expected = expecting && this.#tips.get(expecting);
    if (expected) tips.set(expected.author, expected);
    const heldCommits = new Set<CommitId>();
    for (const { signed, posts: built, reposted } of items) {
      const { author, ops } = signed.commit;
      if (this.#commits.has(signed.id)) heldCommits.add(signed.id);
      const tip = this.#tips.get(author);
      if (tip) tips.set(author, tip);
      for (const p of [...built, ...(reposted ?? []).map((r) => r.post)]) {
        const row = this.#posts.get(p.id);
        if (row) posts.set(p.id, row);
      }
      for (const op of ops) {
        if (op.type !== 'follow' && op.type !== 'unfollow') continue;
        const row = this.#follows.get(followKey(author, op.target));
        if (row) follows.set(followKey(author, op.target), row);
      }
    }
    return { heldCommits, posts, follows, tips };
  }
}

/**
 * Whether adding `commit` can change its feed's merged profile (feed-state.ts): a profile op, or a revocation (it
 * changes which agent commits count). Any other commit leaves a kept profile true, so a catch-up of thousands of
 * posts does not decode the whole feed again at the next findProfileField.
 */
function mayChangeProfile(commit: Commit): boolean {
  return commit.ops.some((op) => op.type === 'profile' || op.type === 'revoke');
}
