/**
 * What a device keeps between reads of a hive, in memory: blobs already
 * checked against their ids (immutable, so never stale), the commits whose
 * signatures already verified for their author, and how far each hub's board
 * was read (a board only grows: its notices are kept in order with the cursor
 * after them). So reading a hive again fetches only what is new: a screen that
 * reads after each act pays for the act, not for the whole hive again. A
 * bound on the blobs' bytes drops the oldest first; nothing here is trusted
 * more than on the first read, only not checked twice.
 */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { NoticeJson } from '../../src/protocol/routes.ts';

export interface BoardRead {
  readonly notices: readonly NoticeJson[];
  /** The cursor after the last notice read (undefined before any). */
  readonly next?: string;
}

export class HiveCache {
  readonly #maxBytes: number;
  readonly #blobs = new Map<ObjectId, Uint8Array>();
  #bytes = 0;
  readonly #verified = new Set<string>();
  readonly #boards = new Map<string, BoardRead>();

  constructor(maxBytes = 32 * 1024 * 1024) {
    this.#maxBytes = maxBytes;
  }

  /** The checked blobs held among `ids`. */
  blobs(ids: readonly ObjectId[]): Map<ObjectId, Uint8Array> {
    const found = new Map<ObjectId, Uint8Array>();
    for (const id of ids) {
      const bytes = this.#blobs.get(id);
      if (bytes) found.set(id, bytes);
    }
    return found;
  }

  /** Keeps a blob whose bytes hash to `id` (the caller checked). */
  keepBlob(id: ObjectId, bytes: Uint8Array): void {
    if (this.#blobs.has(id) || bytes.length > this.#maxBytes) return;
    this.#blobs.set(id, bytes);
    this.#bytes += bytes.length;
    for (const [old, held] of this.#blobs) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#blobs.delete(old);
      this.#bytes -= held.length;
    }
  }

  isVerified(commit: CommitId, author: PseudonymId): boolean {
    return this.#verified.has(`${commit} ${author}`);
  }

  markVerified(commit: CommitId, author: PseudonymId): void {
    this.#verified.add(`${commit} ${author}`);
  }

  board(hive: PseudonymId, origin: string): BoardRead {
    return this.#boards.get(`${hive} ${origin}`) ?? { notices: [] };
  }

  keepBoard(hive: PseudonymId, origin: string, read: BoardRead): void {
    this.#boards.set(`${hive} ${origin}`, read);
  }
}
