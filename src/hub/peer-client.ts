/**
 * What a mirroring hub asks of a peer hub: pages of its change log, blobs in
 * batches, and its all-authors event stream. Everything a peer answers is
 * untrusted: bodies are size-capped, blobs are hash-checked here, and heads
 * and commits are verified by the caller before anything is stored.
 */
import { type BlobEntry, decodeBlobBatch } from '../protocol/batch.ts';
import type { ObjectId, PseudonymId } from '../protocol/ids.ts';
import { type ChangesAnswer, MAX_IDS_PER_REQUEST } from '../protocol/routes.ts';
import { hashBlob } from './blob-store.ts';

/** A peer's batch answer is at most 8 MiB plus one blob; past this it is not a hub we understand. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
/** A peer's stream sends a ping every 15 s; this long without a byte means the connection is dead. */
const STREAM_IDLE_MS = 45_000;

export class PeerError extends Error {
  override readonly name = 'PeerError';
}

export class PeerClient {
  readonly origin: string;
  readonly #signal: AbortSignal;

  /** @param signal aborts every request and stream of this client (the hub is closing). */
  constructor(origin: string, signal: AbortSignal) {
    this.origin = origin;
    this.#signal = signal;
  }

  /** @throws PeerError when the peer cannot be reached or answers something else than a change page. */
  async changes(since: number, limit = 500): Promise<ChangesAnswer> {
    const res = await this.#fetch(`/v1/changes?since=${since}&limit=${limit}`, {});
    const text = new TextDecoder().decode(await readCapped(res, MAX_ANSWER_BYTES));
    let page: ChangesAnswer;
    try {
      page = JSON.parse(text) as ChangesAnswer;
    } catch {
      throw new PeerError(`${this.origin} answered a change page that is not JSON`);
    }
    const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
    if (!Array.isArray(page?.changes) || !count(page.next) || !count(page.last)) {
      throw new PeerError(`${this.origin} answered a change page without changes, next and last`);
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
   * @returns when the peer ends the stream. @throws PeerError when it cannot be opened or goes silent.
   */
  async follow(authors: readonly PseudonymId[] | undefined, listener: { opened(): void; heard(heads: number): void }): Promise<void> {
    const idle = new AbortController();
    const query = authors ? `authors=${authors.join(',')}` : 'all=1';
    const res = await this.#fetch(`/v1/stream?${query}`, { headers: { accept: 'text/event-stream' } }, idle.signal, false);
    if (!res.headers.get('content-type')?.startsWith('text/event-stream') || res.body === null) throw new PeerError(`${this.origin} answered its stream with ${res.body ? res.headers.get('content-type') : 'no body'}`);
    listener.opened();
    let timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
    let text = '';
    try {
      const decoder = new TextDecoder();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
        text += decoder.decode(chunk, { stream: true });
        const end = text.lastIndexOf('\n\n');
        if (end < 0) {
          listener.heard(0);
          continue;
        }
        listener.heard(text.slice(0, end).match(/^event: head$/gm)?.length ?? 0);
        text = text.slice(end + 2);
        if (text.length > 1024 * 1024) throw new PeerError(`${this.origin} sent an event over 1 MiB`);
      }
    } catch (error) {
      if (idle.signal.aborted && !this.#signal.aborted) throw new PeerError(`${this.origin}: no event or ping for ${STREAM_IDLE_MS / 1000} s`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #batch(ids: readonly ObjectId[]): Promise<BlobEntry[]> {
    const res = await this.#fetch('/v1/blobs/batch', { method: 'POST', body: JSON.stringify({ ids }), headers: { 'content-type': 'application/json' } });
    const bytes = await readCapped(res, MAX_ANSWER_BYTES);
    try {
      return decodeBlobBatch(bytes);
    } catch (error) {
      // The peer's fault, not the feed's: retried later rather than held against the head.
      throw new PeerError(`${this.origin} answered a malformed blob batch: ${(error as Error).message}`);
    }
  }

  async #fetch(path: string, init: RequestInit, signal?: AbortSignal, timeout = true): Promise<Response> {
    const signals = [this.#signal, ...(signal ? [signal] : []), ...(timeout ? [AbortSignal.timeout(REQUEST_TIMEOUT_MS)] : [])];
    let res: Response;
    try {
      res = await fetch(`${this.origin}${path}`, { ...init, signal: AbortSignal.any(signals) });
    } catch (error) {
      if (this.#signal.aborted) throw error;
      throw new PeerError(`${this.origin} could not be reached: ${(error as Error).cause ?? (error as Error).message}`);
    }
    if (!res.ok) {
      const body = await res.text().catch(() => '');
      throw new PeerError(`${this.origin}${path.split('?')[0]} answered ${res.status} ${body.slice(0, 200)}`);
    }
    return res;
  }
}

/** @throws PeerError past `max` bytes. */
async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body === null) return new Uint8Array(); // a 204 or 205: no body at all
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw new PeerError(`an answer over ${max} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
