/**
 * Writing long answers (blobs, blob batches) with backpressure: each chunk
 * waits until the socket has taken the one before, so a client that reads
 * slowly, or not at all, holds a chunk of the hub's memory rather than the
 * whole answer. A reader that stops altogether is cut by the stall timeout
 * (connection-guard.ts), which ends the wait here.
 */
import type { ServerResponse } from 'node:http';
import { returnReadBuffer } from '../read-buffers.ts';

/** Resolves once `res` has room again ('drain'), or when it is closed (then false). */
export function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (!res.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Writes one chunk, then waits for room. @returns false once the answer is closed (stop writing). */
export async function writeWithBackpressure(res: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  return drained(res);
}

/**
 * Writes every chunk with backpressure, giving each back to read-buffers.ts
 * once written (or dropped with the connection).
 * @returns false when the answer was closed before the last.
 */
export async function writeChunks(
  res: ServerResponse,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<boolean> {
  for await (const chunk of chunks) {
    if (res.destroyed) {
      returnReadBuffer(chunk);
      return false;
    }
    const room = res.write(chunk, () => returnReadBuffer(chunk));
    if (!room && !(await drained(res))) return false;
  }
  return true;
}
