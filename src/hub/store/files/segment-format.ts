/**
 * What a blob segment and its hint file hold (blob-segments.ts), pure, so the
 * fuzzer (fuzz/hub-store-targets.ts) can feed damaged files to each without a
 * disk.
 *
 * A segment is records one after another, each `<u32 length><32-byte id>
 * <length bytes>` (big-endian), where the id is the bytes' sha256: a record
 * checks itself, so no other checksum is kept. A hint file lists a sealed
 * segment's records, `<32-byte id><u32 offset><u32 length>` each, so a start
 * reads the hints instead of hashing every sealed byte again.
 */
import { fromHex, toHex } from '../../../protocol/bytes.ts';
import type { ObjectId } from '../../../protocol/ids.ts';
import { sha256Node } from '../../../runtime/sha256-node.ts';
import { CorruptStore } from '../store-errors.ts';

export const RECORD_HEADER_BYTES = 4 + 32;
const HINT_BYTES = 32 + 4 + 4;

/** Where one blob's bytes are: its segment, and the offset and length of the bytes (after the header). */
export interface BlobLocation {
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
}

export interface SegmentRecord {
  readonly id: ObjectId;
  readonly offset: number;
  readonly length: number;
}

/** A segment read back: its whole records, where they end, and why reading stopped there if before the end. */
export interface ParsedSegment {
  readonly records: SegmentRecord[];
  readonly end: number;
  readonly damage?: string;
}

/** The header of a record holding `bytes` under `id`. */
export function recordHeader(id: ObjectId, length: number): Uint8Array {
  const header = new Uint8Array(RECORD_HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, length);
  header.set(fromHex(id), 4);
  return header;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Reads records from the start of `bytes` until the first that is cut short
 * or does not hash to its id (a crash mid-write leaves at most such a tail).
 * @param maxLength the longest record a store writes; a longer length field is damage.
 */
export function parseSegment(bytes: Uint8Array, maxLength: number): ParsedSegment {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: SegmentRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < RECORD_HEADER_BYTES) return { records, end: at, damage: 'a record header cut short' };
    const length = view.getUint32(at);
    if (length > maxLength) return { records, end: at, damage: `a record of ${length} bytes, over ${maxLength}` };
    const offset = at + RECORD_HEADER_BYTES;
    if (bytes.length - offset < length) return { records, end: at, damage: 'a record cut short' };
    const idBytes = bytes.subarray(at + 4, offset);
    if (!sameBytes(sha256Node(bytes.subarray(offset, offset + length)), idBytes))
      return { records, end: at, damage: 'a record whose bytes do not hash to its id' };
    records.push({ id: toHex(idBytes) as ObjectId, offset, length });
    at = offset + length;
  }
  return { records, end: at };
}

/** A sealed segment's hint file. */
export function encodeHints(records: readonly SegmentRecord[]): Uint8Array {
  const out = new Uint8Array(records.length * HINT_BYTES);
  const view = new DataView(out.buffer);
  records.forEach((r, i) => {
    const at = i * HINT_BYTES;
    out.set(fromHex(r.id), at);
    view.setUint32(at + 32, r.offset);
    view.setUint32(at + 36, r.length);
  });
  return out;
}

/**
 * A hint file read back, checked against its segment's size.
 * @throws CorruptStore naming `file` when a hint is cut short or points past the segment
 */
export function parseHints(file: string, bytes: Uint8Array, segmentBytes: number): SegmentRecord[] {
  if (bytes.length % HINT_BYTES !== 0)
    throw new CorruptStore(`${file}: ${bytes.length} bytes is not a whole number of ${HINT_BYTES}-byte hints`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: SegmentRecord[] = [];
  for (let at = 0; at < bytes.length; at += HINT_BYTES) {
    const offset = view.getUint32(at + 32);
    const length = view.getUint32(at + 36);
    if (offset < RECORD_HEADER_BYTES || offset + length > segmentBytes)
      throw new CorruptStore(`${file}: hint ${at / HINT_BYTES + 1} points past the segment's ${segmentBytes} bytes`);
    records.push({ id: toHex(bytes.subarray(at, at + 32)) as ObjectId, offset, length });
  }
  return records;
}

/** One read of a segment covering several records: where it starts, how long it is, and the blobs in it. */
export interface RangeRead {
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
  readonly blobs: readonly { readonly id: ObjectId; readonly at: number; readonly length: number }[];
}

/**
 * The reads that fetch `wanted` blobs with few system calls: by segment and offset, a blob joins the read
 * before it when the bytes between are at most `gapBytes` and the read stays within `maxBytes` (a blob
 * larger than that is a read of its own). Blobs written together (one feed's commits and posts) lie side by
 * side, so a catch-up's batch becomes a few reads where it was one per blob.
 */
export function planRangeReads(
  wanted: readonly { readonly id: ObjectId; readonly at: BlobLocation }[],
  gapBytes: number,
  maxBytes: number,
): RangeRead[] {
  const sorted = [...wanted].sort((a, b) => a.at.segment - b.at.segment || a.at.offset - b.at.offset);
  const reads: { segment: number; offset: number; length: number; blobs: RangeRead['blobs'][number][] }[] = [];
  for (const { id, at } of sorted) {
    const last = reads.at(-1);
    const end = at.offset + at.length;
    if (
      last &&
      last.segment === at.segment &&
      at.offset - (last.offset + last.length) <= gapBytes &&
      end - last.offset <= maxBytes
    ) {
      last.length = Math.max(last.length, end - last.offset);
      last.blobs.push({ id, at: at.offset - last.offset, length: at.length });
    } else
      reads.push({
        segment: at.segment,
        offset: at.offset,
        length: at.length,
        blobs: [{ id, at: 0, length: at.length }],
      });
  }
  return reads;
}
