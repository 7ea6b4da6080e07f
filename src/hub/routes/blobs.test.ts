/** Blob routes against a real hub: put, get, missing, batch and each refusal. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { decodeBlobBatch } from '../../protocol/batch.ts';
import { utf8 } from '../../protocol/bytes.ts';
import { hashBytes } from '../../protocol/ids.ts';
import { MAX_BATCH_IDS } from '../../protocol/routes.ts';
import { type TestHub, errorName, postJson, putBlob, startTestHub } from '../testing/hub-fixture.ts';

const hello = utf8('hello murmur');
const helloId = hashBytes(hello);
const otherId = hashBytes(utf8('never uploaded'));

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub({ limits: { blobBytes: 4 * 1024 * 1024 } });
});
afterEach(() => t.stop());

describe('PUT /v1/blobs/:id', () => {
  test('stores new bytes (201), then answers 200 for the same bytes', async () => {
    const first = await putBlob(t.url, helloId, hello);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: helloId });
    const again = await putBlob(t.url, helloId, hello);
    expect(again.status).toBe(200);
  });

  test('refuses bytes that do not hash to the id, storing nothing', async () => {
    const res = await putBlob(t.url, otherId, hello);
    expect(await errorName(res)).toBe('422 HashMismatch');
    expect((await fetch(`${t.url}/v1/blobs/${otherId}`)).status).toBe(404);
    expect((await fetch(`${t.url}/v1/blobs/${helloId}`)).status).toBe(404);
  });

  test('refuses a malformed id', async () => {
    const res = await putBlob(t.url, helloId.toUpperCase(), hello);
    expect(await errorName(res)).toBe('400 MalformedId');
    expect((await fetch(`${t.url}/v1/blobs/${helloId}`)).status).toBe(404);
  });

  test('refuses a blob over the size limit, storing nothing', async () => {
    const big = new Uint8Array(4 * 1024 * 1024 + 1).fill(7);
    const id = hashBytes(big);
    const res = await putBlob(t.url, id, big);
    expect(await errorName(res)).toBe('413 TooLarge');
    expect((await fetch(`${t.url}/v1/blobs/${id}`)).status).toBe(404);
    // Exactly at the limit is fine.
    const max = big.subarray(1);
    expect((await putBlob(t.url, hashBytes(max), max)).status).toBe(201);
  });
});

describe('GET /v1/blobs/:id', () => {
  test('answers the bytes, immutable and cacheable under their id', async () => {
    await putBlob(t.url, helloId, hello);
    const res = await fetch(`${t.url}/v1/blobs/${helloId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('etag')).toBe(`"${helloId}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    // Any bytes may be a blob: a browser must not sniff them into HTML or script.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(hello);
  });

  test('answers 304 to If-None-Match with its id', async () => {
    await putBlob(t.url, helloId, hello);
    const res = await fetch(`${t.url}/v1/blobs/${helloId}`, { headers: { 'if-none-match': `"${helloId}"` } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(`"${helloId}"`);
  });

  test('answers NotFound for a blob not held (even with If-None-Match) and MalformedId for a bad id', async () => {
    expect(await errorName(await fetch(`${t.url}/v1/blobs/${otherId}`))).toBe('404 NotFound');
    expect(await errorName(await fetch(`${t.url}/v1/blobs/${otherId}`, { headers: { 'if-none-match': '*' } }))).toBe(
      '404 NotFound',
    );
    const bad = await fetch(`${t.url}/v1/blobs/abc`);
    expect(bad.headers.get('x-content-type-options')).toBe('nosniff'); // JSON answers too
    expect(await errorName(bad)).toBe('400 MalformedId');
  });
});

describe('POST /v1/blobs/missing', () => {
  test('names the ids the hub lacks, in the order asked', async () => {
    await putBlob(t.url, helloId, hello);
    const res = await postJson(`${t.url}/v1/blobs/missing`, { ids: [otherId, helloId] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ missing: [otherId] });
  });

  test('refuses bad JSON, a body without ids, a malformed id and too many ids', async () => {
    const url = `${t.url}/v1/blobs/missing`;
    expect(await errorName(await fetch(url, { method: 'POST', body: '{"ids":[' }))).toBe('400 DecodeError');
    expect(await errorName(await postJson(url, { id: [] }))).toBe('400 DecodeError');
    expect(await errorName(await postJson(url, { ids: ['nope'] }))).toBe('400 MalformedId');
    const many = Array.from({ length: MAX_BATCH_IDS + 1 }, (_, i) => hashBytes(utf8(String(i))));
    expect(await errorName(await postJson(url, { ids: many }))).toBe('413 TooLarge');
    expect((await postJson(url, { ids: many.slice(1) })).status).toBe(200);
  });
});

describe('POST /v1/blobs/batch', () => {
  test('answers frames of the blobs held, leaving out the others', async () => {
    const world = utf8('world');
    await putBlob(t.url, helloId, hello);
    await putBlob(t.url, hashBytes(world), world);
    const res = await postJson(`${t.url}/v1/blobs/batch`, { ids: [helloId, otherId, hashBytes(world)] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const entries = decodeBlobBatch(new Uint8Array(await res.arrayBuffer()));
    expect(entries.map((e) => e.id)).toEqual([helloId, hashBytes(world)]);
    expect(entries[0]!.bytes).toEqual(hello);
    expect(entries[1]!.bytes).toEqual(world);
  });

  test('stops near 8 MiB; the client asks again for the rest', async () => {
    const blobs = [1, 2, 3].map((n) => new Uint8Array(3 * 1024 * 1024).fill(n));
    for (const b of blobs) expect((await putBlob(t.url, hashBytes(b), b)).status).toBe(201);
    const ids = blobs.map(hashBytes);
    const first = decodeBlobBatch(
      new Uint8Array(await (await postJson(`${t.url}/v1/blobs/batch`, { ids })).arrayBuffer()),
    );
    expect(first.map((e) => e.id)).toEqual(ids.slice(0, 2));
    const rest = decodeBlobBatch(
      new Uint8Array(await (await postJson(`${t.url}/v1/blobs/batch`, { ids: ids.slice(2) })).arrayBuffer()),
    );
    expect(rest.map((e) => e.id)).toEqual(ids.slice(2));
    expect(hashBytes(rest[0]!.bytes)).toBe(ids[2]); // (toEqual on megabytes is slow)
  });

  test('read cold from the store (after a restart), every blob comes back whole, in the order asked', async () => {
    // Over two of the route's prefetch windows: small blobs (read from segments, neighbours together), one
    // over 64 KiB (a file of its own), ids not held, and one id asked twice.
    const blobs = Array.from({ length: 300 }, (_, i) => utf8(`blob ${i} `.repeat(1 + (i % 40))));
    blobs.splice(150, 0, new Uint8Array(100 * 1024).fill(9));
    for (let i = 0; i < blobs.length; i += 50)
      await Promise.all(blobs.slice(i, i + 50).map((b) => putBlob(t.url, hashBytes(b), b)));
    t = await t.restart();
    const ids = blobs.map(hashBytes);
    const asked = [otherId, ...ids.slice(0, 200), ids[3]!, hashBytes(utf8('not held')), ...ids.slice(200)];
    const res = await postJson(`${t.url}/v1/blobs/batch`, { ids: asked });
    const entries = decodeBlobBatch(new Uint8Array(await res.arrayBuffer()));
    expect(entries.map((e) => e.id)).toEqual(ids); // an id asked twice is answered once (id-lists.ts)
    for (const e of entries) expect(hashBytes(e.bytes)).toBe(e.id);
  });

  test('refuses bad JSON, a malformed id and too many ids', async () => {
    const url = `${t.url}/v1/blobs/batch`;
    expect(await errorName(await fetch(url, { method: 'POST', body: 'ids' }))).toBe('400 DecodeError');
    expect(await errorName(await postJson(url, { ids: [helloId, 'x'] }))).toBe('400 MalformedId');
    const many = Array.from({ length: MAX_BATCH_IDS + 1 }, (_, i) => hashBytes(utf8(String(i))));
    expect(await errorName(await postJson(url, { ids: many }))).toBe('413 TooLarge');
  });
});
