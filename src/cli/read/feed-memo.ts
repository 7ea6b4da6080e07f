/**
 * What a read derived from each held feed, kept between commands in one
 * file of the home, keyed by the feed's heads. The store keeps a commit only
 * once its parents are held (core-store.ts listPending), and ids are hashes
 * of content, so the commits reachable from a feed's heads, and so all the
 * merge model derives from them, are a function of the heads alone: an entry
 * whose heads are the feed's heads now is the read's answer, without walking
 * and decoding every commit and post again (a warm `timeline` of 50 feeds of
 * 1,000 posts spent most of its time there; BENCHMARKS.md). A caller puts an
 * entry only when every blob it needed was held.
 *
 * An entry is a small value and byte chunks (a feed's posts, newest first).
 * The file is a header (every entry's heads and value, and where its chunks
 * lie) and then the chunks, each read only when a caller asks for it: a warm
 * `timeline` needs the newest chunk of each feed, and reading all 13 MB of
 * them cost more than the rest of its reading (fresh memory is slow to touch
 * on a busy machine).
 *
 * The file is derived, never the record of anything: it is written whole
 * beside itself, fsynced and renamed over (so a reader's open file keeps the
 * bytes it opened), and one that cannot be read (or was written by another
 * version) is ignored and rebuilt.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { CommitId, PseudonymId } from '../../protocol/ids.ts';

/** Bumped whenever the file's layout or what a caller stores changes shape, so an older file is ignored. */
const FORMAT = 'murmur-feed-memo-2';
/** The header's length, before it: a 32-bit big-endian count of bytes. */
const LENGTH_BYTES = 4;

/** An entry's byte chunks, each read from the file when first asked for. */
export interface Chunks {
  readonly count: number;
  /** @throws RangeError for an index past `count`, or when the memo was closed before it was read */
  get(i: number): Uint8Array;
}

/** Chunks already in memory (an entry just derived). */
export function heldChunks(chunks: readonly Uint8Array[]): Chunks {
  return {
    count: chunks.length,
    get: (i) => {
      const chunk = chunks[i];
      if (!chunk) throw new RangeError(`no chunk ${i} of ${chunks.length}`);
      return chunk;
    },
  };
}

interface Entry<T> {
  readonly heads: string;
  readonly value: T;
  readonly chunks: Chunks;
}

/** An entry as the header holds it: its chunks as [offset, length] pairs in the file, flat. */
interface StoredEntry<T> {
  readonly heads: string;
  readonly value: T;
  readonly at: readonly number[];
}

export class FeedMemo<T> {
  readonly #path: string;
  readonly #kind: string;
  readonly #held: Map<PseudonymId, Entry<T>>;
  /** The open file the held entries' chunks are read from; undefined when none was read, or once closed. */
  #fd: number | undefined;
  /** The entries this command used or made: what save() keeps (a feed no longer read is dropped). */
  readonly #used = new Map<PseudonymId, Entry<T>>();
  #changed = false;

  private constructor(path: string, kind: string) {
    this.#path = path;
    this.#kind = kind;
    this.#held = new Map();
  }

  /** The memo at `path` for values of `kind` (what the caller derives; a file of another kind is ignored). */
  static open<T>(path: string, kind: string): FeedMemo<T> {
    const memo = new FeedMemo<T>(path, kind);
    memo.#read();
    return memo;
  }

  /** The value and chunks derived from `author`'s feed at exactly `heads`, if kept. */
  find(author: PseudonymId, heads: readonly CommitId[]): { value: T; chunks: Chunks } | undefined {
    const entry = this.#held.get(author);
    if (entry?.heads !== heads.join(',')) return undefined;
    this.#used.set(author, entry);
    return entry;
  }

  put(author: PseudonymId, heads: readonly CommitId[], value: T, chunks: Chunks): void {
    this.#used.set(author, { heads: heads.join(','), value, chunks });
    this.#changed = true;
  }

  /**
   * Writes the entries used since open, if any was new or one held was not used. Call it before close(): it
   * reads the kept entries' chunks from the old file. Never throws: it is a cache.
   */
  save(): void {
    if (!this.#changed && this.#used.size === this.#held.size) return;
    const temporary = `${this.#path}.writing`;
    try {
      const bytes = encodeMemo(this.#kind, this.#used);
      const fd = openSync(temporary, 'w', 0o600);
      try {
        let written = 0;
        while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        fsyncSync(fd); // renamed only once whole, so a crash leaves the old file or the new
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.#path);
    } catch {
      // A memo that could not be written is rebuilt by the next read.
    }
  }

  /** Lets go of the file; a held entry's chunk not read by now cannot be. */
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Reads the header of the file at the path, if it is a memo of this kind; absent or unreadable: empty. */
  #read(): void {
    let fd: number;
    try {
      fd = openSync(this.#path, 'r');
    } catch {
      return;
    }
    let header: { start: number; entries: Map<PseudonymId, StoredEntry<T>> } | undefined;
    try {
      header = this.#header(fd);
    } catch {
      // damaged: start empty
    }
    if (!header) {
      closeSync(fd);
      return;
    }
    for (const [author, { heads, value, at }] of header.entries)
      this.#held.set(author, { heads, value, chunks: this.#stored(header.start, at) });
    this.#fd = fd;
  }

  /** The file's entries and where its chunks start; undefined for another format or kind, or chunks past its end. */
  #header(fd: number) {
    const size = fstatSync(fd).size;
    if (size < LENGTH_BYTES) return undefined;
    const length = readAt(fd, 0, LENGTH_BYTES).readUInt32BE(0);
    if (length > size - LENGTH_BYTES) return undefined;
    const header = deserialize(readAt(fd, LENGTH_BYTES, length)) as Record<string, unknown>;
    if (header.format !== FORMAT || header.kind !== this.#kind || !(header.entries instanceof Map)) return undefined;
    const entries = header.entries as Map<PseudonymId, StoredEntry<T>>;
    const start = LENGTH_BYTES + length;
    for (const { at } of entries.values()) {
      for (let i = 0; i < at.length; i += 2) if (start + at[i]! + at[i + 1]! > size) return undefined;
    }
    return { start, entries };
  }

  #stored(start: number, at: readonly number[]): Chunks {
    return {
      count: at.length / 2,
      get: (i) => {
        if (this.#fd === undefined) throw new RangeError('the memo was closed');
        if (!(i >= 0 && i < at.length / 2)) throw new RangeError(`no chunk ${i} of ${at.length / 2}`);
        return readAt(this.#fd, start + at[2 * i]!, at[2 * i + 1]!);
      },
    };
  }
}

/** The file's bytes for `entries`: the header's length, the header, then every chunk. */
function encodeMemo<T>(kind: string, entries: ReadonlyMap<PseudonymId, Entry<T>>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const stored = new Map<PseudonymId, StoredEntry<T>>();
  let offset = 0;
  for (const [author, { heads, value, chunks: source }] of entries) {
    const at: number[] = [];
    for (let i = 0; i < source.count; i++) {
      const chunk = source.get(i);
      chunks.push(chunk);
      at.push(offset, chunk.length);
      offset += chunk.length;
    }
    stored.set(author, { heads, value, at });
  }
  const header = serialize({ format: FORMAT, kind, entries: stored });
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, ...chunks]);
}

/** `length` bytes of `fd` at `position`. @throws RangeError when the file ends before them */
function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let got = 0; got < length; ) {
    const n = readSync(fd, bytes, got, length - got, position + got);
    if (n === 0) throw new RangeError(`the memo ends ${length - got} bytes early`);
    got += n;
  }
  return bytes;
}
