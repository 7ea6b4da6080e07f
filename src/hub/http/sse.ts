/**
 * Live heads over Server-Sent Events (`GET /v1/stream?authors=a,b`). Each
 * event is one accepted head: `id` its change number, `event: head`, `data`
 * its HeadJson. On connect a stream first gets the current head of each
 * author it names (only those changed after Last-Event-ID when it resumes),
 * then every change as it is accepted. Streams are indexed by author, so a
 * change touches only its own listeners.
 *
 * `GET /v1/stream?all=1` is for mirroring hubs: every change of every author
 * from the moment it opens, without opening heads (a mirror catches up
 * through /v1/changes, and treats each event here as "there is more").
 */
import type { ServerResponse } from 'node:http';
import { headToJson } from '../../protocol/heads.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { HeadChange, HeadStore } from '../store/hub-store.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { CORS_HEADERS } from './http.ts';
import { authorsFromQuery } from './id-lists.ts';
import type { Handler } from './router.ts';
import { type AddressOf, socketAddress } from '../client-address.ts';

/** Client reconnect delay asked for in the stream's first line (EventSource `retry:`). */
const RETRY_MS = 2000;
/** A stream this far behind is cut; its client reconnects with Last-Event-ID and catches up from current heads. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

interface Stream {
  readonly res: ServerResponse;
  /** The client's address, for the cap on streams per address. */
  readonly address: string;
  /** 'all': every author's changes (a mirror's stream). */
  readonly authors: readonly PseudonymId[] | 'all';
  /** Changes that arrive while the opening heads are being read; undefined once live. */
  pending: HeadChange[] | undefined;
}

export function formatHeadEvent(change: HeadChange): string {
  return `id: ${change.seq}\nevent: head\ndata: ${JSON.stringify(headToJson(change.signed))}\n\n`;
}

export class StreamHub {
  readonly #heads: HeadStore;
  readonly #byAuthor = new Map<PseudonymId, Set<Stream>>();
  readonly #all = new Set<Stream>();
  readonly #streams = new Set<Stream>();
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #maxPerAddress: number;
  readonly #byAddress = new Map<string, number>();
  readonly #addressOf: AddressOf;

  /** @param maxPerAddress streams one client address may hold open (connection-guard.ts); past it TooManyStreams. */
  constructor(heads: HeadStore, heartbeatMs = 15_000, maxPerAddress = Infinity, addressOf = socketAddress) {
    this.#heads = heads;
    this.#addressOf = addressOf;
    this.#maxPerAddress = maxPerAddress;
    this.#unsubscribe = heads.subscribe((change) => this.#publish(change));
    // A comment line keeps proxies and NATs from closing a quiet stream.
    this.#heartbeat = setInterval(() => {
      for (const stream of this.#streams) this.#write(stream, ': ping\n\n');
    }, heartbeatMs);
  }

  /** The `GET /v1/stream` handler. */
  readonly handler: Handler = async ({ req, res, url }) => {
    const all = url.searchParams.get('all');
    if (all !== null && all !== '1') throw new ProtocolError('BadRequest', 'all: expected 1');
    if (all && url.searchParams.has('authors'))
      throw new ProtocolError('BadRequest', 'ask for all authors or for some, not both');
    const authors = all ? 'all' : authorsFromQuery(url);
    const address = this.#addressOf(req);
    // Each stream holds a connection and a place in every publish for as long as it lasts.
    if ((this.#byAddress.get(address) ?? 0) >= this.#maxPerAddress && req.method !== 'HEAD') {
      throw new ProtocolError(
        'TooManyStreams',
        `your address has ${this.#maxPerAddress} streams open here already; ` +
          `close one or ask for more authors per stream`,
      );
    }
    res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    if (req.method === 'HEAD') return void res.end();
    const stream: Stream = { res, address, authors, pending: authors === 'all' ? undefined : [] };
    // Listen before reading the current heads, so no change can fall between the two.
    this.#add(stream);
    res.on('close', () => this.#remove(stream));
    res.write(`retry: ${RETRY_MS}\n\n`);
    if (authors === 'all') return;

    const since = await this.#resumeFrom(req.headers['last-event-id']);
    const current = [...(await this.#heads.findHeads(authors)).values()].sort((a, b) => a.seq - b.seq);
    const sent = new Map<PseudonymId, number>();
    for (const change of current) {
      sent.set(change.signed.head.author, change.seq);
      if (change.seq > since) this.#write(stream, formatHeadEvent(change));
    }
    const pending = stream.pending ?? [];
    stream.pending = undefined;
    for (const change of pending) {
      if (change.seq > (sent.get(change.signed.head.author) ?? 0)) this.#write(stream, formatHeadEvent(change));
    }
  };

  /** Streams open now. */
  get size(): number {
    return this.#streams.size;
  }

  /** Ends every stream and stops listening (clients reconnect to whichever hub answers next). */
  close(): void {
    clearInterval(this.#heartbeat);
    this.#unsubscribe();
    for (const stream of [...this.#streams]) {
      this.#remove(stream);
      stream.res.end();
    }
  }

  /**
   * The change number to resume after: Last-Event-ID when it is one of ours.
   * An id beyond our log (another hub, or a log that was reset) resumes from 0.
   */
  async #resumeFrom(header: string | string[] | undefined): Promise<number> {
    const text = Array.isArray(header) ? header[0] : header;
    if (!text || !/^[0-9]{1,15}$/.test(text)) return 0;
    const id = Number(text);
    return id <= (await this.#heads.lastSeq()) ? id : 0;
  }

  #publish(change: HeadChange): void {
    const listeners = this.#byAuthor.get(change.signed.head.author);
    if (!listeners && this.#all.size === 0) return;
    const event = formatHeadEvent(change);
    for (const stream of listeners ?? []) {
      if (stream.pending) stream.pending.push(change);
      else this.#write(stream, event);
    }
    for (const stream of this.#all) this.#write(stream, event);
  }

  #write(stream: Stream, text: string): void {
    // A stream closed while its opening heads were being read is written to no more.
    if (!this.#streams.has(stream) || stream.res.writableEnded) return;
    if (stream.res.writableLength > MAX_BUFFERED_BYTES) {
      this.#remove(stream);
      stream.res.destroy();
      return;
    }
    stream.res.write(text);
  }

  #add(stream: Stream): void {
    this.#streams.add(stream);
    this.#byAddress.set(stream.address, (this.#byAddress.get(stream.address) ?? 0) + 1);
    if (stream.authors === 'all') return void this.#all.add(stream);
    for (const author of stream.authors) {
      let set = this.#byAuthor.get(author);
      if (!set) {
        set = new Set();
        this.#byAuthor.set(author, set);
      }
      set.add(stream);
    }
  }

  #remove(stream: Stream): void {
    if (!this.#streams.delete(stream)) return;
    const left = (this.#byAddress.get(stream.address) ?? 1) - 1;
    if (left === 0) this.#byAddress.delete(stream.address);
    else this.#byAddress.set(stream.address, left);
    if (stream.authors === 'all') return void this.#all.delete(stream);
    for (const author of stream.authors) {
      const set = this.#byAuthor.get(author);
      set?.delete(stream);
      if (set?.size === 0) this.#byAuthor.delete(author);
    }
  }
}
