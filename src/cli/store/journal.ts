/**
 * An append-only journal file: the command line's durable record of every
 * write its store acknowledged. Each record is written in one write and
 * fsynced before `append` returns, so acknowledged means on disk.
 *
 * Layout (docs/cli.md, "Data at rest"):
 *
 *   file   = MAGIC record*
 *   MAGIC  = the 16 ASCII bytes "MURMUR-JOURNAL-1"
 *   record = length (u32, big-endian) | check (4 bytes) | payload (length bytes)
 *   check  = the first 4 bytes of sha256(length bytes | payload)
 *
 * At open, a record that ends the file and is cut short or fails its check is
 * a write torn by a crash (kill -9, power loss): it was never acknowledged, so
 * it is dropped, and its bytes are kept aside in `<file>.torn-<offset>` rather
 * than destroyed. A record that fails its check with bytes after it is damage
 * in the middle: CorruptJournal, and nothing is changed.
 *
 * A reader may name records to defer by their payload's first byte (the
 * command line's snapshot bulk, tens of MB that most commands never read):
 * open checks that each is whole in length but reads and checks its payload
 * only when asked (DeferredRecord.read), where a failed check is
 * CorruptJournal. Such a record is only ever written by `rewrite` (renamed
 * into place whole), never by an append a crash could tear.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

const MAGIC = Buffer.from('MURMUR-JOURNAL-1', 'ascii');
const HEADER_BYTES = 8;
/** A bound on one record, far above any batch the core writes, so a damaged length cannot ask for gigabytes. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * The journal cannot be read back as written (damaged on disk, edited, or not a journal). The message names
 * the file and the byte offset; nothing was changed, so it can be repaired or restored by hand.
 */
export class CorruptJournal extends Error {
  override readonly name = 'CorruptJournal';
}

/** A record whose payload open did not read (Journal.open's `defer`): read and checked when asked. */
export class DeferredRecord {
  readonly #path: string;
  readonly #at: number;
  /** The payload's length in bytes. */
  readonly length: number;

  constructor(path: string, at: number, length: number) {
    this.#path = path;
    this.#at = at;
    this.length = length;
  }

  /** @throws CorruptJournal when it fails its check (or the file no longer holds it) */
  read(): Uint8Array {
    const fd = openSync(this.#path, 'r');
    try {
      const record = readAt(fd, this.#at, HEADER_BYTES + this.length);
      const payload = record.subarray(HEADER_BYTES);
      if (record.length === HEADER_BYTES + this.length && checks(record, payload)) return payload;
    } finally {
      closeSync(fd);
    }
    throw new CorruptJournal(`${this.#path}: the record at byte ${this.#at} fails its checksum`);
  }
}

export interface OpenedJournal {
  /** The payloads of every whole record, oldest first; those deferred as DeferredRecords. */
  readonly records: readonly (Uint8Array | DeferredRecord)[];
  /** Bytes of a torn final record that were set aside (0 when the file ended cleanly). */
  readonly tornBytes: number;
  readonly journal: Journal;
}

export class Journal {
  readonly #fd: number;
  #closed = false;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Opens (creating it if absent) the journal at `path` and reads every record.
   * @throws CorruptJournal
   */
  static open(path: string, options: { defer?: (firstByte: number) => boolean } = {}): OpenedJournal {
    if (!existsSync(path)) createJournal(path);
    const fd = openSync(path, 'r+');
    try {
      const size = fstatSync(fd).size;
      const { records, end } = readRecords(fd, size, path, options.defer ?? (() => false));
      if (end < size) {
        writeFileSync(`${path}.torn-${end}`, readAt(fd, end, size - end));
        ftruncateSync(fd, end);
        fsyncSync(fd);
      }
      return { records, tornBytes: size - end, journal: new Journal(fd) };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /**
   * Replaces the journal at `path` with one holding just `records` (a compaction): written beside it, fsynced,
   * renamed over it, the folder fsynced; a crash leaves the old journal or the new, whole. Close any open
   * Journal on `path` first, and open it again after.
   */
  static rewrite(path: string, records: readonly Uint8Array[]): void {
    const temporary = `${path}.compacting`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      // Each record's header, then its payload as it is: a snapshot is tens of MB, and joining it into one buffer
      // first cost a copy of all of it (about a second for 50,000 commits on a busy machine) for the same bytes.
      let at = writeAll(fd, MAGIC, 0);
      for (const payload of records) at = writeAll(fd, payload, writeAll(fd, headerOf(payload), at));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    syncFolderOf(path);
  }

  /** Appends one record and returns once it is on disk. @throws RangeError for an empty or oversized payload */
  append(payload: Uint8Array): void {
    if (this.#closed) throw new TypeError('the journal is closed');
    if (payload.length === 0 || payload.length > MAX_RECORD_BYTES)
      throw new RangeError(`a journal record is 1 to ${MAX_RECORD_BYTES} bytes, not ${payload.length}`);
    // Header and payload in two writes, not joined first (a copy of the payload): a crash between them leaves a
    // record cut short, which open drops as torn; the record counts as written only once fsync returns.
    const at = fstatSync(this.#fd).size;
    writeAll(this.#fd, payload, writeAll(this.#fd, headerOf(payload), at));
    fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** One record's bytes: length, check, payload. */
export function encodeRecord(payload: Uint8Array): Buffer {
  return Buffer.concat([headerOf(payload), payload]);
}

/** A record's header: the payload's length and check. */
function headerOf(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  checkOf(header.subarray(0, 4), payload).copy(header, 4);
  return header;
}

/** Writes all of `bytes` at `at` (looping over short writes); returns where they end. */
function writeAll(fd: number, bytes: Uint8Array, at: number): number {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, at + written);
  return at + written;
}

function checkOf(length: Uint8Array, payload: Uint8Array): Buffer {
  return createHash('sha256').update(length).update(payload).digest().subarray(0, 4);
}

/** Whether a record's header (`record`'s first 8 bytes) carries the check of `payload`. */
function checks(record: Buffer, payload: Uint8Array): boolean {
  return checkOf(record.subarray(0, 4), payload).equals(record.subarray(4, HEADER_BYTES));
}

/** Up to `length` bytes of the file at `at` (fewer only past its end). */
function readAt(fd: number, at: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const got = readSync(fd, bytes, read, length - read, at + read);
    if (got === 0) break;
    read += got;
  }
  return bytes.subarray(0, read);
}

/** The magic alone, fsynced, and the folder's entry for it too, so a new journal survives a crash. */
function createJournal(path: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, MAGIC);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncFolderOf(path);
}

/** Makes a new or renamed entry in `path`'s folder durable. */
function syncFolderOf(path: string): void {
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Every whole record, and where the last one ends (the file's length unless its tail was torn). */
function readRecords(
  fd: number,
  size: number,
  path: string,
  defer: (firstByte: number) => boolean,
): { records: (Uint8Array | DeferredRecord)[]; end: number } {
  const magic = readAt(fd, 0, MAGIC.length);
  if (magic.length < MAGIC.length && MAGIC.subarray(0, magic.length).equals(magic)) {
    return { records: [], end: 0 }; // torn while being created: start again
  }
  if (!magic.equals(MAGIC))
    throw new CorruptJournal(`${path} is not a Murmur journal (it does not start with ${MAGIC.toString('ascii')})`);
  const records: (Uint8Array | DeferredRecord)[] = [];
  let at = MAGIC.length;
  while (at < size) {
    if (size - at < HEADER_BYTES) break; // a header cut short: torn
    const header = readAt(fd, at, HEADER_BYTES + 1); // and the payload's first byte, to know whether to defer it
    const length = header.readUInt32BE(0);
    const end = at + HEADER_BYTES + length;
    if (length === 0 || length > MAX_RECORD_BYTES || end > size) {
      if (length > 0 && length <= MAX_RECORD_BYTES) break; // a record cut short: torn
      if (isZeros(readAt(fd, at, size - at))) break; // the file grew but its last write never landed
      throw new CorruptJournal(`${path}: the record at byte ${at} has an impossible length ${length}`);
    }
    if (defer(header[HEADER_BYTES]!)) {
      records.push(new DeferredRecord(path, at, length));
      at = end;
      continue;
    }
    const record = readAt(fd, at, HEADER_BYTES + length);
    const payload = record.subarray(HEADER_BYTES);
    if (!checks(record, payload)) {
      if (end === size) break; // the final record, half written: torn
      throw new CorruptJournal(`${path}: the record at byte ${at} fails its checksum and records follow it`);
    }
    records.push(payload);
    at = end;
  }
  return { records, end: at };
}

function isZeros(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
