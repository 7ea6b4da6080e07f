/**
 * Blobs in a Map (BlobStore, hub-store.ts), for tests and as the model of the
 * seam. A blob is copied in on put, so the caller may reuse its buffer.
 */
import type { ObjectId } from '../../../protocol/ids.ts';
import { READ_CHUNK_BYTES } from '../../read-buffers.ts';
import type { BlobReader, BlobStore } from '../hub-store.ts';

export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<ObjectId, Uint8Array>();

  async has(id: ObjectId): Promise<boolean> {
    return this.#blobs.has(id);
  }

  async find(id: ObjectId): Promise<Uint8Array | undefined> {
    return this.#blobs.get(id);
  }

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    if (this.#blobs.has(id)) return 'held';
    this.#blobs.set(id, bytes.slice());
    return 'created';
  }

  async openRead(id: ObjectId): Promise<BlobReader | undefined> {
    const bytes = this.#blobs.get(id);
    if (!bytes) return undefined;
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += READ_CHUNK_BYTES) chunks.push(bytes.subarray(at, at + READ_CHUNK_BYTES));
    return { size: bytes.length, chunks, close: async () => {} };
  }
}
