/** Server-Sent Events against a real hub: opening heads, live changes, Last-Event-ID, and close. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { headToJson } from '../../protocol/heads.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  signedHead,
  startTestHub,
} from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

interface Event {
  readonly id?: string;
  readonly event?: string;
  readonly data?: string;
}

/** Opens a stream and reads it as it arrives; `until` waits for a condition on what came so far. */
async function openStream(authors: string[] | 'all', headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const query = authors === 'all' ? 'all=1' : `authors=${authors.join(',')}`;
  const res = await fetch(`${t.url}/v1/stream?${query}`, { headers, signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const events = (): Event[] =>
    text
      .split('\n\n')
      .slice(0, -1)
      .map((block) =>
        Object.fromEntries(
          block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        ),
      )
      .filter((e) => e.event === 'head');
  return {
    res,
    text: () => text,
    events,
    async until(condition: () => boolean): Promise<void> {
      while (!condition()) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended early after: ${text}`);
        text += value;
      }
    },
    /** Resolves when the hub ends the stream. */
    async ended(): Promise<void> {
      for (;;) if ((await reader.read()).done) return;
    },
    close: () => controller.abort(),
  };
}

test('a stream opens with retry and the current heads, then delivers each change of its authors only', async () => {
  const a1 = signedHead(aliceKey, 1).head;
  await put(`${t.url}/v1/heads/${alice}`, a1.bytes);
  const stream = await openStream([alice]);
  expect(stream.res.status).toBe(200);
  expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(stream.res.headers.get('cache-control')).toBe('no-cache');
  expect(stream.res.headers.get('x-accel-buffering')).toBe('no');
  expect(stream.res.headers.get('access-control-allow-origin')).toBe('*');
  await stream.until(() => stream.events().length === 1);
  expect(stream.text().startsWith('retry: 2000\n\n')).toBe(true);
  expect(stream.events()[0]).toEqual({ id: '1', event: 'head', data: JSON.stringify(headToJson(a1)) });

  await put(`${t.url}/v1/heads/${bob}`, signedHead(bobKey, 1).head.bytes);
  const a2 = signedHead(aliceKey, 2).head;
  await put(`${t.url}/v1/heads/${alice}`, a2.bytes);
  await stream.until(() => stream.events().length === 2);
  // Bob's change (number 2) never reached a stream that did not ask for bob.
  expect(stream.events()[1]).toEqual({ id: '3', event: 'head', data: JSON.stringify(headToJson(a2)) });
  stream.close();
});

test('Last-Event-ID resumes: only heads changed after it are sent again', async () => {
  await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes);
  await put(`${t.url}/v1/heads/${bob}`, signedHead(bobKey, 1).head.bytes);
  const stream = await openStream([alice, bob], { 'last-event-id': '1' });
  await stream.until(() => stream.events().length === 1);
  expect(stream.events()[0]).toMatchObject({ id: '2' });
  expect(JSON.parse(stream.events()[0]!.data!).author).toBe(bob);
  await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 2).head.bytes);
  await stream.until(() => stream.events().length === 2);
  expect(stream.events().map((e) => e.id)).toEqual(['2', '3']);
  stream.close();

  // An id this hub never gave (another hub's, or a reset log) sends every current head.
  const fresh = await openStream([alice, bob], { 'last-event-id': '999' });
  await fresh.until(() => fresh.events().length === 2);
  expect(fresh.events().map((e) => e.id)).toEqual(['2', '3']);
  fresh.close();
});

test('closing the hub ends open streams', async () => {
  const stream = await openStream([alice]);
  await stream.until(() => stream.text().includes('retry:'));
  await t.hub.close();
  await stream.ended();
});

test('refuses a malformed author before streaming', async () => {
  const res = await fetch(`${t.url}/v1/stream?authors=${alice},nope`);
  expect(await errorName(res)).toBe('400 MalformedId');
});

test("?all=1 (for mirrors) sends every author's changes from the moment it opens, without opening heads", async () => {
  await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes);
  const stream = await openStream('all');
  expect(stream.res.status).toBe(200);
  await stream.until(() => stream.text().includes('retry:'));
  const b1 = signedHead(bobKey, 1).head;
  const a2 = signedHead(aliceKey, 2).head;
  await put(`${t.url}/v1/heads/${bob}`, b1.bytes);
  await put(`${t.url}/v1/heads/${alice}`, a2.bytes);
  await stream.until(() => stream.events().length === 2);
  expect(stream.events()).toEqual([
    { id: '2', event: 'head', data: JSON.stringify(headToJson(b1)) },
    { id: '3', event: 'head', data: JSON.stringify(headToJson(a2)) },
  ]);
  stream.close();
});

test('refuses ?all with another value than 1, or with authors', async () => {
  expect(await errorName(await fetch(`${t.url}/v1/stream?all=yes`))).toBe('400 BadRequest');
  expect(await errorName(await fetch(`${t.url}/v1/stream?all=1&authors=${alice}`))).toBe('400 BadRequest');
});
