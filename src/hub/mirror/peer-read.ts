/**
 * Reading a peer hub's stream, bounded as it arrives: the one event-stream
 * parser (src/hub-client) counting head events, its errors read as a mirror
 * reads them (PeerError: PeerTooLarge), so the mirror can drop the peer for a
 * while rather than retry it at once (mirror/peer.ts). A peer is another
 * hub's operator, not ours. (Bounded answers: src/hub-client/bounded-read.ts.)
 */
import { peerErrorOf } from '../../hub-client/errors.ts';
import { EventStreamParser } from '../../hub-client/event-stream-parser.ts';

export { PeerError, type PeerErrorReason } from '../../hub-client/errors.ts';

/**
 * Counts the `head` events of a Server-Sent Event stream with a cap on each
 * event's size, checked on every chunk (the one parser, event-stream-parser.ts).
 */
export class SseHeadCounter {
  readonly #parser: EventStreamParser;

  constructor(maxEventBytes: number) {
    this.#parser = new EventStreamParser(maxEventBytes, { keepData: false });
  }

  /** Bytes of the event under way (0 between events). */
  get pendingBytes(): number {
    return this.#parser.pendingBytes;
  }

  /** Bytes looked at so far (each once: the parser never rescans what it holds). */
  get scannedBytes(): number {
    return this.#parser.scannedBytes;
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
