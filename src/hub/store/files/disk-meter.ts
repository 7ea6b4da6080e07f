/**
 * The hub-wide disk budget: how many bytes the data folder holds, against the
 * operator's limit (--disk-bytes). No counter is persisted: at every start the
 * folder is measured (one stat per file), so the total is right after a clean
 * stop and after kill -9 alike, whatever a crash left half-counted. Between
 * starts the meter adds the bytes of each blob and record as it is stored;
 * the logs' bookkeeping lines (a few dozen bytes each) wait for the next start.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ProtocolError } from '../../../protocol/errors.ts';
import type { ObjectId } from '../../../protocol/ids.ts';
import type { BlobReader, BlobStore } from './blob-store.ts';

/** Files stat'ed at once while measuring. */
const STAT_AHEAD = 64;

export class DiskMeter {
  readonly #limit: number;
  #used: number;
  /** Bytes of writes checked against the limit but not yet stored. */
  #pending = 0;

  /** @param limit bytes; 0 means no limit (the meter still counts). */
  constructor(limit: number, used: number) {
    this.#limit = limit;
    this.#used = used;
  }

  /** A meter reading the bytes under `dataDir` now, its scratch folder `skip` left out. */
  static async open(dataDir: string, limit: number, skip: string): Promise<DiskMeter> {
    return new DiskMeter(limit, await measure(dataDir, skip));
  }

  /** Bytes held. */
  get used(): number {
    return this.#used;
  }

  /**
   * Holds `bytes` while a write is stored; call the returned release when done, whatever the outcome.
   * @throws ProtocolError HubFull
   */
  reserve(bytes: number): () => void {
    const used = this.#used + this.#pending;
    if (this.#limit > 0 && used + bytes > this.#limit) {
      throw new ProtocolError('HubFull', `this hub holds ${used} of the ${this.#limit} bytes its operator allows; it cannot take ${bytes} more`);
    }
    this.#pending += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#pending -= bytes;
    };
  }

  /** Counts `bytes` newly stored. */
  add(bytes: number): void {
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

  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    if (await this.#inner.has(id)) return 'held';
    let release: () => void;
    try {
      release = this.#meter.reserve(bytes.length);
    } catch (error) {
      throw new Error(`cannot store blob ${id}: ${(error as Error).message}`);
    }
    try {
      const outcome = await this.#inner.put(id, bytes);
      if (outcome === 'created') this.#meter.add(bytes.length);
      return outcome;
    } finally {
      release();
    }
  }
}

/** Total size of the files under `dir`, `skip` left out. */
async function measure(dir: string, skip: string): Promise<number> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (path === skip) continue;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) files.push(path);
    }
  };
  await walk(dir);
  let total = 0;
  for (let i = 0; i < files.length; i += STAT_AHEAD) {
    const sizes = await Promise.all(files.slice(i, i + STAT_AHEAD).map(async (f) => (await stat(f)).size));
    for (const s of sizes) total += s;
  }
  return total;
}
