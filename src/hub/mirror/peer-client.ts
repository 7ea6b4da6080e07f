/**
 * What a mirroring hub asks of a peer hub: pages of its change log, blobs in
 * batches, its all-authors event stream and pages of its listings, through the one hub client
 * (src/hub-client). Everything a peer answers is untrusted: every read is
 * bounded in bytes and time as it arrives (the bounds below), blobs are
 * hash-checked here, and heads and commits are verified by the caller before
 * anything is stored. Failures come out as PeerError (src/hub-client/errors.ts
 * says how a client's error names map to a peer's reasons).
 */
import { type HubClient, createHubClient } from '../../hub-client/client.ts';
import { PeerError, peerErrorOf } from '../../hub-client/errors.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { LIMITS } from '../../protocol/limits.ts';
import {
  type ChangesAnswer,
  type DirectoryAnswer,
  type InboxAnswer,
  MAX_IDS_PER_REQUEST,
} from '../../protocol/routes.ts';
import { sha256HexNode } from '../../runtime/sha256-node.ts';
import { BATCH_RESPONSE_BYTES } from '../hub-limits.ts';
import { SseHeadCounter } from './peer-read.ts';

export { PeerError } from '../../hub-client/errors.ts';

/** A page of 500 changes, each a head of at most 4 KiB canonical (under 16 KiB as JSON), with room to spare. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;
/** A whole answer (headers and body) must arrive within this. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A peer's stream sends a ping every 15 s; this long without a byte means the connection is dead. */
const STREAM_IDLE_MS = 45_000;
/** A head event is under 16 KiB; one of 1 MiB is not a hub we understand. */
const MAX_EVENT_BYTES = 1024 * 1024;
/** An event must end this long after its first byte (a trickle under the idle timeout would hold it open for ever). */
const STREAM_EVENT_MS = 60_000;

/**
 * A batch answer stops at 8 MiB, or is one blob when that blob alone is
 * larger (routes/blobs.ts), so it is at most this for a peer whose blobs fit
 * `blobLimit` (36 bytes of framing per blob).
 */
export function maxBatchAnswerBytes(blobLimit: number): number {
  return Math.max(BATCH_RESPONSE_BYTES, 36 + blobLimit);
}

export class PeerClient {
  readonly origin: string;
  readonly #signal: AbortSignal;
  readonly #hub: HubClient;

  /**
   * @param signal aborts every request and stream of this client (the hub is closing, or the peer is dropped).
   * @param blobLimit the largest blob expected from the peer (this hub's own limit): it bounds a batch answer.
   */
  constructor(origin: string, signal: AbortSignal, blobLimit = LIMITS.blobBytes) {
    this.origin = origin;
    this.#signal = signal;
    // The global fetch, looked up at each call (tests and the fuzz targets replace it).
    const fetchNow = (input: string, init?: RequestInit) => fetch(input, init);
    this.#hub = createHubClient(origin, fetchNow, undefined, {
      signal,
      timeoutMs: REQUEST_TIMEOUT_MS,
      jsonBytes: MAX_PAGE_BYTES,
      blobBytes: blobLimit,
      batchBytes: maxBatchAnswerBytes(blobLimit),
      // A peer that drops a connection is asked again on the mirror's own schedule (peer.ts), not at once.
      readRetries: 0,
    });
  }

  /** @throws PeerError when the peer cannot be reached, breaks a bound, or answers other than a change page. */
  async changes(since: number, limit = 500): Promise<ChangesAnswer> {
    try {
      return await this.#hub.listChanges(since, limit);
    } catch (error) {
      throw peerErrorOf(error);
    }
  }

  /** One page of the peer's listings, unlistings included (each unverified). @throws PeerError as `changes` */
  async listings(cursor?: string): Promise<DirectoryAnswer> {
    try {
      return await this.#hub.listListings(cursor);
    } catch (error) {
      throw peerErrorOf(error);
    }
  }

  /** The peer's inbox policy for `author` (unverified bytes), or undefined when it holds none. @throws PeerError */
  async inboxPolicy(author: PseudonymId): Promise<Uint8Array | undefined> {
    try {
      return await this.#hub.findInboxPolicy(author);
    } catch (error) {
      throw peerErrorOf(error);
    }
  }

  /** One page of a board the peer holds, after `cursor` (each notice unverified). @throws PeerError as `changes` */
  async board(hive: PseudonymId, cursor: string | undefined): Promise<InboxAnswer> {
    try {
      return await this.#hub.listBoard(hive, cursor);
    } catch (error) {
      throw peerErrorOf(error);
    }
  }

  /**
   * The blobs among `ids` the peer holds, each checked against its id (any
   * that does not hash to its id is left out, as if not held).
   */
  async fetchBlobs(ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
    const found = new Map<ObjectId, Uint8Array>();
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_REQUEST) {
      let wanted = ids.slice(i, i + MAX_IDS_PER_REQUEST);
      // A batch answer stops at 8 MiB; ask again for the rest until an answer brings nothing new.
      while (wanted.length > 0) {
        const entries = await this.#batch(wanted);
        const asked = new Set<string>(wanted);
        const fresh = entries.filter((e) => asked.has(e.id) && !found.has(e.id));
        for (const e of fresh) if (sha256HexNode(e.bytes) === e.id) found.set(e.id, e.bytes);
        if (fresh.length === 0) break;
        const got = new Set<string>(fresh.map((e) => e.id));
        wanted = wanted.filter((id) => !got.has(id));
      }
    }
    return found;
  }

  /**
   * Follows the peer's event stream (`?all=1`, or only `authors`): `listener.opened`
   * once it is open, `listener.heard(n)` for each chunk with the number of head events it completed.
   * @returns when the peer ends the stream.
   * @throws PeerError when it cannot be opened, goes silent, or sends an event too large or too slow.
   */
  async follow(
    authors: readonly PseudonymId[] | undefined,
    listener: { opened(): void; heard(heads: number): void },
  ): Promise<void> {
    const idle = new AbortController();
    let res: Response;
    try {
      res = await this.#hub.openStream(authors ? { authors } : { all: true }, { signal: idle.signal });
    } catch (error) {
      throw peerErrorOf(error);
    }
    listener.opened();
    let timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
    const events = new SseHeadCounter(MAX_EVENT_BYTES);
    // When the event under way began (0: between events).
    let eventStarted = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
        const heads = events.push(chunk);
        if (events.pendingBytes === 0) eventStarted = 0;
        else if (eventStarted === 0) eventStarted = performance.now();
        else if (performance.now() - eventStarted > STREAM_EVENT_MS) {
          throw new PeerError('PeerTooSlow', `${this.origin} took over ${STREAM_EVENT_MS / 1000} s to send one event`);
        }
        listener.heard(heads);
      }
    } catch (error) {
      if (idle.signal.aborted && !this.#signal.aborted)
        throw new PeerError('PeerTooSlow', `${this.origin}: no event or ping for ${STREAM_IDLE_MS / 1000} s`);
      throw this.#explain(error, 'its stream');
    } finally {
      clearTimeout(timer);
    }
  }

  async #batch(ids: readonly ObjectId[]) {
    try {
      return await this.#hub.batchBlobs(ids);
    } catch (error) {
      // A malformed batch is the peer's fault, not the feed's: retried later rather than held against the head.
      if ((error as Error).name === 'DecodeError') {
        throw new PeerError('BadAnswer', `${this.origin} answered a malformed blob batch: ${(error as Error).message}`);
      }
      throw peerErrorOf(error);
    }
  }

  /** A failure while reading the stream, as a PeerError (left as it is once this client is stopped). */
  #explain(error: unknown, what: string): unknown {
    if (this.#signal.aborted || error instanceof PeerError) return error;
    const mapped = peerErrorOf(error);
    if (mapped instanceof PeerError) return mapped;
    const cause = (error as Error).cause ?? (error as Error).message;
    return new PeerError('Unreachable', `${this.origin} could not be reached while reading ${what}: ${String(cause)}`);
  }
}
