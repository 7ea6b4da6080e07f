/**
 * The hub client's own promises, over scripted fetches: URLs only from the
 * route table, reads bounded in bytes as they arrive and in time when the
 * caller sets bounds, and errors named (and read by a mirror) in one place.
 * (Against a real hub: workers/net/hub-client.test.ts and contract.test.ts.)
 */
import { expect, test } from 'vitest';
import { encodeBlobBatch } from '../protocol/batch.ts';
import type { ObjectId, PseudonymId } from '../protocol/ids.ts';
import { ROUTES } from '../protocol/routes.ts';
import { createHubClient } from './client.ts';
import { HubError, PeerError, peerErrorOf } from './errors.ts';
import type { Fetch } from './request.ts';

const MiB = 1024 * 1024;
const ID = 'ab'.repeat(32) as ObjectId;
const AUTHOR = 'cd'.repeat(32) as PseudonymId;

async function failure(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('no error');
}

/** A body that sends 64 KiB chunks for ever, counting what was pulled. */
function endless(): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
    },
  });
  return { body, pulled: () => pulled };
}

test('every request goes to a path of the route table, with the method it declares', async () => {
  const sent: string[] = [];
  const fetch: Fetch = async (input, init) => {
    sent.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
    const path = new URL(input).pathname;
    if (path.startsWith('/v1/blobs/') && init?.method === 'POST') {
      return path.endsWith('batch')
        ? new Response(encodeBlobBatch([]) as Uint8Array<ArrayBuffer>)
        : Response.json({ missing: [] });
    }
    if (path === '/v1/stream') return new Response('', { headers: { 'content-type': 'text/event-stream' } });
    return Response.json({ ok: true, seq: 1, heads: {}, notices: [], changes: [], next: 0, last: 0 });
  };
  const client = createHubClient('https://hub.example', fetch);
  const sign = () => ({});
  await client.putBlob(ID, new Uint8Array(), sign, 0);
  await client.getBlob(ID);
  await client.missingBlobs([ID]);
  await client.batchBlobs([ID]);
  await client.putHead(AUTHOR, new Uint8Array());
  await client.getHeads([AUTHOR]);
  await client.listChanges(0);
  await client.putHandle('name', new Uint8Array());
  await client.webfinger('acct:name@hub.example');
  await client.hubInfo();
  await (await client.openStream({ all: true })).body?.cancel();
  await client.postNotice(AUTHOR, new Uint8Array());
  await client.listInbox(AUTHOR, undefined, sign, 0);
  const declared = Object.values(ROUTES).map((r) => new RegExp(`^${r.method} ${r.path.replace(/:[a-z]+/g, '[^/]+')}$`));
  expect(sent).toHaveLength(13);
  for (const request of sent)
    expect(
      declared.some((d) => d.test(request)),
      request,
    ).toBe(true);
});

test('a JSON answer past jsonBytes is refused as it arrives (AnswerTooLarge), not read to its end', async () => {
  const answer = endless();
  const client = createHubClient('https://hub.example', async () => new Response(answer.body), undefined, {
    jsonBytes: MiB,
  });
  const error = await failure(client.listChanges(0));
  expect(error.name).toBe('AnswerTooLarge');
  expect(error.message).toMatch(/over 1048576 bytes/);
  expect(answer.pulled()).toBeLessThan(2 * MiB);
  // Unbounded (the worker's default), the same answer would be read on: bounds are the caller's choice.
});

test('a batch answer announcing a blob over blobBytes is refused at the frame header', async () => {
  const header = new Uint8Array(36);
  new DataView(header.buffer).setUint32(32, 10 * MiB);
  const client = createHubClient('https://hub.example', async () => new Response(header), undefined, {
    blobBytes: MiB,
  });
  expect(await failure(client.batchBlobs([ID]))).toMatchObject({
    name: 'AnswerTooLarge',
    message: expect.stringMatching(/over the blob limit/),
  });
});

test("an answer not whole within timeoutMs is AnswerTooSlow; the caller's abort, Aborted", async () => {
  const hang: Fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
    });
  expect(
    (await failure(createHubClient('https://hub.example', hang, undefined, { timeoutMs: 50 }).hubInfo())).name,
  ).toBe('AnswerTooSlow');

  const trickle: Fetch = async (_input, init) => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"heads":'));
        init?.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
      },
    });
    return new Response(body);
  };
  expect(
    (await failure(createHubClient('https://hub.example', trickle, undefined, { timeoutMs: 50 }).getHeads([AUTHOR])))
      .name,
  ).toBe('AnswerTooSlow');

  const stop = new AbortController();
  const pending = failure(
    createHubClient('https://hub.example', hang, undefined, { signal: stop.signal, timeoutMs: 60_000 }).hubInfo(),
  );
  stop.abort();
  expect((await pending).name).toBe('Aborted');
});

test("errors: the hub's name from an error answer, HubUnavailable without one, Offline when unreachable", async () => {
  const answering = (res: () => Response) => createHubClient('https://hub.example', async () => res());
  expect(
    await failure(
      answering(() => Response.json({ error: 'StaleHead', message: 'no' }, { status: 409 })).putHead(
        AUTHOR,
        new Uint8Array(),
      ),
    ),
  ).toMatchObject({ name: 'StaleHead', context: { status: 409, hub: 'https://hub.example' } });
  expect((await failure(answering(() => new Response('<html>', { status: 502 })).hubInfo())).name).toBe(
    'HubUnavailable',
  );
  expect((await failure(answering(() => new Response('not json')).hubInfo())).name).toBe('HubUnavailable');
  const down = createHubClient(
    'https://hub.example',
    async () => Promise.reject(new TypeError('fetch failed')),
    undefined,
    { readRetries: 0 },
  );
  expect((await failure(down.hubInfo())).name).toBe('Offline');
});

test("a mirror reads the client's errors in one place: bounds are drops, the rest are retried soon", () => {
  const read = (name: HubError['name'], context = {}) =>
    peerErrorOf(new HubError(name, 'x', { hub: 'https://peer.example', ...context }));
  expect(read('AnswerTooLarge')).toMatchObject({ reason: 'PeerTooLarge', breaksBound: true });
  expect(read('AnswerTooSlow')).toMatchObject({ reason: 'PeerTooSlow', breaksBound: true });
  expect(read('Offline')).toMatchObject({
    reason: 'Unreachable',
    breaksBound: false,
    message: expect.stringMatching(/could not be reached/),
  });
  expect(read('HubUnavailable')).toMatchObject({ reason: 'BadAnswer' });
  expect(read('HubUnavailable', { status: 503 })).toMatchObject({ reason: 'Unreachable' });
  expect(read('NotFound', { status: 404 })).toMatchObject({ reason: 'Unreachable' });
  expect(read('Aborted')).toBeInstanceOf(HubError);
  for (const name of ['AnswerTooLarge', 'Offline'] as const) expect(read(name)).toBeInstanceOf(PeerError);
});
