/**
 * The records of the command line's journal (file-core-store.ts): each is a
 * write's arguments in Node's structured-clone serialization (node:v8,
 * backward-compatible across Node versions, so safe to store), replayed by
 * calling the memory store as the write did; a compaction writes what the
 * store holds as two records, its small rows (tips, follows, outbox, inbox,
 * ...) and then its bulk (commits, posts, blobs), tagged so an open can set
 * the bulk aside without reading it (journal.ts defers it; file-core-store.ts
 * says when it is read).
 */
import { DefaultSerializer, deserialize, serialize } from 'node:v8';
import type { CommitId, PseudonymId } from '../../protocol/ids.ts';
import type { VerifiedCommit } from '../../../workers/store/apply-plan.ts';
import type { ApplyInput } from '../../../workers/store/commit-plan.ts';
import type { PendingCommit } from '../../../workers/store/core-store.ts';
import type { INBOX_WRITES, InboxStore } from '../../../workers/store/inbox-store.ts';
import type { MemoryCoreSnapshot, MemoryCoreStore } from '../../../workers/store/memory-core-store.ts';

/** One journaled write: the arguments of a CoreStore call that changed the store. */
export type JournalEntry =
  /** Everything the store held (a compacted journal's first record). */
  | { readonly op: 'snapshot'; readonly state: MemoryCoreSnapshot }
  | { readonly op: 'apply'; readonly input: ApplyInput }
  | { readonly op: 'settle'; readonly author: PseudonymId; readonly keep: PendingCommit[]; readonly forget: CommitId[] }
  | { readonly op: 'ack'; readonly pseudonym: PseudonymId; readonly ids: CommitId[] }
  | { readonly op: 'log'; readonly pseudonym: PseudonymId; readonly commits: CommitId[] }
  /** A write of the inbox's rows (inbox-store.ts INBOX_WRITES): the call and its arguments. */
  | { readonly op: 'inbox'; readonly call: InboxWrite; readonly args: unknown[] };

export type InboxWrite = (typeof INBOX_WRITES)[number];
export type InboxResult<K extends InboxWrite> = Awaited<ReturnType<InboxStore[K]>>;

/**
 * The first byte of a bulk record. A node:v8 serialization starts with its version tag 0xFF, so no other record
 * can start with it; and a reader that knows no bulk records fails on it (an invalid version) rather than
 * ignore it and open a store without its commits.
 */
const BULK_TAG = 0x42;

/** The snapshot's bulk: the rows that grow with every commit fetched, which most commands never read. */
export type SnapshotBulk = Pick<MemoryCoreSnapshot, 'commits' | 'blobs' | 'posts'>;

/** The records of a snapshot of `state`: its small rows as a snapshot entry, then its bulk. */
export function encodeSnapshot(state: MemoryCoreSnapshot): Uint8Array[] {
  const { commits, blobs, posts, ...small } = state;
  const empty = { commits: new Map(), blobs: new Map(), posts: new Map() };
  const entry: JournalEntry = { op: 'snapshot', state: { ...small, ...empty } };
  // The tag written ahead of the serializer's own header, rather than joined to its output (a copy of tens of MB).
  const bulk = new DefaultSerializer();
  bulk.writeRawBytes(Buffer.of(BULK_TAG));
  bulk.writeHeader();
  bulk.writeValue({ commits, blobs, posts });
  return [serialize(entry), bulk.releaseBuffer()];
}

/** Whether a record whose payload starts with `firstByte` is a snapshot's bulk. */
export function isBulkRecord(firstByte: number): boolean {
  return firstByte === BULK_TAG;
}

/** A bulk record's rows, from its whole payload. */
export function decodeBulk(record: Uint8Array): SnapshotBulk {
  return deserialize(record.subarray(1)) as SnapshotBulk;
}

export function decodeEntry(record: Uint8Array): JournalEntry {
  return deserialize(record) as JournalEntry;
}

/**
 * `input` as the journal records it: each commit without its SignedRecord (`signed.signed`: the decoded fields
 * again, and the signed message as a view of a shared 64 KiB slab), which only verifying reads and the memory
 * store's plan never does (the core store suite replays every write of it on this store). It was about a third
 * of a fetched commit's record, paid in serializing, writing and fsyncing it, and again in every replay.
 */
export function leanInput(input: ApplyInput): ApplyInput {
  const items = input.items.map((item) => {
    const { signed: _record, ...signed } = item.signed;
    return { ...item, signed: signed as VerifiedCommit['signed'] };
  });
  return { ...input, items };
}

/** Applies one journaled write to the memory store, as the call that made it did. */
export async function replay(memory: MemoryCoreStore, entry: Exclude<JournalEntry, { op: 'snapshot' }>): Promise<void> {
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
export function applyInbox<K extends InboxWrite>(
  memory: MemoryCoreStore,
  call: K,
  args: Parameters<InboxStore[K]>,
): Promise<InboxResult<K>> {
  const method = memory[call] as (...a: Parameters<InboxStore[K]>) => Promise<InboxResult<K>>;
  return method.apply(memory, args);
}
