/**
 * The command line's durable core store: the core's memory store (workers/store/memory-core-store.ts, which plans every
 * write with the core's own merge plan) in front of an append-only journal (journal.ts). Each write is applied in
 * memory, then recorded in the journal and fsynced before the call returns; opening replays the journal into a fresh
 * memory store. A write that could not be recorded leaves memory ahead of the disk, so the store refuses every later
 * call (StoreBroken) rather than acknowledge anything on top of it; the next process starts from what is on disk.
 *
 * Records are the writes' arguments (journal-entry.ts). Compacting replaces the journal with one snapshot of everything
 * held, so an open replays it instead of every write since the start; it happens at open once the journal has many
 * records, and when a command ends (compactIfGrown) once the records after the snapshot are large: a record carries
 * each commit decoded as ingest verified it, about twice a snapshot's bytes, and replaying it runs the whole merge plan
 * again (50,000 fetched commits took some 10 s to replay and 2 s to load as a snapshot, on a busy 2-core machine).
 *
 * The snapshot's bulk (commits, posts, blobs: 50 MB for 50,000 commits and posts) is its own record, which an
 * open does not read (journal.ts defers it; it is read and checked when a call needs it): the reads of the small
 * rows (tips, follows, outbox, pending, inbox, profile fields) and holdsAll of heads that are tips are answered
 * without it, which is all a command that finds nothing new asks (a warm `timeline`, with its feeds' memo:
 * src/cli/read/feed-memo.ts). Every write, and every other read, loads it first.
 */
import { serialize } from 'node:v8';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { VerifiedCommit } from '../../../workers/store/apply-plan.ts';
import type { ApplyInput } from '../../../workers/store/commit-plan.ts';
import type { ApplyResult, CoreStore, HeldCommit, PendingCommit } from '../../../workers/store/core-store.ts';
import type { ContactRow, DeliveryRow, DmRow, FollowRow, NotificationRow, TipsRow } from '../../../workers/store/db.ts';
import type { InboxStore, NotificationRange } from '../../../workers/store/inbox-store.ts';
import { type MemoryCoreSnapshot, MemoryCoreStore } from '../../../workers/store/memory-core-store.ts';
import {
  type InboxResult,
  type InboxWrite,
  type JournalEntry,
  applyInbox,
  decodeBulk,
  decodeEntry,
  encodeSnapshot,
  isBulkRecord,
  leanInput,
  replay,
} from './journal-entry.ts';
import { DecodedCache } from './decoded.ts';
import { CorruptJournal, DeferredRecord, Journal } from './journal.ts';

/** A write reached memory but not the disk: this open store must not acknowledge anything more. */
export class StoreBroken extends Error {
  override readonly name = 'StoreBroken';
}

/** At open, a journal of more records than this is compacted to one snapshot (a few ms of replay per 100). */
const COMPACT_AFTER_RECORDS = 1_000;

/**
 * compactIfGrown compacts once the records after the snapshot exceed this many bytes and an eighth of the
 * snapshot's: replaying them then costs more than loading them from a snapshot, and a store that grows a little
 * at a time rewrites its snapshot only after growing by a share of it.
 */
const COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

export class FileCoreStore implements CoreStore {
  readonly #path: string;
  /** The whole store, or while `#unloaded` is set, the snapshot's small rows alone (over empty bulk Maps). */
  #memory: MemoryCoreStore;
  /** The snapshot's small rows and its bulk record (not yet read from the file), until a call needs the bulk. */
  #unloaded: { small: MemoryCoreSnapshot; bulk: DeferredRecord } | undefined;
  #journal: Journal;
  /** Bytes of a torn final record dropped at open (a crash mid-write), for `status`. */
  readonly tornBytes: number;
  #broken: unknown;
  #writes: Promise<unknown> = Promise.resolve();
  /** Bytes of the journal's snapshot record (0 without one), and of the records after it. */
  #snapshotBytes: number;
  #tailBytes: number;
  /** What this process stored, as decoded when verified (decoded.ts): reads after a fetch decode none of it again. */
  readonly decoded = new DecodedCache();

  private constructor(
    path: string,
    memory: MemoryCoreStore,
    unloaded: { small: MemoryCoreSnapshot; bulk: DeferredRecord } | undefined,
    journal: Journal,
    tornBytes: number,
    sizes: { snapshot: number; tail: number },
  ) {
    this.#path = path;
    this.#memory = memory;
    this.#unloaded = unloaded;
    this.#journal = journal;
    this.tornBytes = tornBytes;
    this.#snapshotBytes = sizes.snapshot;
    this.#tailBytes = sizes.tail;
  }

  /**
   * Opens the store journaled at `path` (created if absent) and replays it.
   * @throws CorruptJournal when the journal is damaged before its final record
   */
  static async open(path: string, options: { compactAfterRecords?: number } = {}): Promise<FileCoreStore> {
    const { records, tornBytes, journal } = Journal.open(path, { defer: isBulkRecord });
    let memory = new MemoryCoreStore();
    let unloaded: { small: MemoryCoreSnapshot; bulk: DeferredRecord } | undefined;
    /** The snapshot just read, whose bulk record may follow. */
    let small: MemoryCoreSnapshot | undefined;
    const sizes = { snapshot: 0, tail: 0 };
    try {
      for (const record of records) {
        if (record instanceof DeferredRecord) {
          if (!small) throw new CorruptJournal(`${path}: a snapshot's bulk record without its snapshot before it`);
          unloaded = { small, bulk: record }; // set aside, unread, until a call needs it
          small = undefined;
          sizes.snapshot += record.length;
          continue;
        }
        small = undefined;
        const entry = decodeEntry(record);
        if (entry.op === 'snapshot') {
          memory = MemoryCoreStore.fromSnapshot(entry.state);
          small = entry.state;
          unloaded = undefined;
          Object.assign(sizes, { snapshot: record.length, tail: 0 });
        } else {
          if (unloaded) memory = loaded(unloaded); // a write after the snapshot: replayed over all of it
          unloaded = undefined;
          await replay(memory, entry);
          sizes.tail += record.length;
        }
      }
    } catch (error) {
      journal.close();
      throw error;
    }
    const store = new FileCoreStore(path, memory, unloaded, journal, tornBytes, sizes);
    if (records.length > (options.compactAfterRecords ?? COMPACT_AFTER_RECORDS)) await store.compact();
    return store;
  }

  /** Replaces the journal with one snapshot of what the store holds now (between writes; a crash keeps one whole). */
  compact(): Promise<void> {
    return this.#write(async () => {
      const snapshot = encodeSnapshot(this.#whole().snapshot());
      this.#journal.close();
      try {
        Journal.rewrite(this.#path, snapshot);
        this.#snapshotBytes = snapshot.reduce((sum, record) => sum + record.length, 0);
        this.#tailBytes = 0;
      } finally {
        // The old journal or the new holds it all; only a handle to append to is wanted: nothing read back (0.4 s).
        this.#journal = Journal.open(this.#path, { defer: () => true }).journal;
      }
    });
  }

  /**
   * Compacts when the records after the snapshot have grown past COMPACT_AFTER_BYTES and an eighth of the
   * snapshot: called as a command ends, so the command that fetched much pays once, not every later open.
   * @returns whether it compacted
   */
  async compactIfGrown(options: { afterBytes?: number } = {}): Promise<boolean> {
    const floor = options.afterBytes ?? COMPACT_AFTER_BYTES;
    if (this.#tailBytes <= floor || this.#tailBytes <= this.#snapshotBytes / 8) return false;
    await this.compact();
    return true;
  }

  /** Whether the snapshot's bulk (commits, posts, blobs) is in memory: false until a call needed it. */
  get bulkLoaded(): boolean {
    return this.#unloaded === undefined;
  }

  close(): void {
    this.#journal.close();
  }

  findTips(author: PseudonymId): Promise<TipsRow | undefined> {
    return this.#read(() => this.#memory.findTips(author));
  }

  findCommitSeqs(author: PseudonymId, ids: readonly CommitId[]): Promise<Map<CommitId, number>> {
    return this.#read(() => this.#whole().findCommitSeqs(author, ids));
  }

  findCommits(author: PseudonymId, ids: readonly CommitId[]): Promise<HeldCommit[]> {
    return this.#read(() => this.#whole().findCommits(author, ids));
  }

  findBlobs(author: PseudonymId, ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
    return this.#read(() => this.#whole().findBlobs(author, ids));
  }

  holdsAll(author: PseudonymId, heads: unknown): Promise<boolean> {
    return this.#read(async () => {
      // Tips are held commits (written in the batch that held them): heads among them are held, bulk unread.
      const tips = this.#unloaded && (await this.#memory.findTips(author));
      if (tips && Array.isArray(heads) && heads.length > 0 && heads.every((h) => tips.heads.includes(h))) return true;
      return this.#whole().holdsAll(author, heads);
    });
  }

  applyBatch(input: ApplyInput): Promise<ApplyResult> {
    return this.#write(async () => {
      const result = await this.#whole().applyBatch(input);
      if (result.added.length > 0 || input.kind === 'own') this.#record({ op: 'apply', input: leanInput(input) });
      this.decoded.keep(input.items);
      return result;
    });
  }

  storeWalked(_author: PseudonymId, commits: readonly VerifiedCommit[]): Promise<ApplyResult> {
    return this.applyBatch({ kind: 'ingested', items: commits });
  }

  listFollows(pseudonym: PseudonymId): Promise<FollowRow[]> {
    return this.#read(() => this.#memory.listFollows(pseudonym));
  }

  listFollowers(target: PseudonymId): Promise<PseudonymId[]> {
    return this.#read(() => this.#memory.listFollowers(target));
  }

  listPending(author: PseudonymId): Promise<PendingCommit[]> {
    return this.#read(() => this.#memory.listPending(author));
  }

  settlePending(author: PseudonymId, keep: readonly PendingCommit[], forget: readonly CommitId[]): Promise<void> {
    return this.#write(async () => {
      if (keep.length === 0 && forget.length === 0) return;
      await this.#whole().settlePending(author, keep, forget);
      this.#record({ op: 'settle', author, keep: [...keep], forget: [...forget] });
    });
  }

  readOutbox(pseudonym: PseudonymId): Promise<{ tips: TipsRow | undefined; queued: CommitId[] }> {
    return this.#read(() => this.#memory.readOutbox(pseudonym));
  }

  countQueued(pseudonym: PseudonymId): Promise<number> {
    return this.#read(() => this.#memory.countQueued(pseudonym));
  }

  acknowledge(pseudonym: PseudonymId, ids: readonly CommitId[]): Promise<void> {
    return this.#write(async () => {
      const before = await this.#whole().countQueued(pseudonym);
      await this.#whole().acknowledge(pseudonym, ids);
      if ((await this.#whole().countQueued(pseudonym)) !== before)
        this.#record({ op: 'ack', pseudonym, ids: [...ids] });
    });
  }

  appendOwnLog(pseudonym: PseudonymId, commits: readonly CommitId[]): Promise<ObjectId[]> {
    return this.#write(async () => {
      const before = await this.#whole().findOwnLog(pseudonym);
      const carry = await this.#whole().appendOwnLog(pseudonym, commits);
      // The log is a pure function of the queue and these ids (own-log-plan.ts): replaying the call rebuilds it.
      if ((await this.#whole().findOwnLog(pseudonym)) !== before)
        this.#record({ op: 'log', pseudonym, commits: [...commits] });
      return carry;
    });
  }

  findOwnLog(pseudonym: PseudonymId): Promise<ObjectId | undefined> {
    return this.#read(() => this.#memory.findOwnLog(pseudonym));
  }

  listFollowHints(target: PseudonymId): Promise<FollowRow[]> {
    return this.#read(() => this.#memory.listFollowHints(target));
  }

  findProfileField(author: PseudonymId, field: string): Promise<unknown> {
    // A snapshot keeps every held author's profile among its small rows: answered without the bulk.
    return this.#read(() =>
      (this.#unloaded?.small.profiles ? this.#memory : this.#whole()).findProfileField(author, field),
    );
  }

  findPostAuthor(id: ObjectId): Promise<PseudonymId | undefined> {
    return this.#read(() => this.#whole().findPostAuthor(id));
  }

  findOpenedPost(id: ObjectId) {
    return this.#read(() => this.#whole().findOpenedPost(id));
  }

  findDm(owner: PseudonymId, id: ObjectId): Promise<DmRow | undefined> {
    return this.#read(() => this.#memory.findDm(owner, id));
  }

  addDms(rows: readonly DmRow[]): Promise<number> {
    return this.#inbox('addDms', [[...rows]], (added) => added > 0);
  }

  listDms(owner: PseudonymId, peer?: PseudonymId): Promise<DmRow[]> {
    return this.#read(() => this.#memory.listDms(owner, peer));
  }

  markDmsRead(owner: PseudonymId, peer: PseudonymId): Promise<number> {
    return this.#inbox('markDmsRead', [owner, peer], (marked) => marked > 0);
  }

  queueDeliveries(rows: readonly DeliveryRow[], dm?: DmRow): Promise<void> {
    return this.#inbox('queueDeliveries', [[...rows], dm]);
  }

  listDeliveries(owner: PseudonymId): Promise<DeliveryRow[]> {
    return this.#read(() => this.#memory.listDeliveries(owner));
  }

  settleDelivery(row: DeliveryRow, error?: string): Promise<void> {
    return this.#inbox('settleDelivery', [row, error]);
  }

  addNotification(row: NotificationRow): Promise<boolean> {
    return this.#inbox('addNotification', [row], (added) => added);
  }

  listNotifications(owner: PseudonymId, range: NotificationRange): Promise<NotificationRow[]> {
    return this.#read(() => this.#memory.listNotifications(owner, range));
  }

  markNotificationsRead(owner: PseudonymId, ids?: readonly string[]): Promise<void> {
    return this.#inbox('markNotificationsRead', [owner, ids && [...ids]]);
  }

  findInboxCursor(owner: PseudonymId, hub: string): Promise<string | undefined> {
    return this.#read(() => this.#memory.findInboxCursor(owner, hub));
  }

  putInboxCursor(owner: PseudonymId, hub: string, cursor: string): Promise<void> {
    return this.#inbox('putInboxCursor', [owner, hub, cursor]);
  }

  findContact(owner: PseudonymId, peer: PseudonymId): Promise<ContactRow | undefined> {
    return this.#read(() => this.#memory.findContact(owner, peer));
  }

  putContact(update: Partial<ContactRow> & Pick<ContactRow, 'owner' | 'peer'>): Promise<void> {
    return this.#inbox('putContact', [update]);
  }

  /**
   * An inbox write: applied in memory, then journaled as the call itself (each is a pure function of the rows
   * and its arguments, so replaying it rebuilds the same rows), unless `changed` says it changed nothing.
   */
  #inbox<K extends InboxWrite>(
    call: K,
    args: Parameters<InboxStore[K]>,
    changed: (result: InboxResult<K>) => boolean = () => true,
  ): Promise<InboxResult<K>> {
    return this.#write(async (): Promise<InboxResult<K>> => {
      const result = await applyInbox(this.#whole(), call, args);
      if (changed(result)) this.#record({ op: 'inbox', call, args });
      return result;
    });
  }

  /** The whole store: the snapshot's bulk deserialized into it first if it was set aside. */
  #whole(): MemoryCoreStore {
    if (this.#unloaded) {
      this.#memory = loaded(this.#unloaded);
      this.#unloaded = undefined;
    }
    return this.#memory;
  }

  /** Runs writes one at a time, so the journal records them in the order memory applied them. */
  #write<T>(write: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(() => {
      this.#check();
      return write();
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  /** A read; async, so a refusal (or a damaged bulk found) rejects its promise rather than throwing. */
  async #read<T>(read: () => Promise<T>): Promise<T> {
    this.#check();
    return read();
  }

  #check(): void {
    if (this.#broken !== undefined)
      throw new StoreBroken('a write could not be saved to disk; start again to continue', { cause: this.#broken });
  }

  #record(entry: JournalEntry): void {
    try {
      const payload = serialize(entry);
      this.#journal.append(payload);
      this.#tailBytes += payload.length;
    } catch (error) {
      this.#broken = error;
      throw new StoreBroken('a write could not be saved to disk', { cause: error });
    }
  }
}

/** The store a snapshot set aside describes: its small rows, its bulk read and checked now. @throws CorruptJournal */
function loaded(unloaded: { small: MemoryCoreSnapshot; bulk: DeferredRecord }): MemoryCoreStore {
  return MemoryCoreStore.fromSnapshot({ ...unloaded.small, ...decodeBulk(unloaded.bulk.read()) });
}
