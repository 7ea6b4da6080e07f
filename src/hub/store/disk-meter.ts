/**
 * The hub-wide disk budget (DiskMeter, hub-store.ts) as a counter in memory,
 * whatever the store: it starts from the bytes the store holds when opened
 * and adds the bytes of each blob and record as it is stored. And the blob
 * store mirroring writes through, whose new blobs pass the meter.
 */
import type { ObjectId } from '../../protocol/ids.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import type { BlobReader, BlobStore, DiskMeter, Release } from './hub-store.ts';

export class CountingDiskMeter implements DiskMeter {
  readonly #limit: number;
  #used: number;
  /** Bytes of writes checked against the limit but not yet stored. */
  #pending = 0;

  /** @param limit bytes; 0 means no limit (the meter still counts). */
  constructor(limit: number, used: number) {
    this.#limit = limit;
    this.#used = used;
  }

  /** Bytes held. */
  async used(): Promise<number> {
    return this.#used;
  }

  /**
   * Holds `bytes` while a write is stored; call the returned release when done, whatever the outcome.
   * @throws ProtocolError HubFull
   */
  async reserve(bytes: number): Promise<Release> {
    const used = this.#used + this.#pending;
    if (this.#limit > 0 && used + bytes > this.#limit) {
      const held = `this hub holds ${used} of the ${this.#limit} bytes its operator allows`;
      throw new ProtocolError('HubFull', `${held}; it cannot take ${bytes} more`);
    }
    this.#pending += bytes;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#pending -= bytes;
    };
  }

  /** Counts `bytes` newly stored. */
  async add(bytes: number): Promise<void> {
    this.#used += bytes;
  }
}

/**
 * A blob store whose new blobs pass the meter: what mirroring writes through.
 * When the hub is full it throws a plain Error, not HubFull: the mirror takes
 * a ProtocolError as the peer's head being invalid and skips it for good,
 * while a plain error is retried later, when there may be room again.
 */
export class MeteredBlobStore implements BlobStore {
  readonly #inner: BlobStore;
  readonly #meter: DiskMeter;

  constructor(inner: BlobStore, meter: DiskMeter) {
    this.#inner = inner;
    this.#meter = meter;
  }

  has(id: ObjectId): Promise<boolean> {
    return this.#inner.has(id);
  }

  find(id: ObjectId): Promise<Uint8Array | undefined> {
    return this.#inner.find(id);
  }

  openRead(id: ObjectId): Promise<BlobReader | undefined> {
    return this.#inner.openRead(id);
  }

  async prefetch(ids: readonly ObjectId[]): Promise<void> {
    await this.#inner.prefetch?.(ids);
  }

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    if (await this.#inner.has(id)) return 'held';
    let release: Release;
    try {
      release = await this.#meter.reserve(bytes.length);
    } catch (error) {
      throw new Error(`cannot store blob ${id}: ${(error as Error).message}`);
    }
    try {
      const outcome = await this.#inner.put(id, bytes);
      if (outcome === 'created') await this.#meter.add(bytes.length);
      return outcome;
    } finally {
      await release();
    }
  }
}
