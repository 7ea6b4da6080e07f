/**
 * Small blobs appended to segment files (the format: segment-format.ts), so
 * that uploads arriving together cost one write and one fsync between them,
 * where a file per blob costs each a create, an fsync, a rename and a folder
 * fsync: on this file system, several times the whole request.
 *
 * Segments are numbered files under segments/; the newest is the active one,
 * appended to by group commit (group-commit.ts): a batch's records are
 * written at the end and fdatasynced before any of its uploads resolves, and
 * only then entered in the in-memory index of where each blob is. A segment
 * past SEGMENT_BYTES is sealed before the next batch: its hint file is
 * written durably, and a new segment begun. At open the hints of sealed
 * segments are read and the active segment is hashed record by record; a
 * record cut short or failing its hash there is what a crash mid-write left
 * (never acknowledged) and is cut off. The same damage in a sealed segment is
 * CorruptStore: its records were acknowledged.
 *
 * Memory: the index holds every blob's id and place (some 150 bytes a blob),
 * the price of never reading a directory or a hint at request time.
 */
import { type FileHandle, open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectId } from '../../../protocol/ids.ts';
import { GroupCommit } from '../group-commit.ts';
import { CorruptStore } from '../store-errors.ts';
import { fsyncDir, makeDirDurably, writeFileDurably } from './durable-fs.ts';
import {
  type BlobLocation,
  RECORD_HEADER_BYTES,
  type SegmentRecord,
  encodeHints,
  parseHints,
  parseSegment,
  planRangeReads,
  recordHeader,
} from './segment-format.ts';

/** A segment is sealed once it holds this much (a batch may carry it a little past). */
export const SEGMENT_BYTES = 64 * 1024 * 1024;
/** Blobs up to this size go to segments; larger ones to files of their own (a create is cheap beside their bytes). */
export const SEGMENT_BLOB_BYTES = 64 * 1024;
/** Neighbouring blobs read together when at most this many bytes lie between them (findMany). */
const READ_GAP_BYTES = 16 * 1024;
/** The longest read findMany makes. */
const READ_RANGE_BYTES = 1024 * 1024;
/** Sealed segments kept open for reads at once (the least recently read one idle is closed past it). */
const OPEN_READERS = 32;

interface Upload {
  readonly id: ObjectId;
  readonly bytes: Uint8Array;
}

interface Active {
  readonly segment: number;
  readonly handle: FileHandle;
  end: number;
  readonly records: SegmentRecord[];
}

interface Reader {
  /** A promise, so two first reads of one segment share one open. */
  readonly handle: Promise<FileHandle>;
  users: number;
}

const segmentName = (n: number) => `${String(n).padStart(8, '0')}.seg`;
const hintName = (n: number) => `${String(n).padStart(8, '0')}.hint`;

export class BlobSegments {
  readonly #dir: string;
  readonly #tmpDir: string;
  readonly #index: Map<ObjectId, BlobLocation>;
  /** Uploads in a batch not yet durable, so a second upload of the same bytes waits for the first. */
  readonly #pending = new Map<ObjectId, Promise<void>>();
  readonly #readers = new Map<number, Reader>();
  readonly #batches = new GroupCommit<Upload>((batch) => this.#commit(batch));
  readonly #segmentBytes: number;
  #active: Active;

  private constructor(
    dir: string,
    tmpDir: string,
    segmentBytes: number,
    index: Map<ObjectId, BlobLocation>,
    active: Active,
  ) {
    this.#dir = dir;
    this.#tmpDir = tmpDir;
    this.#segmentBytes = segmentBytes;
    this.#index = index;
    this.#active = active;
  }

  /**
   * Opens (or makes) the segments under `dir`, cutting off a torn tail of the active one.
   * @param segmentBytes the size past which a segment is sealed (smaller in tests, to reach sealing quickly)
   * @throws CorruptStore when a sealed segment or a hint file is damaged
   */
  static async open(dir: string, tmpDir: string, segmentBytes = SEGMENT_BYTES): Promise<BlobSegments> {
    await makeDirDurably(dir);
    const names = new Set(await readdir(dir));
    const segments = [...names]
      .filter((n) => /^\d{8}\.seg$/.test(n))
      .map((n) => Number(n.slice(0, 8)))
      .sort((a, b) => a - b);
    const index = new Map<ObjectId, BlobLocation>();
    const add = (segment: number, records: readonly SegmentRecord[]) => {
      for (const r of records) index.set(r.id, { segment, offset: r.offset, length: r.length });
    };
    let active: Active | undefined;
    for (const [i, segment] of segments.entries()) {
      const path = join(dir, segmentName(segment));
      if (names.has(hintName(segment))) {
        const hints = await readFile(join(dir, hintName(segment)));
        add(segment, parseHints(`segments/${hintName(segment)}`, hints, (await stat(path)).size));
        continue;
      }
      const parsed = parseSegment(await readFile(path), SEGMENT_BLOB_BYTES);
      add(segment, parsed.records);
      const last = i === segments.length - 1;
      if (!last) {
        if (parsed.damage)
          throw new CorruptStore(`segments/${segmentName(segment)}: ${parsed.damage} at byte ${parsed.end}`);
        // Sealed but its hint never written (a crash between the two): write it now.
        await writeFileDurably(tmpDir, join(dir, hintName(segment)), encodeHints(parsed.records));
        continue;
      }
      const handle = await open(path, 'r+');
      if (parsed.damage) {
        await handle.truncate(parsed.end);
        await handle.datasync();
      }
      active = { segment, handle, end: parsed.end, records: parsed.records };
    }
    active ??= await BlobSegments.#begin(dir, (segments.at(-1) ?? 0) + 1);
    return new BlobSegments(dir, tmpDir, segmentBytes, index, active);
  }

  static async #begin(dir: string, segment: number): Promise<Active> {
    const handle = await open(join(dir, segmentName(segment)), 'wx+');
    await fsyncDir(dir);
    return { segment, handle, end: 0, records: [] };
  }

  /** True once `id` is durably held here. */
  has(id: ObjectId): boolean {
    return this.#index.has(id);
  }

  /** The bytes of `id`, or undefined when it is not held here. */
  async find(id: ObjectId): Promise<Uint8Array | undefined> {
    const at = this.#index.get(id);
    if (!at) return undefined;
    const bytes = Buffer.allocUnsafeSlow(at.length);
    const read = async (handle: FileHandle) => {
      const { bytesRead } = await handle.read(bytes, 0, at.length, at.offset);
      if (bytesRead !== at.length) throw new Error(`blob ${id} ended at ${bytesRead} of ${at.length} bytes`);
    };
    if (at.segment === this.#active.segment) await read(this.#active.handle);
    else await this.#withReader(at.segment, read);
    return bytes;
  }

  /**
   * The bytes of those of `ids` held here, neighbours in a segment read together (planRangeReads): a read
   * per few hundred small blobs, where find makes one each. Each blob gets a buffer of its own (a cache may
   * keep it), copied out of the read.
   */
  async findMany(ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
    const wanted = [];
    for (const id of new Set(ids)) {
      const at = this.#index.get(id);
      if (at) wanted.push({ id, at });
    }
    const found = new Map<ObjectId, Uint8Array>();
    const plan = planRangeReads(wanted, READ_GAP_BYTES, READ_RANGE_BYTES);
    await Promise.all(
      plan.map(async (range) => {
        const bytes = Buffer.allocUnsafeSlow(range.length);
        const read = async (handle: FileHandle) => {
          const { bytesRead } = await handle.read(bytes, 0, range.length, range.offset);
          if (bytesRead !== range.length)
            throw new Error(`segment ${range.segment} ended at ${range.offset + bytesRead} of ${range.length} bytes`);
        };
        if (range.segment === this.#active.segment) await read(this.#active.handle);
        else await this.#withReader(range.segment, read);
        for (const blob of range.blobs) {
          const own = Buffer.allocUnsafeSlow(blob.length);
          bytes.copy(own, 0, blob.at, blob.at + blob.length);
          found.set(blob.id, own);
        }
      }),
    );
    return found;
  }

  /**
   * Appends `bytes` (checked by the caller to hash to `id`); resolves once durable.
   * @throws the file system's error (the upload was not stored, or not acknowledged as stored)
   */
  async put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'> {
    if (this.#index.has(id)) return 'held';
    const pending = this.#pending.get(id);
    if (pending) {
      await pending;
      return 'held';
    }
    const written = this.#batches.submit({ id, bytes });
    this.#pending.set(id, written);
    try {
      await written;
    } finally {
      this.#pending.delete(id);
    }
    return 'created';
  }

  async close(): Promise<void> {
    await this.#batches.drain();
    const readers = [...this.#readers.values()].map((r) => r.handle);
    await Promise.allSettled([this.#active.handle, ...(await Promise.all(readers))].map((h) => h.close()));
    this.#readers.clear();
  }

  async #commit(batch: readonly Upload[]): Promise<void> {
    if (this.#active.end >= this.#segmentBytes) await this.#seal();
    const active = this.#active;
    const buffers: Uint8Array[] = [];
    const records: SegmentRecord[] = [];
    let at = active.end;
    for (const { id, bytes } of batch) {
      buffers.push(recordHeader(id, bytes.length), bytes);
      records.push({ id, offset: at + RECORD_HEADER_BYTES, length: bytes.length });
      at += RECORD_HEADER_BYTES + bytes.length;
    }
    try {
      const { bytesWritten } = await active.handle.writev(buffers, active.end);
      if (bytesWritten !== at - active.end) throw new Error(`wrote ${bytesWritten} of ${at - active.end} bytes`);
      await active.handle.datasync();
    } catch (error) {
      // The next batch writes over what this one left; cutting it now keeps a failed batch off the disk.
      await active.handle.truncate(active.end).catch(() => {});
      throw error;
    }
    active.end = at;
    for (const r of records) {
      active.records.push(r);
      this.#index.set(r.id, { segment: active.segment, ...r });
    }
  }

  /** Writes the active segment's hints and begins the next segment (between batches, so no write is in flight). */
  async #seal(): Promise<void> {
    const sealed = this.#active;
    await writeFileDurably(this.#tmpDir, join(this.#dir, hintName(sealed.segment)), encodeHints(sealed.records));
    this.#active = await BlobSegments.#begin(this.#dir, sealed.segment + 1);
    // Reads of the sealed segment may be in flight on its handle: it joins the readers, closed when idle.
    this.#readers.set(sealed.segment, { handle: Promise.resolve(sealed.handle), users: 0 });
  }

  async #withReader<T>(segment: number, use: (handle: FileHandle) => Promise<T>): Promise<T> {
    let reader = this.#readers.get(segment);
    if (reader) this.#readers.delete(segment);
    else {
      const handle = open(join(this.#dir, segmentName(segment)), 'r');
      reader = { handle, users: 0 };
      // A failed open is not kept: the next read tries again.
      handle.catch(() => this.#readers.get(segment)?.handle === handle && this.#readers.delete(segment));
    }
    // Insertion order is recency: the entry goes to the end.
    this.#readers.set(segment, reader);
    reader.users++;
    try {
      return await use(await reader.handle);
    } finally {
      reader.users--;
      this.#closeIdleReaders();
    }
  }

  #closeIdleReaders(): void {
    let over = this.#readers.size - OPEN_READERS;
    for (const [segment, reader] of this.#readers) {
      if (over <= 0) break;
      if (reader.users > 0) continue;
      this.#readers.delete(segment);
      void reader.handle.then((h) => h.close()).catch(() => {});
      over--;
    }
  }
}
