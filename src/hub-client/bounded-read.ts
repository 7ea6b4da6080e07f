/**
 * Reading a hub's answer bounded as it arrives. A hub may be another
 * operator's (a mirror's peer) or simply broken: whatever it sends, a client
 * that sets a cap spends at most that much memory on it and then hangs up,
 * with an error that says which bound was broken.
 */
import { HubError } from './errors.ts';

/**
 * Reads a whole answer body, refusing it once it passes `max` bytes (before
 * reading any of it when Content-Length already says so). Only what arrived
 * is held, and nothing past the cap.
 * @param check sees each chunk as it arrives and may refuse the answer at once (by throwing).
 * @throws HubError AnswerTooLarge, or what `check` or reading the body throws.
 */
export async function readBounded(
  res: Response,
  max: number,
  what: string,
  check?: (chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  const tooLarge = () => new HubError('AnswerTooLarge', `${what} over ${max} bytes`);
  if (declared > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (res.body === null) return new Uint8Array(); // a 204 or 205: no body at all (fuzz/regressions.json)
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the throw) cancels the body, which closes the connection.
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    check?.(chunk);
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.length;
  }
  return whole;
}

/**
 * A `check` for readBounded over a blob batch answer (protocol/batch.ts
 * frames): refuses it as soon as a frame header announces a blob over
 * `maxBlobBytes`, rather than after buffering up to the answer's cap.
 */
export function checkBatchFrames(maxBlobBytes: number): (chunk: Uint8Array) => void {
  const header = new Uint8Array(36);
  const view = new DataView(header.buffer);
  let have = 0;
  // Bytes of the current blob still to come.
  let body = 0;
  return (chunk) => {
    for (let at = 0; at < chunk.length; ) {
      const n = Math.min(body > 0 ? body : 36 - have, chunk.length - at);
      if (body > 0) body -= n;
      else {
        header.set(chunk.subarray(at, at + n), have);
        have += n;
        if (have === 36) {
          have = 0;
          body = view.getUint32(32);
          if (body > maxBlobBytes) {
            throw new HubError(
              'AnswerTooLarge',
              `a blob batch frame of ${body} bytes, over the blob limit of ${maxBlobBytes}`,
            );
          }
        }
      }
      at += n;
    }
  };
}
