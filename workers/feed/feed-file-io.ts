/**
 * One's own feed to and from a feed file (src/protocol/feed-file.ts), over
 * any FeedStore: the worker's IndexedDB and the command line's journal alike.
 * Reading the store: the feed's commits parents first, each with the blobs a
 * push of it carries. Writing it: commits a reader verified, applied as one's
 * own in batches and queued, so the next sync pushes them to the home hub,
 * whatever it holds already. Importing: verified whole before anything is
 * stored (importFeedFile).
 */
import type { FeedFileCommit } from '../../src/protocol/feed-file.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import {
  type FeedFileItem,
  type FeedFileSummary,
  type ReadFeedFileOptions,
  readFeedFile,
} from '../../src/protocol/feed-file-reader.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { VerifiedCommit } from '../store/apply-plan.ts';
import type { FeedStore, HeldCommit } from '../store/core-store.ts';

/** Ids asked of the store at once: bounded, so one request never holds much of a large feed's media. */
const LOOKUP = 256;

/**
 * Every commit of `author`'s feed the store holds, parents first (by seq, then id: a commit's seq is above each
 * of its parents', and the id makes the order one for any device holding the same commits).
 */
export async function listFeedInOrder(store: FeedStore, author: PseudonymId): Promise<HeldCommit[]> {
  const held = new Map<CommitId, HeldCommit>();
  let wanted = [...((await store.findTips(author))?.heads ?? [])];
  while (wanted.length > 0) {
    const next = new Set<CommitId>();
    for (let from = 0; from < wanted.length; from += LOOKUP) {
      for (const commit of await store.findCommits(author, wanted.slice(from, from + LOOKUP))) {
        held.set(commit.id, commit);
        for (const p of commit.parents) if (!held.has(p)) next.add(p);
      }
    }
    wanted = [...next].filter((id) => !held.has(id));
  }
  return [...held.values()].sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : 1));
}

/**
 * The commits of `ordered` with their held blobs, as the feed file writer takes them: a slice's commits and the
 * objects they name in one request, and each commit's media (up to 10 MiB each) in a request of its own just
 * before it is given, so the media held at once are one commit's, however many the feed carries.
 */
export async function* feedFileCommits(
  store: FeedStore,
  author: PseudonymId,
  ordered: readonly HeldCommit[],
): AsyncGenerator<FeedFileCommit> {
  for (let from = 0; from < ordered.length; from += LOOKUP) {
    const slice = ordered.slice(from, from + LOOKUP);
    const named = await store.findBlobs(author, [
      ...new Set(slice.flatMap((c) => [c.id, ...c.objects.slice(0, c.named)])),
    ]);
    for (const commit of slice) {
      const media = commit.objects.length > commit.named ? commit.objects.slice(commit.named) : [];
      const blobs = media.length > 0 ? await store.findBlobs(author, media) : undefined;
      const own = new Map<ObjectId, Uint8Array>();
      for (const id of commit.objects) {
        const bytes = named.get(id) ?? blobs?.get(id);
        if (bytes) own.set(id, bytes);
      }
      yield { bytes: named.get(commit.id)!, blobs: own, named: commit.objects.slice(0, commit.named) };
    }
  }
}

export interface ApplyFeedFileOptions {
  readonly queuedAt: number;
  /** Called after each batch is stored, with how many commits of the file are stored so far. */
  readonly onApplied?: (done: number) => void;
  /** Commits per batch (one store write each). */
  readonly batchCommits?: number;
  /** Bytes of blobs per batch, at most (media make a batch of a few commits large). */
  readonly batchBytes?: number;
}

/**
 * Applies the commits a feed file reader yields, in batches, as `author`'s own (queued for the home hub).
 * Call it on a file already verified whole (verifyFeedFile): the reader verifies every commit again, but a
 * batch is stored before the end of the file is read.
 * @returns how many commits the file held and how many of them were new here
 */
export async function applyFeedFile(
  store: FeedStore,
  author: PseudonymId,
  items: AsyncIterable<FeedFileItem>,
  options: ApplyFeedFileOptions,
): Promise<{ commits: number; added: number }> {
  const maxCommits = options.batchCommits ?? 500;
  const maxBytes = options.batchBytes ?? 8 * 1024 * 1024;
  let batch: VerifiedCommit[] = [];
  let bytes = 0;
  let done = 0;
  let added = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await store.applyBatch({
      kind: 'own',
      items: batch,
      outbox: { pseudonym: author, queuedAt: options.queuedAt },
    });
    added += result.added.length;
    done += batch.length;
    batch = [];
    bytes = 0;
    options.onApplied?.(done);
  };
  for await (const item of items) {
    if (item.kind === 'header' && item.header.author !== author) throw new TypeError('a feed file of another author');
    if (item.kind !== 'commit') continue;
    batch.push(item.commit);
    bytes += item.commit.blobs.reduce((n, b) => n + b.bytes.length, 0);
    if (batch.length >= maxCommits || bytes >= maxBytes) await flush();
  }
  await flush();
  return { commits: done, added };
}

export interface ImportFeedFileOptions {
  /** The reader's checks (verify, now, hasher). */
  readonly checks: ReadFeedFileOptions;
  readonly queuedAt: number;
  /**
   * Verified commits kept in memory up to this many bytes of blobs, so a file that fits is read once; past it
   * they are dropped and the file is read a second time to apply (default 8 MiB: a 10,000-post feed without
   * media is some 6 MB; one with 100 MB of media is read twice, holding a batch at a time).
   */
  readonly stageBytes?: number;
  readonly onVerified?: (done: number, total: number) => void;
  readonly onApplied?: (done: number) => void;
  /**
   * Called once the whole file is verified and before anything is stored: checks what the file is for (whose
   * feed, its key, its private state), may add the pseudonym, and says whose feed it becomes.
   * @throws to refuse the file, changing nothing
   */
  readonly accept: (summary: FeedFileSummary) => Promise<PseudonymId>;
}

/**
 * Imports a feed file read by `read` (called once, or twice for a large file): verifies all of it, changing
 * nothing, has `accept` approve it, then applies its commits. A file whose commits fit `stageBytes` is applied
 * from what the verifying read kept; a larger one is read again (each signature checked once: `verified`).
 * @throws ProtocolError for a damaged file (nothing stored, `accept` not called), or what `accept` throws
 */
export async function importFeedFile(
  store: FeedStore,
  read: () => AsyncIterable<Uint8Array>,
  options: ImportFeedFileOptions,
): Promise<{ summary: FeedFileSummary; commits: number; added: number }> {
  const limit = options.stageBytes ?? 8 * 1024 * 1024;
  let staged: FeedFileItem[] | undefined = [];
  let stagedBytes = 0;
  let header: FeedFileSummary['header'] | undefined;
  let key: Uint8Array | undefined;
  let sealed: Uint8Array | undefined;
  let summary: FeedFileSummary | undefined;
  for await (const item of readFeedFile(read(), options.checks)) {
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'key') key = item.bytes;
    else if (item.kind === 'private') sealed = item.bytes;
    else if (item.kind === 'commit') {
      options.onVerified?.(item.index + 1, header!.commits);
      stagedBytes += item.commit.blobs.reduce((n, b) => n + b.bytes.length, item.commit.signed.bytes.length);
      if (staged && stagedBytes <= limit) staged.push(item);
      else staged = undefined; // too large to keep: read again to apply
    } else
      summary = {
        header: header!,
        ...(key && { key }),
        ...(sealed && { private: sealed }),
        commits: item.commits,
        tips: item.tips,
        verified: item.verified,
      };
  }
  if (!summary) throw new ProtocolError('Truncated', 'the file ended before its end record');
  const author = await options.accept(summary);
  const items = staged ?? readFeedFile(read(), { ...options.checks, verified: summary.verified });
  const applied = await applyFeedFile(store, author, toAsync(items), {
    queuedAt: options.queuedAt,
    ...(options.onApplied && { onApplied: options.onApplied }),
  });
  return { summary, ...applied };
}

async function* toAsync<T>(items: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* items;
}
