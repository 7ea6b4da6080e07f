/**
 * Authentication and limits against a real hub: blob uploads must be signed
 * requests; writes are rate limited per pseudonym and per IP (429 with
 * Retry-After); blob bytes count against the first uploader's quota (507);
 * records are size limited. Every refusal stores nothing.
 */
import { afterEach, expect, test } from 'vitest';
import { utf8 } from '../protocol/bytes.ts';
import { hashBytes } from '../protocol/ids.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, newRequestNonce, signRequest } from '../protocol/request-auth.ts';
import { buildSignedUnchecked } from '../protocol/signed.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  putBlob,
  signedClaim,
  signedFetch,
  signedHead,
  signedNotice,
  startTestHub,
} from './testing/hub-fixture.ts';

let t: TestHub;
afterEach(() => t.stop());

const blob = (text: string) => ({ bytes: utf8(text), id: hashBytes(utf8(text)) });
const held = async (id: string) => (await fetch(`${t.url}/v1/blobs/${id}`)).status === 200;
const headSeq = async (author: string) =>
  ((await (await fetch(`${t.url}/v1/heads?authors=${author}`)).json()) as { heads: Record<string, { seq: number }> })
    .heads[author]?.seq;

test('PUT /v1/blobs/:id must be a signed request of these very bytes, path and time', async () => {
  t = await startTestHub();
  const { bytes, id } = blob('signed or nothing');
  const url = `${t.url}/v1/blobs/${id}`;
  const path = `/v1/blobs/${id}`;
  expect(await errorName(await put(url, bytes))).toBe('401 Unauthenticated');
  expect(
    await errorName(
      await put(url, bytes, { [AUTH_HEADERS.author]: alice, [AUTH_HEADERS.ts]: 'soon', [AUTH_HEADERS.sig]: 'ab' }),
    ),
  ).toBe('401 Unauthenticated');
  for (const off of [-REQUEST_SKEW_MS - 5000, REQUEST_SKEW_MS + 5000]) {
    expect(await errorName(await signedFetch(url, { method: 'PUT', body: bytes }, aliceKey, Date.now() + off))).toBe(
      '401 ClockSkew',
    );
  }
  const host = new URL(t.url).host;
  const signedOther = signRequest(aliceKey, {
    method: 'PUT',
    path,
    body: utf8('other bytes'),
    ts: Date.now(),
    host,
    nonce: newRequestNonce(),
  });
  expect(await errorName(await put(url, bytes, signedOther))).toBe('403 BadSignature');
  const signedQuery = signRequest(aliceKey, {
    method: 'PUT',
    path: `${path}?x=1`,
    body: bytes,
    ts: Date.now(),
    host,
    nonce: newRequestNonce(),
  });
  expect(await errorName(await put(url, bytes, signedQuery))).toBe('403 BadSignature');
  const good = signRequest(aliceKey, {
    method: 'PUT',
    path,
    body: bytes,
    ts: Date.now(),
    host,
    nonce: newRequestNonce(),
  });
  expect(await errorName(await put(url, bytes, { ...good, [AUTH_HEADERS.author]: bob }))).toBe('403 BadSignature');
  expect(await held(id)).toBe(false);
  expect((await put(url, bytes, good)).status).toBe(201);
  expect(await held(id)).toBe(true);
});

test('an unsigned upload is refused before its body is read (Unauthenticated, not TooLarge)', async () => {
  t = await startTestHub({ limits: { blobBytes: 1024 } });
  const { bytes, id } = blob('x'.repeat(64 * 1024));
  expect(await errorName(await put(`${t.url}/v1/blobs/${id}`, bytes))).toBe('401 Unauthenticated');
  expect(await errorName(await putBlob(t.url, id, bytes))).toBe('413 TooLarge');
});

test("writes past a pseudonym's rate: RateLimited, Retry-After; others, forgeries spend none of it", async () => {
  t = await startTestHub({ limits: { perPseudonym: { perSecond: 0.5, burst: 3 } } });
  // Forged heads in alice's name are refused before they could take her tokens.
  const forged = {
    type: 'head',
    author: alice,
    heads: signedHead(aliceKey, 9).head.head.heads,
    seq: 9,
    ts: Date.now(),
  };
  for (let i = 0; i < 5; i++)
    expect(await errorName(await put(`${t.url}/v1/heads/${alice}`, buildSignedUnchecked(forged, bobKey)))).toBe(
      '403 BadSignature',
    );
  for (const seq of [1, 2, 3])
    expect((await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, seq).head.bytes)).status).toBe(200);
  const refused = await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 4).head.bytes);
  expect(refused.headers.get('retry-after')).toBe('2');
  expect(refused.headers.get('access-control-expose-headers')).toBe('retry-after');
  expect(await errorName(refused)).toBe('429 RateLimited');
  expect(await headSeq(alice)).toBe(3);
  // Every kind of write counts: a blob, a claim and a notice signed by alice are refused too.
  const { bytes, id } = blob('late');
  expect(await errorName(await putBlob(t.url, id, bytes))).toBe('429 RateLimited');
  expect(await errorName(await put(`${t.url}/v1/handles/alice`, signedClaim(aliceKey, 'alice', t.host).bytes))).toBe(
    '429 RateLimited',
  );
  expect(
    await errorName(
      await fetch(`${t.url}/v1/inbox/${bob}`, { method: 'POST', body: signedNotice(aliceKey, bob).bytes as BodyInit }),
    ),
  ).toBe('429 RateLimited');
  expect(await held(id)).toBe(false);
  expect((await put(`${t.url}/v1/heads/${bob}`, signedHead(bobKey, 1).head.bytes)).status).toBe(200);
});

test("writes past an IP address's rate are RateLimited whoever signs them; reads are not", async () => {
  t = await startTestHub({ limits: { perIp: { perSecond: 0.2, burst: 2 } } });
  expect((await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes)).status).toBe(200);
  expect((await put(`${t.url}/v1/handles/bob`, signedClaim(bobKey, 'bob', t.host).bytes)).status).toBe(201);
  const refused = await fetch(`${t.url}/v1/inbox/${alice}`, {
    method: 'POST',
    body: signedNotice(bobKey, alice).bytes as BodyInit,
  });
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(await errorName(refused)).toBe('429 RateLimited');
  expect((await signedFetch(`${t.url}/v1/inbox/${alice}`)).status).toBe(200);
  expect(await headSeq(alice)).toBe(1);
});

test("blob bytes count against the first uploader's quota, across restarts", async () => {
  t = await startTestHub({ limits: { quotaBytes: 100 } });
  const first = blob('a'.repeat(60));
  const second = blob('b'.repeat(60));
  expect((await putBlob(t.url, first.id, first.bytes)).status).toBe(201);
  const refused = await putBlob(t.url, second.id, second.bytes);
  expect(await errorName(refused)).toBe('507 QuotaExceeded');
  expect(await held(second.id)).toBe(false);
  // Sending again what one already stored costs nothing.
  expect((await putBlob(t.url, first.id, first.bytes)).status).toBe(200);
  // Bob is charged nothing for alice's blob, so he still has room for the second.
  expect((await putBlob(t.url, first.id, first.bytes, bobKey)).status).toBe(200);
  expect((await putBlob(t.url, second.id, second.bytes, bobKey)).status).toBe(201);

  t = await t.restart();
  const third = blob('c'.repeat(60));
  expect(await errorName(await putBlob(t.url, third.id, third.bytes))).toBe('507 QuotaExceeded');
  expect(await errorName(await putBlob(t.url, third.id, third.bytes, bobKey))).toBe('507 QuotaExceeded');
  expect(await held(third.id)).toBe(false);
});

test('heads, claims and notices past the record limit are TooLarge', async () => {
  t = await startTestHub({ limits: { recordBytes: 256 } });
  expect(await errorName(await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes))).toBe(
    '413 TooLarge',
  );
  expect(await errorName(await put(`${t.url}/v1/handles/alice`, signedClaim(aliceKey, 'alice', t.host).bytes))).toBe(
    '413 TooLarge',
  );
  expect(
    await errorName(
      await fetch(`${t.url}/v1/inbox/${bob}`, { method: 'POST', body: signedNotice(aliceKey, bob).bytes as BodyInit }),
    ),
  ).toBe('413 TooLarge');
  expect(await headSeq(alice)).toBeUndefined();
});
