/**
 * The hub client against a real hub: values back, or errors named as the hub names them ('Offline' when unreachable).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildCommit } from '../../src/protocol/commits.ts';
import { buildHandleClaim } from '../../src/protocol/handles.ts';
import { buildHead, headToJson } from '../../src/protocol/heads.ts';
import { hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { WEBFINGER_PSEUDONYM } from '../../src/protocol/routes.ts';
import { AUTH_HEADERS, type RequestToSign, signRequest } from '../../src/protocol/request-auth.ts';
import { createHubClient } from './hub-client.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const key = secretKeyFrom(new Uint8Array(32).fill(9));
const author = pseudonymOf(key);
const sign = (request: RequestToSign) => signRequest(key, request);

async function nameOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  return 'no error';
}

test('blobs: missing, put, batch, get; and the refusals by name', async () => {
  const client = createHubClient(hub.url, fetch);
  const post = buildPost({ author, body: 'blob', ts: Date.now() });
  const absent = hashBytes(new TextEncoder().encode('never stored'));
  expect(await client.missingBlobs([post.id, absent])).toEqual([post.id, absent]);
  await client.putBlob(post.id, post.bytes, sign, Date.now());
  expect(await client.missingBlobs([post.id, absent])).toEqual([absent]);
  const batch = await client.batchBlobs([post.id, absent]);
  expect(batch.map((e) => e.id)).toEqual([post.id]);
  expect(batch[0]!.bytes).toEqual(post.bytes);
  expect(await client.getBlob(post.id)).toEqual(post.bytes);
  expect(await nameOf(client.getBlob(absent))).toBe('NotFound');
  expect(await nameOf(client.putBlob(absent, post.bytes, sign, Date.now()))).toBe('HashMismatch');
  // The hub knows who uploads: unsigned or stale-signed uploads are refused by name.
  expect(await nameOf(client.putBlob(absent, post.bytes, () => ({}), Date.now()))).toBe('Unauthenticated');
  expect(await nameOf(client.putBlob(post.id, post.bytes, sign, Date.now() - 10 * 60_000))).toBe('ClockSkew');
});

test('heads: put, get, and StaleHead for one not strictly newer', async () => {
  const client = createHubClient(hub.url, fetch);
  const post = buildPost({ author, body: 'x', ts: Date.now() });
  const commit = buildCommit(key, { parents: [], seq: 1, ts: Date.now(), ops: [{ type: 'post', object: post.id }] });
  const head = buildHead(key, { heads: [commit.id], seq: 1, ts: Date.now() });
  expect(await client.putHead(author, head.bytes)).toMatchObject({ seq: 1 });
  expect((await client.getHeads([author]))[author]).toEqual(headToJson(head));
  expect(await nameOf(client.putHead(author, head.bytes))).toBe('StaleHead');
});

test('handles: claim, resolve by WebFinger, HandleTaken and WrongHost', async () => {
  const client = createHubClient(hub.url, fetch);
  const host = new URL(hub.url).host;
  await client.putHandle('nine', buildHandleClaim(key, { name: 'nine', host, ts: Date.now() }).bytes);
  const jrd = await client.webfinger(`acct:nine@${host}`);
  expect(jrd.properties?.[WEBFINGER_PSEUDONYM]).toBe(author);
  const other = secretKeyFrom(new Uint8Array(32).fill(10));
  expect(
    await nameOf(client.putHandle('nine', buildHandleClaim(other, { name: 'nine', host, ts: Date.now() }).bytes)),
  ).toBe('HandleTaken');
  expect(
    await nameOf(
      client.putHandle('ten', buildHandleClaim(other, { name: 'ten', host: 'elsewhere.test', ts: Date.now() }).bytes),
    ),
  ).toBe('WrongHost');
  expect(await nameOf(client.webfinger(`acct:nobody@${host}`))).toBe('NotFound');
});

test('an unreachable hub is Offline', async () => {
  const closed = await startTestHub();
  const url = closed.url;
  await closed.stop();
  expect(await nameOf(createHubClient(url, fetch).getHeads([author]))).toBe('Offline');
});

test('a read whose connection drops is resent up to 3 more times; a write is not (the hub may have it)', async () => {
  let calls = 0;
  let failNext = 0;
  const flaky: typeof fetch = (input, init) => {
    calls++;
    // What Node's fetch throws when a kept-alive connection was closed by the hub as it was reused.
    if (failNext-- > 0) return Promise.reject(new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }));
    return fetch(input, init);
  };
  const client = createHubClient(hub.url, flaky);
  const post = buildPost({ author, body: 'retried', ts: Date.now() });
  await createHubClient(hub.url, fetch).putBlob(post.id, post.bytes, sign, Date.now());

  failNext = 1;
  expect((await client.batchBlobs([post.id])).map((e) => e.id)).toEqual([post.id]);
  expect(calls).toBe(2);

  calls = 0;
  failNext = 3;
  await client.getHeads([author]); // answered on the fourth send
  expect(calls).toBe(4);

  calls = 0;
  failNext = 4;
  const offline = client.getHeads([author]).catch((error: Error) => error);
  expect(await offline).toMatchObject({ name: 'Offline', message: expect.stringContaining('UND_ERR_SOCKET') });
  expect(calls).toBe(4);

  calls = 0;
  failNext = 1;
  const commit = buildCommit(key, { parents: [], seq: 1, ts: Date.now(), ops: [{ type: 'post', object: post.id }] });
  expect(
    await nameOf(
      client.putHead(pseudonymOf(key), buildHead(key, { heads: [commit.id], seq: 7, ts: Date.now() }).bytes),
    ),
  ).toBe('Offline');
  expect(calls).toBe(1);
});

test("signed requests name their hub and are signed afresh for each send, an inbox read's retry included", async () => {
  const sent: Headers[] = [];
  let dropAfterSending = 0;
  // The hub receives the request, but the answer is lost: the retry must not be the same signed request.
  const lossy: typeof fetch = async (input, init) => {
    sent.push(new Headers(init?.headers));
    const res = await fetch(input, init);
    if (dropAfterSending-- > 0) throw new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } });
    return res;
  };
  const client = createHubClient(hub.url, lossy);
  dropAfterSending = 1;
  expect(await client.listInbox(author, undefined, sign, Date.now())).toEqual({ notices: [] });
  expect(sent).toHaveLength(2);
  const nonces = sent.map((h) => h.get(AUTH_HEADERS.nonce));
  expect(nonces[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(nonces[1]).toMatch(/^[0-9a-f]{32}$/);
  expect(nonces[0]).not.toBe(nonces[1]);
  expect(sent.map((h) => h.get(AUTH_HEADERS.host))).toEqual([hub.host, hub.host]);

  const post = buildPost({ author, body: 'signed for this hub', ts: Date.now() });
  await client.putBlob(post.id, post.bytes, sign, Date.now());
  expect(sent[2]!.get(AUTH_HEADERS.host)).toBe(hub.host);
});
