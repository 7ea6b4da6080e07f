/**
 * Server-Sent Events over fetch streaming (works in workers and in Node,
 * where EventSource is missing or cannot be given an injected fetch).
 * Parsing follows the WHATWG "event stream interpretation": `event:`,
 * `data:` (joined by newlines), `id:` (remembered and sent back as
 * Last-Event-ID), `retry:`, comment lines starting with ':', any of CRLF, LF
 * or CR ending a line. The connection reopens after a drop, with exponential
 * backoff, until the signal aborts.
 */
import { CoreError, errorName } from '../errors.ts';
import { type Fetch, request } from './hub-client.ts';

export interface ServerEvent {
  /** 'message' when the event named no type. */
  readonly type: string;
  readonly data: string;
  /** The last event id seen on this stream ('' before any). */
  readonly lastEventId: string;
}

/** Incremental parser: feed text as it arrives, get the complete events. */
export class EventStreamParser {
  lastEventId = '';
  /** Set by a `retry:` field. */
  retryMs: number | undefined;
  private buffer = '';
  private pendingCr = false;
  private type = '';
  private data: string[] = [];

  push(text: string): ServerEvent[] {
    const events: ServerEvent[] = [];
    let chunk = text;
    // A CR at the end of the previous chunk may be half of a CRLF.
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      const line = this.buffer.slice(start, i);
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): ServerEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): ServerEvent | undefined {
    const type = this.type || 'message';
    const data = this.data;
    this.type = '';
    this.data = [];
    if (data.length === 0) return undefined;
    return { type, data: data.join('\n'), lastEventId: this.lastEventId };
  }
}

export interface EventStreamOptions {
  readonly fetch: Fetch;
  readonly url: string;
  readonly signal: AbortSignal;
  readonly onEvent: (event: ServerEvent) => void;
  /** After each successful (re)connection: a good moment to catch up on what was missed. */
  readonly onOpen?: () => void;
  /** After each failed connection or drop (the stream retries unless the hub refused). */
  readonly onError?: (error: CoreError) => void;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly lastEventId?: string;
}

/**
 * Failures a later attempt may not meet: the network, a hub answering outside
 * the protocol, and a hub holding as many connections or streams (from this
 * address: a NAT may share it) as it allows. Any other named refusal ends the stream.
 */
const RETRIED = new Set<string>(['Offline', 'HubUnavailable', 'TooManyConnections', 'TooManyStreams']);

/**
 * Keeps an event stream open until `signal` aborts (then resolves), or until
 * the hub refuses the request with a named protocol error (then resolves too,
 * after onError: retrying would get the same answer).
 */
export async function runEventStream(options: EventStreamOptions): Promise<void> {
  const { fetch, url, signal } = options;
  const backoff = options.backoff ?? { baseMs: 1000, maxMs: 30_000 };
  const parser = new EventStreamParser();
  parser.lastEventId = options.lastEventId ?? '';
  let failures = 0;
  while (!signal.aborted) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (parser.lastEventId) headers['last-event-id'] = parser.lastEventId;
      const res = await request(fetch, url, { method: 'GET', headers, signal, cache: 'no-store' }, new URL(url).origin);
      if (!res.body) throw new CoreError('HubUnavailable', 'the event stream has no body');
      failures = 0;
      options.onOpen?.();
      await readEvents(res.body, parser, options.onEvent);
      if (!signal.aborted) options.onError?.(new CoreError('Offline', 'the event stream closed'));
    } catch (error) {
      if (signal.aborted) break;
      const named = error instanceof CoreError ? error : new CoreError('Offline', `event stream dropped: ${errorName(error)}`);
      options.onError?.(named);
      if (!RETRIED.has(named.name)) return;
    }
    const base = parser.retryMs ?? backoff.baseMs;
    await sleep(Math.min(backoff.maxMs, base * 2 ** failures), signal);
    failures++;
  }
}

async function readEvents(body: ReadableStream<Uint8Array>, parser: EventStreamParser, onEvent: (e: ServerEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
