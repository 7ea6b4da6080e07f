/**
 * The feed file: one pseudonym's whole feed as one streamable file (its
 * signed commits, every object they name, its posts' media, its sealed
 * private state and, when asked for, its key as the app's backup file).
 * PROTOCOL.md ("Feed files") is the byte format; this module owns its
 * constants, the rules both sides share, and the writer; feed-file-reader.ts
 * reads and verifies it.
 */
import { hexInto, toHex, utf8 } from './bytes.ts';
import { decodeCanonical, encodeCanonical } from './canonical.ts';
import { type Commit, type SignedCommit, decodeCommit, objectIdsOf } from './commits.ts';
import { ProtocolError } from './errors.ts';
import { readInt, readPseudonymId, requireKeys } from './fields.ts';
import { type ObjectId, type PseudonymId, parseObjectId } from './ids.ts';
import { LIMITS } from './limits.ts';
import { decodePost } from './objects.ts';
import { sha256Hasher } from '../runtime/sha256-hasher.ts';

/** The first bytes of every feed file: says what it is before anything is parsed. */
export const FEED_FILE_MAGIC = utf8('murmur-feed\n');
export const FEED_FILE_VERSION = 1;

/** Record kinds: one ASCII letter each, so a hex dump reads. */
export const RECORD = {
  header: 0x48, // H
  key: 0x4b, // K
  private: 0x50, // P
  commit: 0x43, // C
  object: 0x4f, // O
  end: 0x45, // E
} as const;

/** kind (1 byte) and payload length (4 bytes, big-endian) before every payload. */
export const RECORD_PREFIX_BYTES = 5;

/** The most a record of each kind may hold: a reader refuses more before reading it (TooLarge). */
export const FEED_FILE_LIMITS = {
  header: 4 * 1024,
  key: 64 * 1024,
  private: 16 * 1024 * 1024,
  commit: LIMITS.commitBytes,
  /** A 32-byte id and a blob of the default hub limit. */
  object: 32 + LIMITS.blobBytes,
  end: 32,
} as const;

export interface FeedFileHeader {
  readonly author: PseudonymId;
  /** How many commit records follow (for progress; the reader checks it). */
  readonly commits: number;
  /** When the file was written, milliseconds since the epoch. */
  readonly ts: number;
}

/** An incremental sha256 (noble's by default; a Node caller passes node:crypto's, several times faster). */
export interface Hasher {
  update(bytes: Uint8Array): unknown;
  digest(): Uint8Array;
}
export type NewHasher = () => Hasher;
export const defaultHasher: NewHasher = () => sha256Hasher.create();

export function encodeFeedFileHeader(header: FeedFileHeader): Uint8Array {
  return encodeCanonical({ ...header, type: 'feed-file', version: FEED_FILE_VERSION });
}

/** @throws ProtocolError DecodeError (another version), NonCanonical, InvalidField, MalformedId */
export function decodeFeedFileHeader(bytes: Uint8Array): FeedFileHeader {
  const value = decodeCanonical(bytes);
  if (typeof value !== 'object' || Array.isArray(value) || value.type !== 'feed-file')
    throw new ProtocolError('DecodeError', 'the first record is not a feed file header');
  if (value.version !== FEED_FILE_VERSION)
    throw new ProtocolError('DecodeError', `feed file version ${String(value.version)}; this reader knows 1`);
  requireKeys(value, ['type', 'version', 'author', 'commits', 'ts'], 'header');
  return {
    author: readPseudonymId(value, 'author'),
    commits: readInt(value, 'commits', 0),
    ts: readInt(value, 'ts', 0),
  };
}

/**
 * The objects whose media follow a commit: those its post and edit ops publish (posts of the feed's own
 * author). A repost's post is another feed's, and so are its media.
 */
export function mediaSourcesOf(commit: Commit): ObjectId[] {
  return commit.ops.flatMap((op) => (op.type === 'post' || op.type === 'edit' ? [op.object] : []));
}

/** One commit as the writer takes it: its bytes, and the held blobs among what it names and its posts' media. */
export interface FeedFileCommit {
  readonly bytes: Uint8Array;
  readonly blobs: ReadonlyMap<ObjectId, Uint8Array>;
  /**
   * The ids its ops name (objectIdsOf order), when the caller has them from a store that decoded the commit
   * (HeldCommit): the writer then decodes it again only for its posts' media, and takes a store's commits of
   * the header's author as the author's (the reader checks every one all the same).
   */
  readonly named?: readonly ObjectId[];
}

export interface FeedFileInput {
  readonly header: FeedFileHeader;
  /** The pseudonym's key as the app's backup file (sealed under a passphrase); left out unless asked for. */
  readonly key?: Uint8Array;
  /** The private state, sealed as its devices share it (private-seal.ts sealPrivate). */
  readonly private?: Uint8Array;
  /** Every commit of the feed, parents before children (ascending seq is such an order). */
  readonly commits: AsyncIterable<FeedFileCommit> | Iterable<FeedFileCommit>;
}

/** Chunks are gathered to about this size: one write per record would cost a syscall per small commit. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Writes a feed file as chunks: magic, header, key?, private state?, then each commit followed by the objects
 * it names (in objectIdsOf order, each time it names them) and the media of its posts not written before,
 * then the end record with the sha256 of every byte before it. Holds one commit's blobs at a time.
 * @throws ProtocolError WrongAuthor (a commit of another feed), NotFound (a named object missing from
 *   `blobs`), or a decode error of a commit or post; RangeError when the count differs from the header's
 */
export async function* encodeFeedFile(input: FeedFileInput, newHasher: NewHasher = defaultHasher) {
  const out = new RecordBuffer(newHasher());
  out.bytes(FEED_FILE_MAGIC);
  out.record(RECORD.header, encodeFeedFileHeader(input.header));
  if (input.key) out.record(RECORD.key, input.key);
  if (input.private) out.record(RECORD.private, input.private);
  const written = new Set<ObjectId>();
  let count = 0;
  for await (const { bytes, blobs, named: given } of input.commits) {
    let decoded: SignedCommit | undefined;
    const decode = (): SignedCommit => {
      if (decoded) return decoded;
      decoded = decodeCommit(bytes);
      const { id, commit } = decoded;
      if (commit.author !== input.header.author)
        throw new ProtocolError('WrongAuthor', `commit ${id} is by ${commit.author}, not ${input.header.author}`);
      return decoded;
    };
    const named = given ?? objectIdsOf(decode().commit);
    out.record(RECORD.commit, bytes);
    for (const object of named) {
      const blob = blobs.get(object);
      if (!blob)
        throw new ProtocolError('NotFound', `commit ${decode().id} names ${object}, which is not held`, { object });
      out.object(object, blob);
    }
    // Media are what `blobs` holds beyond the named objects: without any, no post needs decoding here.
    const carried = blobs.size > named.length;
    for (const source of carried ? mediaSourcesOf(decode().commit) : []) {
      for (const media of decodePost(blobs.get(source)!).value.media ?? []) {
        const blob = blobs.get(media);
        if (!blob || written.has(media)) continue; // media not held are left out; see PROTOCOL.md
        written.add(media);
        out.object(media, blob);
      }
    }
    // Then its mists' files: what else `blobs` holds that nothing above named (a secret mist's is sealed inside).
    const mists = carried && decode().commit.ops.some((op) => op.type === 'mist');
    for (const [id, blob] of mists ? blobs : []) {
      if (named.includes(id) || written.has(id)) continue;
      written.add(id);
      out.object(id, blob);
    }
    count++;
    if (out.size >= CHUNK_BYTES) yield out.flush();
  }
  if (count !== input.header.commits)
    throw new RangeError(`the header says ${input.header.commits} commits and ${count} were given`);
  yield out.end();
}

/**
 * The writer's buffer: records are written into it in place (no array for a prefix or an id), and handed out
 * as one chunk of their own, hashed a chunk at a time (an update per record cost more than the hashing).
 */
class RecordBuffer {
  #buffer = new Uint8Array(2 * CHUNK_BYTES);
  #at = 0;
  readonly #hasher: Hasher;

  constructor(hasher: Hasher) {
    this.#hasher = hasher;
  }

  get size(): number {
    return this.#at;
  }

  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buffer.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  record(kind: number, payload: Uint8Array): void {
    this.#prefix(kind, payload.length);
    this.bytes(payload);
  }

  /** An object record: the id's 32 bytes, then the blob. */
  object(id: ObjectId, blob: Uint8Array): void {
    this.#prefix(RECORD.object, 32 + blob.length);
    this.#reserve(32);
    hexInto(id, this.#buffer, this.#at);
    this.#at += 32;
    this.bytes(blob);
  }

  /** What is written since the last flush, as a chunk of its own. */
  flush(): Uint8Array {
    const out = this.#buffer.slice(0, this.#at);
    this.#hasher.update(out);
    this.#at = 0;
    // A large media blob grew it: a few such chunks are not kept for the rest of the file.
    if (this.#buffer.length > 2 * CHUNK_BYTES) this.#buffer = new Uint8Array(2 * CHUNK_BYTES);
    return out;
  }

  /** The last chunk: the rest, then the end record with the sha256 of every byte before it. */
  end(): Uint8Array {
    const rest = this.flush();
    const digest = this.#hasher.digest();
    this.#prefix(RECORD.end, digest.length);
    this.bytes(digest);
    const end = this.#buffer.subarray(0, this.#at);
    const out = new Uint8Array(rest.length + end.length);
    out.set(rest);
    out.set(end, rest.length);
    return out;
  }

  #prefix(kind: number, length: number): void {
    this.#reserve(RECORD_PREFIX_BYTES);
    const b = this.#buffer;
    const at = this.#at;
    b[at] = kind;
    b[at + 1] = length >>> 24;
    b[at + 2] = (length >>> 16) & 0xff;
    b[at + 3] = (length >>> 8) & 0xff;
    b[at + 4] = length & 0xff;
    this.#at += RECORD_PREFIX_BYTES;
  }

  #reserve(n: number): void {
    if (this.#at + n <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#buffer.length, this.#at + n));
    grown.set(this.#buffer.subarray(0, this.#at));
    this.#buffer = grown;
  }
}

/** The id an object record carries. */
export function objectRecordId(payload: Uint8Array): ObjectId {
  if (payload.length < 32) throw new ProtocolError('DecodeError', 'an object record shorter than its id');
  return parseObjectId(toHex(payload.subarray(0, 32)));
}
