/**
 * The blob batch frame format (answer of POST /v1/blobs/batch): for each blob,
 * its 32-byte id, its length as a 4-byte big-endian unsigned integer, then its
 * bytes. Binary, because blobs are bytes and base64 in JSON would cost a third
 * more on the wire and a copy on both ends.
 */
import { fromHex, toHex } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import type { ObjectId } from './ids.ts';

export interface BlobEntry {
  readonly id: ObjectId;
  readonly bytes: Uint8Array;
}

export function encodeBlobBatch(entries: readonly BlobEntry[]): Uint8Array {
  let size = 0;
  for (const e of entries) size += 36 + e.bytes.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const e of entries) {
    out.set(fromHex(e.id), at);
    view.setUint32(at + 32, e.bytes.length);
    out.set(e.bytes, at + 36);
    at += 36 + e.bytes.length;
  }
  return out;
}

/**
 * Splits frames; does not check hashes (the caller verifies each blob against its id).
 * @throws ProtocolError DecodeError for a truncated batch.
 */
export function decodeBlobBatch(bytes: Uint8Array): BlobEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: BlobEntry[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 36 > bytes.length) throw new ProtocolError('DecodeError', 'truncated blob batch header');
    const length = view.getUint32(at + 32);
    if (at + 36 + length > bytes.length) throw new ProtocolError('DecodeError', 'truncated blob batch body');
    entries.push({
      id: toHex(bytes.subarray(at, at + 32)) as ObjectId,
      bytes: bytes.subarray(at + 36, at + 36 + length),
    });
    at += 36 + length;
  }
  return entries;
}
