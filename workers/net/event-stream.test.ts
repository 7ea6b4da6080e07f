/** The SSE reader: parsing by the WHATWG rules, and reconnecting with Last-Event-ID and backoff until aborted. */
import { expect, test } from 'vitest';
import { EventStreamParser, type ServerEvent, runEventStream } from './event-stream.ts';
import type { Fetch } from './hub-client.ts';
import { waitFor } from '../testing/wait.ts';

test('fields, multi-line data, comments, ids and retry; lines split anywhere, with CRLF, LF or CR', () => {
  const text =
    ': hello\r\nretry: 2000\r\n\r\nid: 7\r\nevent: head\r\ndata: {"a":\r\ndata:1}\r\n\r\n' +
    'data:plain\rdata: more\r\rid: 8\nevent: head\ndata: x\n\n';
  for (const size of [1, 2, 3, 7, text.length]) {
    const parser = new EventStreamParser();
    const events: ServerEvent[] = [];
    for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
    expect(events).toEqual([
      { type: 'head', data: '{"a":\n1}', lastEventId: '7' },
      { type: 'message', data: 'plain\nmore', lastEventId: '7' },
      { type: 'head', data: 'x', lastEventId: '8' },
    ]);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('8');
  }
});

test('an event without data is not dispatched; an unfinished event waits for its blank line', () => {
  const parser = new EventStreamParser();
  expect(parser.push('event: head\n\n')).toEqual([]);
  expect(parser.push('data: half\n')).toEqual([]);
  expect(parser.push('\n')).toEqual([{ type: 'message', data: 'half', lastEventId: '' }]);
});

/** A fetch whose every call answers with the next scripted body, then hangs until aborted. */
function scriptedFetch(bodies: (string | Error)[]) {
  const calls: { lastEventId: string | null }[] = [];
  const fetch: Fetch = async (_url, init) => {
    calls.push({ lastEventId: new Headers(init?.headers).get('last-event-id') });
    const next = bodies.shift();
    if (next instanceof Error) throw next;
    const signal = init?.signal;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (next !== undefined) controller.enqueue(new TextEncoder().encode(next));
        if (next !== undefined && bodies.length > 0) controller.close(); // drop: the reader reconnects
        signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, calls };
}

test('reconnects after a drop or a network error, sending Last-Event-ID, and stops when aborted', async () => {
  const { fetch, calls } = scriptedFetch([
    'id: 1\nevent: head\ndata: one\n\n',
    new TypeError('network down'),
    'id: 2\nevent: head\ndata: two\n\n',
    'id: 3\nevent: head\ndata: three\n\n',
  ]);
  const controller = new AbortController();
  const events: string[] = [];
  const errors: string[] = [];
  let opens = 0;
  const done = runEventStream({
    fetch,
    url: 'http://hub.test/v1/stream?authors=a',
    signal: controller.signal,
    backoff: { baseMs: 1, maxMs: 5 },
    onEvent: (e) => events.push(e.data),
    onError: (e) => errors.push(e.name),
    onOpen: () => opens++,
  });
  await waitFor('three events', () => events.length === 3);
  controller.abort();
  await done;
  expect(events).toEqual(['one', 'two', 'three']);
  expect(calls.map((c) => c.lastEventId)).toEqual([null, '1', '1', '2']);
  expect(errors).toEqual(['Offline', 'Offline', 'Offline']);
  expect(opens).toBe(3);
});

test('a named refusal from the hub ends the stream (retrying would get the same answer)', async () => {
  let calls = 0;
  const fetch: Fetch = async () => {
    calls++;
    return Response.json({ error: 'TooLarge', message: 'too many authors' }, { status: 413 });
  };
  const errors: string[] = [];
  await runEventStream({
    fetch,
    url: 'http://hub.test/v1/stream',
    signal: new AbortController().signal,
    onEvent: () => {},
    onError: (e) => errors.push(e.name),
  });
  expect(calls).toBe(1);
  expect(errors).toEqual(['TooLarge']);
});

test('a hub holding as many connections or streams as it allows is asked again with backoff', async () => {
  const refusals = ['TooManyStreams', 'TooManyConnections'];
  const { fetch: open, calls } = scriptedFetch(['id: 1\nevent: head\ndata: one\n\n']);
  let refused = 0;
  const fetch: Fetch = async (url, init) => {
    const name = refusals[refused++];
    if (name) return Response.json({ error: name, message: 'full' }, { status: name === 'TooManyStreams' ? 429 : 503 });
    return open(url, init);
  };
  const controller = new AbortController();
  const events: string[] = [];
  const errors: string[] = [];
  const done = runEventStream({
    fetch,
    url: 'http://hub.test/v1/stream?authors=a',
    signal: controller.signal,
    backoff: { baseMs: 1, maxMs: 5 },
    onEvent: (e) => events.push(e.data),
    onError: (e) => errors.push(e.name),
  });
  await waitFor('the event after two refusals', () => events.length === 1);
  controller.abort();
  await done;
  expect(errors).toEqual(['TooManyStreams', 'TooManyConnections']);
  expect(calls).toHaveLength(1);
});
