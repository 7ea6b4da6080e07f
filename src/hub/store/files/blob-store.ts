/**
 * Blob storage in files (BlobStore, hub-store.ts): immutable bytes named by
 * their sha256. Blobs up to SEGMENT_BLOB_BYTES are appended to segments
 * (blob-segments.ts, under blobs/segments/), which share one fsync among the
 * uploads of a batch; larger ones, and every blob a hub stored before
 * segments, are files at blobs/ab/<id> (the first two hex characters fan the
 * folder out so no directory grows to millions of entries). Recently read or
 * written small blobs are also kept in memory (a bounded LRU): a blob never
 * changes, so the copy can never be stale, and a post's blobs are read by
 * every follower soon after they are written.
 */
import { statSync } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectId } from '../../../protocol/ids.ts';
import type { BlobReader, BlobStore } from '../hub-store.ts';
import { BlobSegments, SEGMENT_BLOB_BYTES } from './blob-segments.ts';
import { makeDirDurably } from './durable-fs.ts';
import { DurableWriter } from './durable-writer.ts';
import { READ_CHUNK_BYTES, takeReadBuffer } from '../../read-buffers.ts';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Bytes of blobs kept in memory, and the largest blob kept there. */
const CACHE_BYTES = 64 * 1024 * 1024;
const CACHE_BLOB_BYTES = 1024 * 1024;

export class FileBlobStore implements BlobStore {
  readonly #root: string;
  /** Uploads arriving together share their fsyncs (group commit). */
  readonly #writer: DurableWriter;
  readonly #segments: BlobSegments;
  /** Insertion order is recency: a hit moves its entry to the end, eviction takes from the front. */
  readonly #cache = new Map<ObjectId, Uint8Array>();
  #cacheBytes = 0;
  /** Fan-out folders known to exist durably (at most 256). */
  readonly #fans = new Set<string>();

  private constructor(root: string, tmpDir: string, segments: BlobSegments) {
    this.#root = root;
    this.#writer = new DurableWriter(tmpDir);
    this.#segments = segments;
  }

  /**
   * @param tmpDir a scratch folder on the same file system (see DurableWriter).
   * @throws CorruptStore when a sealed segment is damaged (blob-segments.ts)
   */
  static async open(root: string, tmpDir: string): Promise<FileBlobStore> {
    await makeDirDurably(root);
    return new FileBlobStore(root, tmpDir, await BlobSegments.open(join(root, 'segments'), tmpDir));
  }

  /** Resolves once every upload begun has settled, and lets go of the segment files. */
  async close(): Promise<void> {
    await this.#writer.close();
    await this.#segments.close();
  }

  #path(id: ObjectId): string {
    return join(this.#root, id.slice(0, 2), id);
  }

  async has(id: ObjectId): Promise<boolean> {
    if (this.#cache.has(id) || this.#segments.has(id)) return true;
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
    const segmented = await this.#segments.find(id);
    if (segmented) {
      this.#remember(id, segmented);
      return segmented;
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

  /**
   * Reads the small blobs among `ids` not in memory into the cache, neighbours together (BlobSegments.findMany):
   * a batch answer's blobs one read at a time cost the hub ~110 us each, against ~15 from memory.
   */
  async prefetch(ids: readonly ObjectId[]): Promise<void> {
    const cold = ids.filter((id) => !this.#cache.has(id));
    if (cold.length < 2) return;
    for (const [id, bytes] of await this.#segments.findMany(cold)) this.#remember(id, bytes);
  }

  async openRead(id: ObjectId): Promise<BlobReader | undefined> {
    const cached = this.#cache.get(id);
    // Only a small cached blob is answered from memory: a large one
    // would stay alive (evicted or not) as long as its reader stalls.
    if (cached && cached.length <= READ_CHUNK_BYTES) {
      return { size: cached.length, chunks: [cached], close: async () => {} };
    }
    // A segmented blob is small: read whole, and handed out in chunks of the promised size.
    const segmented = await this.#segments.find(id);
    if (segmented) {
      this.#remember(id, segmented);
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < segmented.length; at += READ_CHUNK_BYTES)
        chunks.push(segmented.subarray(at, at + READ_CHUNK_BYTES));
      return { size: segmented.length, chunks, close: async () => {} };
    }
    let handle: FileHandle;
    try {
      handle = await open(this.#path(id), 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const file = handle;
    const size = (await file.stat()).size;
    let closed: Promise<void> | undefined;
    const close = () => (closed ??= file.close());
    const remember = (bytes: Uint8Array) => this.#remember(id, bytes);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        for (let at = 0; at < size; ) {
          const want = Math.min(READ_CHUNK_BYTES, size - at);
          // A small blob read whole is kept by the cache, so it gets a buffer of its own; others a reused one.
          const whole = at === 0 && want === size;
          const { bytesRead, buffer } = await file.read(
            whole ? Buffer.allocUnsafeSlow(want) : takeReadBuffer(),
            0,
            want,
            at,
          );
          if (bytesRead === 0) throw new Error(`blob ${id} ended at ${at} of ${size} bytes`);
          at += bytesRead;
          if (whole && bytesRead === size) remember(buffer);
          yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
        }
      } finally {
        await close();
      }
    }
    return { size, chunks: chunks(), close };
  }

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    if (await this.has(id)) return 'held';
    if (bytes.length <= SEGMENT_BLOB_BYTES) {
      const outcome = await this.#segments.put(id, bytes);
      this.#remember(id, bytes);
      return outcome;
    }
    // Two uploads of one id may race here; both renames carry identical bytes, so either winning is right.
    const fan = id.slice(0, 2);
    if (!this.#fans.has(fan)) {
      await makeDirDurably(join(this.#root, fan));
      this.#fans.add(fan);
    }
    await this.#writer.write(this.#path(id), bytes);
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
