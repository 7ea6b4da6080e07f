/**
 * Reading what a peer hub sends, bounded as it arrives. A peer is another
 * hub's operator, not ours: whatever it sends, this hub spends at most a cap
 * of memory and a time limit on it and then hangs up, with a PeerError that
 * says which bound was broken (PeerTooLarge, PeerTooSlow) so the mirror can
 * drop the peer for a while rather than retry it at once (mirror/peer.ts).
 */

/**
 * Why a peer failed. Unreachable and BadAnswer may pass (a restart, a
 * deploy) and are retried soon; PeerTooLarge and PeerTooSlow mean the peer
 * broke a bound no honest hub comes near, so it is dropped and retried late.
 */
export type PeerErrorReason = 'Unreachable' | 'BadAnswer' | 'PeerTooLarge' | 'PeerTooSlow';

export class PeerError extends Error {
  override readonly name = 'PeerError';
  readonly reason: PeerErrorReason;

  constructor(reason: PeerErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }

  /** True when the peer broke a size or time bound (and should be dropped, not retried at once). */
  get breaksBound(): boolean {
    return this.reason === 'PeerTooLarge' || this.reason === 'PeerTooSlow';
  }
}

/**
 * Reads a whole answer body, refusing it once it passes `max` bytes (before
 * reading any of it when Content-Length already says so). Only what arrived
 * is held, and nothing past the cap.
 * @param check sees each chunk as it arrives and may refuse the answer at once (by throwing).
 * @throws PeerError PeerTooLarge, or what `check` throws.
 */
export async function readBounded(res: Response, max: number, what: string, check?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  const tooLarge = () => new PeerError('PeerTooLarge', `${what} over ${max} bytes`);
  if (declared > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (res.body === null) return new Uint8Array(); // a 204 or 205: no body at all (fuzz/regressions.json)
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the throw) cancels the body, which closes the connection.
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    check?.(chunk);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
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
          if (body > maxBlobBytes) throw new PeerError('PeerTooLarge', `a blob batch frame of ${body} bytes, over the blob limit of ${maxBlobBytes}`);
        }
      }
      at += n;
    }
  };
}

const NEWLINE = 0x0a;
/** Enough of a line to tell its field name; the rest of a line is counted, never kept. */
const KEPT_LINE_BYTES = 16;
const HEAD_EVENT = 'event: head';
const HEAD_EVENT_BARE = 'event:head';

/**
 * Counts the `head` events of a Server-Sent Event stream (the mirror needs
 * only "there is more", not the data) with a cap on each event's size,
 * checked on every chunk: the cost is linear in the bytes received (each
 * byte is looked at once, by a native newline search) and the memory a few
 * bytes, however the peer splits or withholds its blank lines.
 */
export class SseHeadCounter {
  readonly #maxEventBytes: number;
  /** The start of the line not yet ended (at most KEPT_LINE_BYTES). */
  #line = '';
  #lineBytes = 0;
  #eventBytes = 0;
  #isHead = false;

  constructor(maxEventBytes: number) {
    this.#maxEventBytes = maxEventBytes;
  }

  /** Bytes of the event under way (0 between events). */
  get pendingBytes(): number {
    return this.#eventBytes;
  }

  /**
   * @returns the head events this chunk completed.
   * @throws PeerError PeerTooLarge once the event under way passes the cap.
   */
  push(chunk: Uint8Array): number {
    let heads = 0;
    let at = 0;
    while (at < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, at);
      const end = nl < 0 ? chunk.length : nl;
      this.#take(chunk, at, end);
      if (nl < 0) break;
      if (this.#endLine()) heads++;
      at = nl + 1;
    }
    return heads;
  }

  #take(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    this.#eventBytes += n;
    if (this.#eventBytes > this.#maxEventBytes) throw new PeerError('PeerTooLarge', `an event over ${this.#maxEventBytes} bytes`);
    if (this.#lineBytes < KEPT_LINE_BYTES) {
      this.#line += Buffer.from(chunk.buffer, chunk.byteOffset + from, Math.min(n, KEPT_LINE_BYTES - this.#lineBytes)).toString('latin1');
    }
    this.#lineBytes += n;
  }

  /** Ends a line; @returns true when it was the blank line ending a head event. */
  #endLine(): boolean {
    const line = this.#line.endsWith('\r') && this.#lineBytes <= KEPT_LINE_BYTES ? this.#line.slice(0, -1) : this.#line;
    const length = this.#lineBytes - (this.#line.length > line.length ? 1 : 0);
    this.#line = '';
    this.#lineBytes = 0;
    this.#eventBytes += 1;
    if (length === 0) {
      const head = this.#isHead;
      this.#isHead = false;
      this.#eventBytes = 0;
      return head;
    }
    if (line.startsWith('event:')) this.#isHead = length <= KEPT_LINE_BYTES && (line === HEAD_EVENT || line === HEAD_EVENT_BARE);
    return false;
  }
}
