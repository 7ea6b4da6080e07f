/**
 * Reading a feed file (feed-file.ts, PROTOCOL.md "Feed files") as it streams
 * in: every record checked as it arrives, every commit verified as a hub's
 * would be on the way in (hash, form, author, signature or delegation, its
 * parents earlier in the file and its seq after them, no future time), every
 * object against its id and role (posts of the feed's author, a repost's
 * commit signed by its author and publishing the post), and at the end the
 * sha256 of every byte. It holds one commit's objects at a time and the ids
 * and seqs of the commits read, never the file.
 *
 * Nothing is known good until the `end` item: a caller applies after it,
 * from what it kept of this read or from a second read of the file.
 */
import { bytesEqual } from './bytes.ts';
import { ChunkReader } from './chunk-reader.ts';
import { ProtocolError } from './errors.ts';
import {
  FEED_FILE_LIMITS,
  FEED_FILE_MAGIC,
  type FeedFileHeader,
  type NewHasher,
  RECORD,
  RECORD_PREFIX_BYTES,
  decodeFeedFileHeader,
  defaultHasher,
} from './feed-file.ts';
import { FeedChecks, type FeedFileCommitRead, type Group } from './feed-file-checks.ts';
import type { CommitId } from './ids.ts';
import type { Verify } from './keys.ts';

export type { FeedFileCommitRead } from './feed-file-checks.ts';

export type FeedFileItem =
  | { readonly kind: 'header'; readonly header: FeedFileHeader }
  /** The app's backup file of the key, as written (decoding it needs the passphrase: workers/keys/backup.ts). */
  | { readonly kind: 'key'; readonly bytes: Uint8Array }
  /** The sealed private state (private-seal.ts openPrivate with the pseudonym's derived key). */
  | { readonly kind: 'private'; readonly bytes: Uint8Array }
  | { readonly kind: 'commit'; readonly index: number; readonly commit: FeedFileCommitRead }
  /** The whole file checked: the commits no other commit of the file names. */
  | {
      readonly kind: 'end';
      readonly commits: number;
      readonly tips: readonly CommitId[];
      /** The commits whose signatures the file's reading checked (or was told were checked). */
      readonly verified: ReadonlySet<CommitId>;
    };

export interface ReadFeedFileOptions {
  readonly verify: Verify;
  /** The reader's clock, for the future-time rule. */
  readonly now: number;
  readonly newHasher?: NewHasher;
  /**
   * Commits whose signatures may be checked at once (default 512): verifiers that work off the calling thread
   * (WebCrypto in Node, the verify pools) then overlap with decoding, as verifyCommits' batches do. A full window
   * is drained to half, so checks are begun half a window at a time.
   */
  readonly window?: number;
  /**
   * Commits whose signatures an earlier pass over the same file checked (verifyFeedFile's `verified`): an id
   * is the hash of the bytes, so the same id is the same signed bytes, and only their signature check is
   * skipped; everything else is checked again.
   */
  readonly verified?: ReadonlySet<CommitId>;
}

/** The most bytes of commits and objects held in the window (besides the commit being read). */
const WINDOW_BYTES = 4 * 1024 * 1024;

const MAGIC_TEXT = 'a Murmur feed file (it starts with "murmur-feed")';

/**
 * Reads and verifies a feed file, yielding its parts in file order.
 * @throws ProtocolError for the first damage found: Truncated, DecodeError (not a feed file, records out of
 *   order, an unexpected object), TooLarge, HashMismatch (an object, or the file's checksum), WrongAuthor,
 *   BadSignature, BadDelegation, DelegationExpired, OutOfScope, MissingParents, BadSeq, FutureTimestamp,
 *   NotFound (a named object absent), or a decode error of a commit, post or header
 */
export async function* readFeedFile(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadFeedFileOptions,
): AsyncGenerator<FeedFileItem> {
  const hasher = (options.newHasher ?? defaultHasher)();
  // The checksum takes the bytes a chunk at a time as they are read (an update per record cost more than the
  // hashing), until the end record, whose bytes it does not cover.
  const reader = new ChunkReader(chunks, (bytes) => hasher.update(bytes));
  const window = options.window ?? 512;
  try {
    const magic = await reader.read(FEED_FILE_MAGIC.length).catch(() => new Uint8Array());
    if (!bytesEqual(magic, FEED_FILE_MAGIC)) throw new ProtocolError('DecodeError', `this is not ${MAGIC_TEXT}`);
    const recordOf = (prefix: ArrayLike<number>) => {
      const kind = prefix[0]!;
      const length = ((prefix[1]! << 24) | (prefix[2]! << 16) | (prefix[3]! << 8) | prefix[4]!) >>> 0;
      const limit = limitOf(kind);
      if (length > limit)
        throw new ProtocolError('TooLarge', `a record of ${length} bytes; the limit for its kind is ${limit}`);
      return { kind, length };
    };
    const next = async () => {
      if ((await reader.peek()) === RECORD.end) reader.untap();
      const { kind, length } = recordOf(await reader.read(RECORD_PREFIX_BYTES));
      return { kind, payload: await reader.read(length) };
    };
    // A record wholly buffered (most are: chunks are far larger than records) is read without an await.
    const nextBuffered = () => {
      const kind = reader.peekBuffered();
      const last = reader.peekBuffered(RECORD_PREFIX_BYTES - 1);
      if (kind === undefined || kind === RECORD.end || last === undefined) return undefined;
      const prefix = [kind, reader.peekBuffered(1)!, reader.peekBuffered(2)!, reader.peekBuffered(3)!, last];
      const { length } = recordOf(prefix);
      if (!reader.holds(RECORD_PREFIX_BYTES + length)) return undefined;
      reader.skipBuffered(RECORD_PREFIX_BYTES);
      return { kind, payload: reader.readBuffered(length)! };
    };

    let record = await next();
    if (record.kind !== RECORD.header) throw new ProtocolError('DecodeError', 'a feed file starts with its header');
    const header = decodeFeedFileHeader(record.payload);
    yield { kind: 'header', header };
    record = await next();
    // The small parts a caller keeps are copies; a commit's and its objects' bytes are views into the file's
    // chunks (ChunkReader.read): a store copies what it keeps.
    if (record.kind === RECORD.key) {
      yield { kind: 'key', bytes: record.payload.slice() };
      record = await next();
    }
    if (record.kind === RECORD.private) {
      yield { kind: 'private', bytes: record.payload.slice() };
      record = await next();
    }

    const feed = new FeedChecks(header, options);
    const inflight: { item: FeedFileItem; check: Promise<unknown>; bytes: number }[] = [];
    let inflightBytes = 0;
    let group: Group | undefined;
    const close = () => {
      if (!group) return;
      const item = group.finish();
      const check = Promise.all(group.checks);
      check.catch(() => undefined); // awaited in order below; one that fails while others wait is not unhandled
      const bytes = item.blobs.reduce((n, b) => n + b.bytes.length, item.signed.bytes.length);
      inflight.push({ item: { kind: 'commit', index: feed.count - 1, commit: item }, check, bytes });
      inflightBytes += bytes;
      group = undefined;
    };
    for (;;) {
      if (record.kind === RECORD.commit) {
        close();
        group = feed.commit(record.payload);
      } else if (record.kind === RECORD.object) {
        if (!group) throw new ProtocolError('DecodeError', 'an object record before any commit');
        group.object(record.payload);
      } else if (record.kind === RECORD.end) {
        close();
        break;
      } else {
        throw new ProtocolError('DecodeError', `a record of kind ${record.kind} among the commits`);
      }
      // Bounded in bytes too: a window of commits with large media would otherwise hold all their media. A full
      // window is drained to half before reading on, so the checks the next half begins are made together, with
      // no await between them: a verifier that batches the calls of a turn (verify-pool.ts) gets them as one.
      if (inflight.length > window || inflightBytes > WINDOW_BYTES)
        while (inflight.length > window / 2 || inflightBytes > WINDOW_BYTES / 2) {
          const first = inflight.shift()!;
          inflightBytes -= first.bytes;
          await first.check;
          yield first.item;
        }
      record = nextBuffered() ?? (await next());
    }
    if (!bytesEqual(record.payload, hasher.digest()))
      throw new ProtocolError('HashMismatch', 'the file does not match its checksum: it was changed or damaged');
    if (!(await reader.atEnd())) throw new ProtocolError('DecodeError', 'bytes after the end record');
    if (feed.count !== header.commits)
      throw new ProtocolError('DecodeError', `the header says ${header.commits} commits; the file holds ${feed.count}`);
    for (const { item, check } of inflight) {
      await check;
      yield item;
    }
    yield { kind: 'end', commits: feed.count, tips: feed.tips(), verified: feed.signatures };
  } finally {
    await reader.cancel();
  }
}

/** What the first pass of an import keeps of a good file: its header, tips, and the small sealed parts. */
export interface FeedFileSummary {
  readonly header: FeedFileHeader;
  /** The key record (the app's backup file), if the file carries one. */
  readonly key?: Uint8Array;
  /** The sealed private state, if any. */
  readonly private?: Uint8Array;
  readonly commits: number;
  readonly tips: readonly CommitId[];
  /** Pass it to the second pass (ReadFeedFileOptions.verified), which then checks no signature twice. */
  readonly verified: ReadonlySet<CommitId>;
}

/**
 * Reads the whole file to check it, keeping only its header, tips and sealed parts (bounded by their limits):
 * the first of the two passes of an import that changes nothing unless all of the file is good.
 * @throws ProtocolError as readFeedFile
 */
export async function verifyFeedFile(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadFeedFileOptions & { readonly onCommit?: (index: number, header: FeedFileHeader) => void },
): Promise<FeedFileSummary> {
  let header: FeedFileHeader | undefined;
  let key: Uint8Array | undefined;
  let sealed: Uint8Array | undefined;
  for await (const item of readFeedFile(chunks, options)) {
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'key') key = item.bytes;
    else if (item.kind === 'private') sealed = item.bytes;
    else if (item.kind === 'commit') options.onCommit?.(item.index, header!);
    else
      return {
        header: header!,
        ...(key && { key }),
        ...(sealed && { private: sealed }),
        commits: item.commits,
        tips: item.tips,
        verified: item.verified,
      };
  }
  throw new ProtocolError('Truncated', 'the file ended before its end record');
}

function limitOf(kind: number): number {
  switch (kind) {
    case RECORD.header:
      return FEED_FILE_LIMITS.header;
    case RECORD.key:
      return FEED_FILE_LIMITS.key;
    case RECORD.private:
      return FEED_FILE_LIMITS.private;
    case RECORD.commit:
      return FEED_FILE_LIMITS.commit;
    case RECORD.object:
      return FEED_FILE_LIMITS.object;
    case RECORD.end:
      return FEED_FILE_LIMITS.end;
    default:
      throw new ProtocolError('DecodeError', `unknown record kind ${kind}`);
  }
}
