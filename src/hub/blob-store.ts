/**
 * Blob storage: immutable bytes named by their sha256. The interface is what
 * the routes need, so an S3-compatible store can stand in for the file one.
 * Files live at blobs/ab/<id> (the first two hex characters fan the folder
 * out so no directory grows to millions of entries). Recently read or
 * written small blobs are also kept in memory (a bounded LRU): a blob never
 * changes, so the copy can never be stale, and a post's blobs are read by
 * every follower soon after they are written.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectId } from '../protocol/ids.ts';
import { makeDirDurably, writeFileDurably } from './durable-fs.ts';

export interface BlobStore {
  has(id: ObjectId): Promise<boolean>;
  /** The bytes, or undefined when the blob is not held. */
  find(id: ObjectId): Promise<Uint8Array | undefined>;
  /**
   * Stores bytes the caller has checked hash to `id`; resolves once durable.
   * Idempotent: 'held' when the blob was already there.
   */
  put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'>;
}

/** sha256 in hex, as hashBytes in protocol/ids.ts, by node:crypto (ten times faster on large blobs). */
export function hashBlob(bytes: Uint8Array): ObjectId {
  return createHash('sha256').update(bytes).digest('hex') as ObjectId;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Bytes of blobs kept in memory, and the largest blob kept there. */
const CACHE_BYTES = 64 * 1024 * 1024;
const CACHE_BLOB_BYTES = 1024 * 1024;

export class FileBlobStore implements BlobStore {
  readonly #root: string;
  readonly #tmpDir: string;
  /** Insertion order is recency: a hit moves its entry to the end, eviction takes from the front. */
  readonly #cache = new Map<ObjectId, Uint8Array>();
  #cacheBytes = 0;
  /** Fan-out folders known to exist durably (at most 256). */
  readonly #fans = new Set<string>();

  private constructor(root: string, tmpDir: string) {
    this.#root = root;
    this.#tmpDir = tmpDir;
  }

  /** @param tmpDir a scratch folder on the same file system (see writeFileDurably). */
  static async open(root: string, tmpDir: string): Promise<FileBlobStore> {
    await makeDirDurably(root);
    return new FileBlobStore(root, tmpDir);
  }

  #path(id: ObjectId): string {
    return join(this.#root, id.slice(0, 2), id);
  }

  async has(id: ObjectId): Promise<boolean> {
    if (this.#cache.has(id)) return true;
    // A synchronous stat that answers undefined for a missing file: a few microseconds on a local disk,
    // where the promise version costs a thread-pool round trip and a thrown ENOENT for every new blob.
    return statSync(this.#path(id), { throwIfNoEntry: false }) !== undefined;
  }

  async find(id: ObjectId): Promise<Uint8Array | undefined> {
    const cached = this.#cache.get(id);
    if (cached) {
      this.#cache.delete(id);
      this.#cache.set(id, cached);
      return cached;
    }
    try {
      const bytes = await readFile(this.#path(id));
      this.#remember(id, bytes);
      return bytes;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    if (await this.has(id)) return 'held';
    // Two uploads of one id may race here; both renames carry identical bytes, so either winning is right.
    const fan = id.slice(0, 2);
    if (!this.#fans.has(fan)) {
      await makeDirDurably(join(this.#root, fan));
      this.#fans.add(fan);
    }
    await writeFileDurably(this.#tmpDir, this.#path(id), bytes);
    this.#remember(id, bytes);
    return 'created';
  }

  #remember(id: ObjectId, bytes: Uint8Array): void {
    if (bytes.length > CACHE_BLOB_BYTES || this.#cache.has(id)) return;
    // A view into a bigger buffer (a blob cut from a batch answer) would keep all of that buffer alive.
    this.#cache.set(id, bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());
    this.#cacheBytes += bytes.length;
    for (const [oldest, old] of this.#cache) {
      if (this.#cacheBytes <= CACHE_BYTES) break;
      this.#cache.delete(oldest);
      this.#cacheBytes -= old.length;
    }
  }
}
