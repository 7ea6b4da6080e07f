/**
 * The command line's durable core store: the core's memory store
 * (workers/store/memory-core-store.ts, which plans every write with the
 * core's own merge plan) in front of an append-only journal (journal.ts).
 * Each write is applied in memory, then recorded in the journal and fsynced
 * before the call returns; opening replays the journal into a fresh memory
 * store. A write that could not be recorded leaves memory ahead of the disk,
 * so the store refuses every later call (StoreBroken) rather than acknowledge
 * anything on top of it; the next process starts from what is on disk.
 *
 * Records are the writes' arguments in Node's structured-clone serialization
 * (node:v8, backward-compatible across Node versions, so safe to store).
 * Compacting replaces the journal with one snapshot of everything held (the
 * memory store's Maps), so an open replays one record instead of every write
 * since the start; it happens at open once the journal has many records, and
 * when a command ends (compactIfGrown) once the records after the snapshot
 * are large: a record carries each commit decoded as ingest verified it, about
 * twice a snapshot's bytes, and replaying it runs the whole merge plan again
 * (50,000 fetched commits took some 10 s to replay and 2 s to load as a
 * snapshot, on a busy 2-core machine).
 */
import { deserialize, serialize } from 'node:v8';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { VerifiedCommit } from '../../../workers/store/apply-plan.ts';
import type { ApplyInput } from '../../../workers/store/commit-plan.ts';
import type { ApplyResult, CoreStore, HeldCommit, PendingCommit } from '../../../workers/store/core-store.ts';
import type { ContactRow, DeliveryRow, DmRow, FollowRow, NotificationRow, TipsRow } from '../../../workers/store/db.ts';
import type { INBOX_WRITES, InboxStore, NotificationRange } from '../../../workers/store/inbox-store.ts';
import { type MemoryCoreSnapshot, MemoryCoreStore } from '../../../workers/store/memory-core-store.ts';
import { Journal } from './journal.ts';

/** One journaled write: the arguments of a CoreStore call that changed the store. */
type JournalEntry =
  /** Everything the store held (a compacted journal's first record). */
  | { readonly op: 'snapshot'; readonly state: MemoryCoreSnapshot }
  | { readonly op: 'apply'; readonly input: ApplyInput }
  | { readonly op: 'settle'; readonly author: PseudonymId; readonly keep: PendingCommit[]; readonly forget: CommitId[] }
  | { readonly op: 'ack'; readonly pseudonym: PseudonymId; readonly ids: CommitId[] }
  | { readonly op: 'log'; readonly pseudonym: PseudonymId; readonly commits: CommitId[] }
  /** A write of the inbox's rows (inbox-store.ts INBOX_WRITES): the call and its arguments. */
  | { readonly op: 'inbox'; readonly call: InboxWrite; readonly args: unknown[] };

type InboxWrite = (typeof INBOX_WRITES)[number];
type InboxResult<K extends InboxWrite> = Awaited<ReturnType<InboxStore[K]>>;

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
  readonly #memory: MemoryCoreStore;
  #journal: Journal;
  /** Bytes of a torn final record dropped at open (a crash mid-write), for `status`. */
  readonly tornBytes: number;
  #broken: unknown;
  #writes: Promise<unknown> = Promise.resolve();
  /** Bytes of the journal's snapshot record (0 without one), and of the records after it. */
  #snapshotBytes: number;
  #tailBytes: number;

  private constructor(
    path: string,
    memory: MemoryCoreStore,
    journal: Journal,
    tornBytes: number,
    sizes: { snapshot: number; tail: number },
  ) {
    this.#path = path;
    this.#memory = memory;
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
    const { records, tornBytes, journal } = Journal.open(path);
    let memory = new MemoryCoreStore();
    const sizes = { snapshot: 0, tail: 0 };
    try {
      for (const record of records) {
        const entry = deserialize(record) as JournalEntry;
        if (entry.op === 'snapshot') {
          memory = MemoryCoreStore.fromSnapshot(entry.state);
          Object.assign(sizes, { snapshot: record.length, tail: 0 });
        } else {
          await replay(memory, entry);
          sizes.tail += record.length;
        }
      }
    } catch (error) {
      journal.close();
      throw error;
    }
    const store = new FileCoreStore(path, memory, journal, tornBytes, sizes);
    if (records.length > (options.compactAfterRecords ?? COMPACT_AFTER_RECORDS)) await store.compact();
    return store;
  }

  /** Replaces the journal with one snapshot of what the store holds now (between writes; a crash keeps one whole). */
  compact(): Promise<void> {
    return this.#write(async () => {
      const snapshot = serialize({ op: 'snapshot', state: this.#memory.snapshot() } satisfies JournalEntry);
      this.#journal.close();
      try {
        Journal.rewrite(this.#path, [snapshot]);
        this.#snapshotBytes = snapshot.length;
        this.#tailBytes = 0;
      } finally {
        this.#journal = Journal.open(this.#path).journal; // the old journal or the new: either holds it all
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

  close(): void {
    this.#journal.close();
  }

  findTips(author: PseudonymId): Promise<TipsRow | undefined> {
    return this.#read(() => this.#memory.findTips(author));
  }

  findCommitSeqs(author: PseudonymId, ids: readonly CommitId[]): Promise<Map<CommitId, number>> {
    return this.#read(() => this.#memory.findCommitSeqs(author, ids));
  }

  findCommits(author: PseudonymId, ids: readonly CommitId[]): Promise<HeldCommit[]> {
    return this.#read(() => this.#memory.findCommits(author, ids));
  }

  findBlobs(author: PseudonymId, ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
    return this.#read(() => this.#memory.findBlobs(author, ids));
  }

  holdsAll(author: PseudonymId, heads: unknown): Promise<boolean> {
    return this.#read(() => this.#memory.holdsAll(author, heads));
  }

  applyBatch(input: ApplyInput): Promise<ApplyResult> {
    return this.#write(async () => {
      const result = await this.#memory.applyBatch(input);
      if (result.added.length > 0 || input.kind === 'own') this.#record({ op: 'apply', input: leanInput(input) });
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
      await this.#memory.settlePending(author, keep, forget);
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
      const before = await this.#memory.countQueued(pseudonym);
      await this.#memory.acknowledge(pseudonym, ids);
      if ((await this.#memory.countQueued(pseudonym)) !== before) this.#record({ op: 'ack', pseudonym, ids: [...ids] });
    });
  }

  appendOwnLog(pseudonym: PseudonymId, commits: readonly CommitId[]): Promise<ObjectId[]> {
    return this.#write(async () => {
      const before = await this.#memory.findOwnLog(pseudonym);
      const carry = await this.#memory.appendOwnLog(pseudonym, commits);
      // The log is a pure function of the queue and these ids (own-log-plan.ts): replaying the call rebuilds it.
      if ((await this.#memory.findOwnLog(pseudonym)) !== before)
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
    return this.#read(() => this.#memory.findProfileField(author, field));
  }

  findPostAuthor(id: ObjectId): Promise<PseudonymId | undefined> {
    return this.#read(() => this.#memory.findPostAuthor(id));
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
      const result = await applyInbox(this.#memory, call, args);
      if (changed(result)) this.#record({ op: 'inbox', call, args });
      return result;
    });
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

  #read<T>(read: () => Promise<T>): Promise<T> {
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

/**
 * `input` as the journal records it: each commit without its SignedRecord (`signed.signed`: the decoded fields
 * again, and the signed message as a view of a shared 64 KiB slab), which only verifying reads and the memory
 * store's plan never does (the core store suite replays every write of it on this store). It was about a third
 * of a fetched commit's record, paid in serializing, writing and fsyncing it, and again in every replay.
 */
function leanInput(input: ApplyInput): ApplyInput {
  const items = input.items.map((item) => {
    const { signed: _record, ...signed } = item.signed;
    return { ...item, signed: signed as VerifiedCommit['signed'] };
  });
  return { ...input, items };
}

/** Applies one journaled write to the memory store, as the call that made it did. */
async function replay(memory: MemoryCoreStore, entry: Exclude<JournalEntry, { op: 'snapshot' }>): Promise<void> {
  switch (entry.op) {
    case 'apply':
      // An acknowledged own commit is kept even if the tips it was built on are not the replayed ones (only if
      // two processes ever wrote the journal at once): it forks the feed, which the next sync merges.
      await memory.applyBatch(entry.input.kind === 'own' ? { ...entry.input, expectTips: undefined } : entry.input);
      return;
    case 'settle':
      return memory.settlePending(entry.author, entry.keep, entry.forget);
    case 'ack':
      return memory.acknowledge(entry.pseudonym, entry.ids);
    case 'log':
      await memory.appendOwnLog(entry.pseudonym, entry.commits);
      return;
    case 'inbox':
      await applyInbox(memory, entry.call, entry.args as Parameters<InboxStore[typeof entry.call]>);
      return;
  }
}

/** Calls the inbox write `call` on the memory store. */
function applyInbox<K extends InboxWrite>(
  memory: MemoryCoreStore,
  call: K,
  args: Parameters<InboxStore[K]>,
): Promise<InboxResult<K>> {
  const method = memory[call] as (...a: Parameters<InboxStore[K]>) => Promise<InboxResult<K>>;
  return method.apply(memory, args);
}
