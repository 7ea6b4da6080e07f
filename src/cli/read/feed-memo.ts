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
 * The file is derived, never the record of anything: it is written whole
 * beside itself, fsynced and renamed over, and one that cannot be read (or
 * was written by another version) is ignored and rebuilt.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { CommitId, PseudonymId } from '../../protocol/ids.ts';

/** Bumped whenever what a caller stores changes shape, so an older file is ignored rather than misread. */
const FORMAT = 'murmur-feed-memo-1';

interface Entry<T> {
  readonly heads: string;
  readonly value: T;
}

export class FeedMemo<T> {
  readonly #path: string;
  readonly #kind: string;
  readonly #held: Map<PseudonymId, Entry<T>>;
  /** The entries this command used or made: what save() keeps (a feed no longer read is dropped). */
  readonly #used = new Map<PseudonymId, Entry<T>>();
  #changed = false;

  private constructor(path: string, kind: string, held: Map<PseudonymId, Entry<T>>) {
    this.#path = path;
    this.#kind = kind;
    this.#held = held;
  }

  /** The memo at `path` for values of `kind` (what the caller derives; a file of another kind is ignored). */
  static open<T>(path: string, kind: string): FeedMemo<T> {
    return new FeedMemo<T>(path, kind, readEntries<T>(path, kind));
  }

  /** The value derived from `author`'s feed at exactly `heads`, if one was kept. */
  find(author: PseudonymId, heads: readonly CommitId[]): T | undefined {
    const entry = this.#held.get(author);
    if (entry?.heads !== heads.join(',')) return undefined;
    this.#used.set(author, entry);
    return entry.value;
  }

  put(author: PseudonymId, heads: readonly CommitId[], value: T): void {
    this.#used.set(author, { heads: heads.join(','), value });
    this.#changed = true;
  }

  /** Writes the entries used since open, if any was new or one held was not used. Never throws: it is a cache. */
  save(): void {
    if (!this.#changed && this.#used.size === this.#held.size) return;
    const temporary = `${this.#path}.writing`;
    try {
      const bytes = serialize({ format: FORMAT, kind: this.#kind, entries: this.#used });
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
}

function readEntries<T>(path: string, kind: string): Map<PseudonymId, Entry<T>> {
  try {
    const file = deserialize(readFileSync(path)) as { format?: unknown; kind?: unknown; entries?: unknown };
    if (file.format === FORMAT && file.kind === kind && file.entries instanceof Map)
      return file.entries as Map<PseudonymId, Entry<T>>;
  } catch {
    // Absent or unreadable: start empty.
  }
  return new Map();
}
