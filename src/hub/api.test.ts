/** What every API answer shares: CORS, preflight, unknown routes, wrong methods, and the hub's info. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { LIMITS } from '../protocol/limits.ts';
import { type HubInfo, type HubStatus, MAX_BATCH_IDS, MAX_IDS_PER_REQUEST } from '../protocol/routes.ts';
import { type TestHub, alice, aliceKey, errorName, put, signedHead, startTestHub } from './testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub({ name: 'test hub' });
});
afterEach(() => t.stop());

test('GET /.well-known/murmur.json names the hub, its version and limits', async () => {
  const res = await fetch(`${t.url}/.well-known/murmur.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const info = (await res.json()) as HubInfo;
  expect(info).toEqual({
    name: 'test hub',
    version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    limits: { blobBytes: LIMITS.blobBytes, batchIds: MAX_BATCH_IDS, streamAuthors: MAX_IDS_PER_REQUEST },
  });
});

test('a CORS preflight is answered 204 with the methods and headers clients use', async () => {
  const res = await fetch(`${t.url}/v1/heads/abc`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://app.example',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('access-control-allow-methods')).toBe('GET, PUT, POST, OPTIONS');
  expect(res.headers.get('access-control-allow-headers')).toBe(
    'content-type, last-event-id, murmur-author, murmur-ts, murmur-host, murmur-nonce, murmur-sig',
  );
});

test('unknown API routes are NotFound and wrong methods MethodNotAllowed, as JSON with CORS', async () => {
  const unknown = await fetch(`${t.url}/v1/nothing/here`);
  expect(unknown.headers.get('access-control-allow-origin')).toBe('*');
  expect(await errorName(unknown)).toBe('404 NotFound');
  expect(await errorName(await fetch(`${t.url}/.well-known/nothing`))).toBe('404 NotFound');
  const wrong = await fetch(`${t.url}/v1/blobs/missing`);
  expect(await errorName(wrong)).toBe('405 MethodNotAllowed');
  expect(wrong.headers.get('allow')).toBe('POST');
  expect(await errorName(await fetch(`${t.url}/v1/heads`, { method: 'DELETE' }))).toBe('405 MethodNotAllowed');
});

test('a hub that cannot listen (port taken) fails to start with the reason', async () => {
  await expect(startTestHub({ port: t.hub.port })).rejects.toThrow(/EADDRINUSE/);
});

test('GET /v1/status names the hub, its change log position, open streams and (here, no) peers', async () => {
  await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes);
  const res = await fetch(`${t.url}/v1/status`);
  expect(res.status).toBe(200);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(await res.json()).toEqual<HubStatus>({
    name: 'test hub',
    version: expect.any(String),
    changes: 1,
    streams: 0,
    connections: { open: expect.any(Number), stalled: 0 },
    uptimeSeconds: expect.any(Number),
    peers: [],
    store: { kind: 'files', ok: true },
  });
});
