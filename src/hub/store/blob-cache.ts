/**
 * A bounded in-memory cache of small blobs in front of a remote BlobStore
 * (S3): a blob GET answered from the cache costs no signed S3 request, whose
 * SDK middleware and signing were most of a scaled-out hub's CPU per GET.
 * Blobs are content-addressed and immutable, so a cached blob never goes
 * stale and nothing is ever invalidated; the cache only forgets, least
 * recently used first, to stay within its bytes.
 *
 * The cache holds its own copies and hands out copies: a caller that writes
 * into the bytes it was given (or hands a chunk back to a buffer pool,
 * read-buffers.ts) cannot change what the next caller reads.
 */
import type { ObjectId } from '../../protocol/ids.ts';
import { READ_CHUNK_BYTES } from '../read-buffers.ts';
import type { BlobReader, BlobStore } from './hub-store.ts';

/** 64 MiB of blobs at most, each at most 64 KiB: small blobs (avatars, posts' images) are the many GETs. */
export const BLOB_CACHE_LIMITS = { maxBytes: 64 * 1024 * 1024, maxBlobBytes: 64 * 1024 } as const;

export interface BlobCacheLimits {
  /** The cached bytes in all, at most. */
  readonly maxBytes: number;
  /** A blob larger than this is never cached. */
  readonly maxBlobBytes: number;
}

export class CachedBlobStore implements BlobStore {
  readonly #inner: BlobStore;
  readonly #limits: BlobCacheLimits;
  /** In order of last use, oldest first (a Map iterates in insertion order; a hit is moved to the end). */
  readonly #cached = new Map<ObjectId, Uint8Array>();
  #bytes = 0;
  readonly service?: BlobStore['service'];

  /** @throws RangeError when a limit is not a non-negative integer, or a blob's limit exceeds the total. */
  constructor(inner: BlobStore, limits: BlobCacheLimits = BLOB_CACHE_LIMITS) {
    const { maxBytes, maxBlobBytes } = limits;
    if (!Number.isSafeInteger(maxBytes) || !Number.isSafeInteger(maxBlobBytes) || maxBlobBytes < 0)
      throw new RangeError('blob cache limits must be non-negative integers');
    if (maxBlobBytes > maxBytes) throw new RangeError('a cached blob cannot be larger than the whole cache');
    this.#inner = inner;
    this.#limits = limits;
    if (inner.service) this.service = inner.service;
  }

  /** The bytes cached now (for tests and health). */
  get cachedBytes(): number {
    return this.#bytes;
  }

  async has(id: ObjectId): Promise<boolean> {
    return this.#cached.has(id) || this.#inner.has(id);
  }

  async find(id: ObjectId): Promise<Uint8Array | undefined> {
    const hit = this.#hit(id);
    if (hit) return hit.slice();
    const bytes = await this.#inner.find(id);
    if (bytes) this.#remember(id, bytes.slice());
    return bytes;
  }

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    const outcome = await this.#inner.put(id, bytes);
    // Only once durable in the store behind: the cache never holds what the store might not.
    this.#remember(id, bytes.slice());
    return outcome;
  }

  async openRead(id: ObjectId): Promise<BlobReader | undefined> {
    const hit = this.#hit(id);
    if (hit) return readerOf(hit);
    const reader = await this.#inner.openRead(id);
    if (!reader || reader.size > this.#limits.maxBlobBytes) return reader;
    return { size: reader.size, chunks: this.#keeping(id, reader), close: () => reader.close() };
  }

  /** `reader`'s chunks passed through, each copied as it passes (the caller may reuse it); cached once all came. */
  async *#keeping(id: ObjectId, reader: BlobReader): AsyncIterable<Uint8Array> {
    const copies: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of reader.chunks) {
      copies.push(chunk.slice());
      length += chunk.length;
      yield chunk;
    }
    // A short read is the store's to report; only a whole blob is cached.
    if (length !== reader.size) return;
    const whole = new Uint8Array(length);
    let at = 0;
    for (const copy of copies) {
      whole.set(copy, at);
      at += copy.length;
    }
    this.#remember(id, whole);
  }

  #hit(id: ObjectId): Uint8Array | undefined {
    const bytes = this.#cached.get(id);
    if (!bytes) return undefined;
    this.#cached.delete(id);
    this.#cached.set(id, bytes);
    return bytes;
  }

  /** Caches `bytes` (a copy of the cache's own) when small enough, forgetting the least recently used to fit. */
  #remember(id: ObjectId, bytes: Uint8Array): void {
    if (bytes.length > this.#limits.maxBlobBytes || this.#cached.has(id)) return;
    this.#cached.set(id, bytes);
    this.#bytes += bytes.length;
    for (const [oldest, held] of this.#cached) {
      if (this.#bytes <= this.#limits.maxBytes) break;
      this.#cached.delete(oldest);
      this.#bytes -= held.length;
    }
  }
}

/** A reader over copies of `bytes` in READ_CHUNK_BYTES chunks, so the caller may do what it likes with them. */
function readerOf(bytes: Uint8Array): BlobReader {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += READ_CHUNK_BYTES) chunks.push(bytes.slice(at, at + READ_CHUNK_BYTES));
  return { size: bytes.length, chunks, close: async () => {} };
}
