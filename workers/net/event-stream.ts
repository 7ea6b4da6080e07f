/**
 * Server-Sent Events over fetch streaming (works in workers and in Node,
 * where EventSource is missing or cannot be given an injected fetch), parsed
 * by the one event-stream parser (src/hub-client/event-stream-parser.ts,
 * shared with a mirroring hub's peer stream). The connection reopens after a
 * drop, with exponential backoff, until the signal aborts.
 */
import { HubError } from '../../src/hub-client/errors.ts';
import { EventStreamParser, type ServerEvent, eventsOf } from '../../src/hub-client/event-stream-parser.ts';
import { type Fetch, request } from '../../src/hub-client/request.ts';
import { CoreError, errorName } from '../errors.ts';
import { backoffDelay } from '../../src/runtime/backoff.ts';
import { sleep } from '../../src/runtime/sleep.ts';

export { EventStreamParser, type ServerEvent } from '../../src/hub-client/event-stream-parser.ts';

export interface EventStreamOptions {
  readonly fetch: Fetch;
  readonly url: string;
  readonly signal: AbortSignal;
  readonly onEvent: (event: ServerEvent) => void;
  /** After each successful (re)connection: a good moment to catch up on what was missed. */
  readonly onOpen?: () => void;
  /** After each failed connection or drop (the stream retries unless the hub refused). */
  readonly onError?: (error: CoreError | HubError) => void;
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
      const named =
        error instanceof CoreError || error instanceof HubError
          ? error
          : new CoreError('Offline', `event stream dropped: ${errorName(error)}`);
      options.onError?.(named);
      if (!RETRIED.has(named.name)) return;
    }
    const base = parser.retryMs ?? backoff.baseMs;
    await sleep(backoffDelay(failures + 1, { baseMs: base, maxMs: backoff.maxMs }), signal);
    failures++;
  }
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  parser: EventStreamParser,
  onEvent: (e: ServerEvent) => void,
): Promise<void> {
  for await (const events of eventsOf(body, parser)) for (const event of events) onEvent(event);
}
