/**
 * What a mirroring hub asks of a peer hub: pages of its change log, blobs in
 * batches, and its all-authors event stream. Everything a peer answers is
 * untrusted: every read is bounded in bytes and time as it arrives
 * (peer-read.ts), blobs are hash-checked here, and heads and commits are
 * verified by the caller before anything is stored.
 */
import { type BlobEntry, decodeBlobBatch } from '../../protocol/batch.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { type ChangesAnswer, MAX_IDS_PER_REQUEST } from '../../protocol/routes.ts';
import { hashBlob } from '../node-digest.ts';
import { PeerError, SseHeadCounter, checkBatchFrames, readBounded } from './peer-read.ts';
import { BATCH_RESPONSE_BYTES } from '../hub-limits.ts';

export { PeerError } from './peer-read.ts';

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
  readonly #maxBatchBytes: number;
  readonly #blobLimit: number;

  /**
   * @param signal aborts every request and stream of this client (the hub is closing, or the peer is dropped).
   * @param blobLimit the largest blob expected from the peer (this hub's own limit): it bounds a batch answer.
   */
  constructor(origin: string, signal: AbortSignal, blobLimit = LIMITS.blobBytes) {
    this.origin = origin;
    this.#signal = signal;
    this.#maxBatchBytes = maxBatchAnswerBytes(blobLimit);
    this.#blobLimit = blobLimit;
  }

  /** @throws PeerError when the peer cannot be reached, breaks a bound, or answers something else than a change page. */
  async changes(since: number, limit = 500): Promise<ChangesAnswer> {
    const bytes = await this.#read(`/v1/changes?since=${since}&limit=${limit}`, {}, MAX_PAGE_BYTES, 'a change page');
    let page: ChangesAnswer;
    try {
      page = JSON.parse(new TextDecoder().decode(bytes)) as ChangesAnswer;
    } catch {
      throw new PeerError('BadAnswer', `${this.origin} answered a change page that is not JSON`);
    }
    const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
    if (!Array.isArray(page?.changes) || !count(page.next) || !count(page.last)) {
      throw new PeerError('BadAnswer', `${this.origin} answered a change page without changes, next and last`);
    }
    return page;
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
        for (const e of fresh) if (hashBlob(e.bytes) === e.id) found.set(e.id, e.bytes);
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
  async follow(authors: readonly PseudonymId[] | undefined, listener: { opened(): void; heard(heads: number): void }): Promise<void> {
    const idle = new AbortController();
    const query = authors ? `authors=${authors.join(',')}` : 'all=1';
    const res = await this.#fetch(`/v1/stream?${query}`, { headers: { accept: 'text/event-stream' } }, idle.signal, false);
    if (!res.headers.get('content-type')?.startsWith('text/event-stream') || res.body === null) {
      await res.body?.cancel();
      throw new PeerError('BadAnswer', `${this.origin} answered its stream with ${res.body ? res.headers.get('content-type') : 'no body'}`);
    }
    listener.opened();
    let timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
    const events = new SseHeadCounter(MAX_EVENT_BYTES);
    // When the event under way began (0: between events).
    let eventStarted = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
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
      if (idle.signal.aborted && !this.#signal.aborted) throw new PeerError('PeerTooSlow', `${this.origin}: no event or ping for ${STREAM_IDLE_MS / 1000} s`);
      throw this.#explain(error, 'its stream');
    } finally {
      clearTimeout(timer);
    }
  }

  async #batch(ids: readonly ObjectId[]): Promise<BlobEntry[]> {
    const init = { method: 'POST', body: JSON.stringify({ ids }), headers: { 'content-type': 'application/json' } };
    const bytes = await this.#read('/v1/blobs/batch', init, this.#maxBatchBytes, 'a blob batch answer', checkBatchFrames(this.#blobLimit));
    try {
      return decodeBlobBatch(bytes);
    } catch (error) {
      // The peer's fault, not the feed's: retried later rather than held against the head.
      throw new PeerError('BadAnswer', `${this.origin} answered a malformed blob batch: ${(error as Error).message}`);
    }
  }

  /** A whole answer, bounded in bytes (`max`) and in time (REQUEST_TIMEOUT_MS for headers and body together). */
  async #read(path: string, init: RequestInit, max: number, what: string, check?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    const res = await this.#fetch(path, init);
    try {
      return await readBounded(res, max, `${this.origin} sent ${what}`, check);
    } catch (error) {
      throw this.#explain(error, what);
    }
  }

  async #fetch(path: string, init: RequestInit, signal?: AbortSignal, timeout = true): Promise<Response> {
    const signals = [this.#signal, ...(signal ? [signal] : []), ...(timeout ? [AbortSignal.timeout(REQUEST_TIMEOUT_MS)] : [])];
    let res: Response;
    try {
      res = await fetch(`${this.origin}${path}`, { ...init, signal: AbortSignal.any(signals) });
    } catch (error) {
      throw this.#explain(error, path.split('?')[0]!);
    }
    if (!res.ok) {
      const body = await readBounded(res, 4096, 'an error answer').catch(() => new Uint8Array());
      throw new PeerError('Unreachable', `${this.origin}${path.split('?')[0]} answered ${res.status} ${new TextDecoder().decode(body).slice(0, 200)}`);
    }
    return res;
  }

  /** A failure while talking to the peer, as a PeerError (left as it is once this client is stopped). */
  #explain(error: unknown, what: string): unknown {
    if (this.#signal.aborted || error instanceof PeerError) return error;
    if ((error as Error).name === 'TimeoutError') return new PeerError('PeerTooSlow', `${this.origin} did not send ${what} within ${REQUEST_TIMEOUT_MS / 1000} s`);
    return new PeerError('Unreachable', `${this.origin} could not be reached: ${(error as Error).cause ?? (error as Error).message}`);
  }
}
