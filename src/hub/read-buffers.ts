/**
 * Buffers for reading blobs into answers, reused. A large answer is read in
 * READ_CHUNK_BYTES chunks, each written to a socket; allocating each chunk
 * afresh made the hub churn through as many buffers as the kernel took bytes
 * (a stalled reader's socket buffers megabytes before it stalls), and V8 lets
 * dead buffers pile up to 64 MiB before it collects them. A chunk whose write
 * has completed comes back here instead (answer-stream.ts).
 */

/** A chunk of a blob read for an answer. */
export const READ_CHUNK_BYTES = 16 * 1024;

/** Free buffers kept at most (4 MiB); more than this in use at once are allocated and left to the collector. */
const MAX_FREE = 256;

const free: Buffer[] = [];
/** Buffers made here, by their memory (a chunk may be a shorter view into one). */
const ours = new WeakMap<ArrayBufferLike, Buffer>();

/** A READ_CHUNK_BYTES buffer, its bytes undefined. */
export function takeReadBuffer(): Buffer {
  const reused = free.pop();
  if (reused) return reused;
  const buffer = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
  ours.set(buffer.buffer, buffer);
  return buffer;
}

/** Gives back the buffer `chunk` was read into, once nothing will read it again; any other bytes are ignored. */
export function returnReadBuffer(chunk: Uint8Array): void {
  const buffer = ours.get(chunk.buffer);
  if (buffer && free.length < MAX_FREE && !free.includes(buffer)) free.push(buffer);
}
