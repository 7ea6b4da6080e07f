/**
 * Reading what a peer hub sends, bounded as it arrives: the hub client's
 * bounded reads and event-stream parser (src/hub-client), with their errors
 * read as a mirror reads them (PeerError: PeerTooLarge, PeerTooSlow), so the
 * mirror can drop the peer for a while rather than retry it at once
 * (mirror/peer.ts). A peer is another hub's operator, not ours.
 */
import { checkBatchFrames as checkFrames, readBounded as readCapped } from '../../hub-client/bounded-read.ts';
import { peerErrorOf } from '../../hub-client/errors.ts';
import { EventStreamParser } from '../../hub-client/event-stream-parser.ts';

export { PeerError, type PeerErrorReason } from '../../hub-client/errors.ts';

/**
 * Reads a whole answer body, refusing it once it passes `max` bytes (bounded-read.ts).
 * @throws PeerError PeerTooLarge, or what `check` throws.
 */
export async function readBounded(res: Response, max: number, what: string, check?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
  try {
    return await readCapped(res, max, what, check);
  } catch (error) {
    throw peerErrorOf(error);
  }
}

/** A `check` for readBounded over a blob batch answer; refuses a frame over `maxBlobBytes` at its header. */
export function checkBatchFrames(maxBlobBytes: number): (chunk: Uint8Array) => void {
  const check = checkFrames(maxBlobBytes);
  return (chunk) => {
    try {
      check(chunk);
    } catch (error) {
      throw peerErrorOf(error);
    }
  };
}

/**
 * Counts the `head` events of a Server-Sent Event stream with a cap on each
 * event's size, checked on every chunk (the one parser, event-stream-parser.ts).
 */
export class SseHeadCounter {
  readonly #parser: EventStreamParser;

  constructor(maxEventBytes: number) {
    this.#parser = new EventStreamParser(maxEventBytes);
  }

  /** Bytes of the event under way (0 between events). */
  get pendingBytes(): number {
    return this.#parser.pendingBytes;
  }

  /**
   * @returns the head events this chunk completed.
   * @throws PeerError PeerTooLarge once the event under way passes the cap.
   */
  push(chunk: Uint8Array): number {
    try {
      return this.#parser.push(chunk).filter((e) => e.type === 'head').length;
    } catch (error) {
      throw peerErrorOf(error);
    }
  }
}
