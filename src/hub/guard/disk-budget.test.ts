/**
 * Storage budgets against a real hub: bytes stored from one client address
 * are bounded whatever keys sign them (AddressQuotaExceeded), the whole hub is
 * bounded (HubFull, reads go on), both refuse before storing anything, and
 * both hold across restarts. Requests from a second address leave from
 * 127.0.0.2 (all of 127/8 is loopback on Linux).
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { utf8 } from '../../protocol/bytes.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { hashBytes } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { newRequestNonce, signRequest } from '../../protocol/request-auth.ts';
import { FileBlobStore } from '../store/files/blob-store.ts';
import { CountingDiskMeter, MeteredBlobStore } from '../store/disk-meter.ts';
import { growFeed, pushFeed } from '../testing/feed-fixture.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  errorName,
  headsOf,
  postJson,
  put,
  putBlob,
  signedClaim,
  signedHead,
  signedNotice,
  startTestHub,
  statusOf,
  waitFor,
} from '../testing/hub-fixture.ts';

let t: TestHub | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const blob = (text: string) => ({ bytes: utf8(text), id: hashBytes(utf8(text)) });
const freshKey = (n: number) => secretKeyFrom(new Uint8Array(32).fill(100 + n));
const held = async (id: string) => (await fetch(`${t!.url}/v1/blobs/${id}`)).status === 200;
const headSeq = async (author: string) =>
  ((await (await fetch(`${t!.url}/v1/heads?authors=${author}`)).json()) as { heads: Record<string, { seq: number }> })
    .heads[author]?.seq;
const postNotice = (body: Uint8Array) => fetch(`${t!.url}/v1/inbox/${bob}`, { method: 'POST', body: body as BodyInit });

/** A signed blob upload sent from the local address `from`, answered as a fetch Response. */
function putBlobFrom(from: string, hubUrl: string, id: string, bytes: Uint8Array, key: SecretKey): Promise<Response> {
  const url = new URL(`${hubUrl}/v1/blobs/${id}`);
  const headers = signRequest(key, {
    method: 'PUT',
    path: url.pathname,
    body: bytes,
    ts: Date.now(),
    host: url.host,
    nonce: newRequestNonce(),
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'PUT',
        localAddress: from,
        headers: { ...headers, 'content-length': bytes.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode })));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

/** Bytes of the files under a hub's data folder (tmp/ left out: it is emptied at start). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'tmp') total += await folderBytes(path);
    else if (e.isFile()) total += (await stat(path)).size;
  }
  return total;
}

test('fresh keys from one address exhaust its budget, then store nothing; others write; across a restart', async () => {
  t = await startTestHub({ limits: { addressBytes: 300 } });
  const blobs = Array.from({ length: 5 }, (_, i) => blob(String(i).repeat(100)));
  // Each key is new, so no pseudonym quota is near; the address pays for all of them.
  for (const i of [0, 1, 2])
    expect((await putBlob(t.url, blobs[i]!.id, blobs[i]!.bytes, freshKey(i))).status).toBe(201);
  expect(await errorName(await putBlob(t.url, blobs[3]!.id, blobs[3]!.bytes, freshKey(3)))).toBe(
    '507 AddressQuotaExceeded',
  );
  expect(await held(blobs[3]!.id)).toBe(false);
  // Heads, claims and notices take disk too.
  const key = freshKey(4);
  expect(await errorName(await put(`${t.url}/v1/heads/${pseudonymOf(key)}`, signedHead(key, 1).head.bytes))).toBe(
    '507 AddressQuotaExceeded',
  );
  expect(await headSeq(pseudonymOf(key))).toBeUndefined();
  expect(await errorName(await put(`${t.url}/v1/handles/fresh`, signedClaim(key, 'fresh', t.host).bytes))).toBe(
    '507 AddressQuotaExceeded',
  );
  expect((await fetch(`${t.url}/.well-known/webfinger?resource=acct:fresh@${t.host}`)).status).toBe(404);
  expect(await errorName(await postNotice(signedNotice(key, bob).bytes))).toBe('507 AddressQuotaExceeded');
  // Bytes already held cost nothing, whoever sends them again.
  expect((await putBlob(t.url, blobs[0]!.id, blobs[0]!.bytes, freshKey(5))).status).toBe(200);
  // Another address has its own budget.
  expect((await putBlobFrom('127.0.0.2', t.url, blobs[3]!.id, blobs[3]!.bytes, freshKey(3))).status).toBe(201);
  expect(await held(blobs[3]!.id)).toBe(true);

  t = await t.restart();
  expect(await errorName(await putBlob(t.url, blobs[4]!.id, blobs[4]!.bytes, freshKey(6)))).toBe(
    '507 AddressQuotaExceeded',
  );
  expect(await held(blobs[4]!.id)).toBe(false);
  expect((await putBlobFrom('127.0.0.2', t.url, blobs[4]!.id, blobs[4]!.bytes, freshKey(6))).status).toBe(201);
  // 127.0.0.2 has stored 200 of its 300 bytes.
  const over = blob('z'.repeat(101));
  expect(await errorName(await putBlobFrom('127.0.0.2', t.url, over.id, over.bytes, freshKey(7)))).toBe(
    '507 AddressQuotaExceeded',
  );
  expect(await held(over.id)).toBe(false);
});

test('a write refused once charged (StaleHead) or storing nothing new (a notice again) is refunded', async () => {
  const heads = [1, 2, 3, 4].map((seq) => signedHead(aliceKey, seq).head.bytes);
  const size = heads[0]!.length;
  expect(heads.map((h) => h.length)).toEqual([size, size, size, size]);
  const notice = signedNotice(aliceKey, bob).bytes;
  t = await startTestHub({ limits: { addressBytes: 3 * size + notice.length } });
  const putHead = (seq: number) => put(`${t!.url}/v1/heads/${alice}`, heads[seq - 1]!);
  expect((await postNotice(notice)).status).toBe(201);
  expect((await postNotice(notice)).status).toBe(200);
  expect((await putHead(1)).status).toBe(200);
  expect(await errorName(await putHead(1))).toBe('409 StaleHead');

  t = await t.restart();
  expect((await putHead(2)).status).toBe(200);
  expect((await putHead(3)).status).toBe(200);
  expect(await errorName(await putHead(4))).toBe('507 AddressQuotaExceeded');
  expect(await headSeq(alice)).toBe(3);
});

test('past its disk budget a hub refuses all writes (HubFull), stores nothing; reads go on; restarts', async () => {
  t = await startTestHub({ limits: { diskBytes: 250 } });
  const big = blob('a'.repeat(200));
  const small = blob('b'.repeat(51));
  expect((await putBlob(t.url, big.id, big.bytes)).status).toBe(201);
  expect(await errorName(await putBlob(t.url, small.id, small.bytes))).toBe('507 HubFull');
  expect(await errorName(await putBlobFrom('127.0.0.2', t.url, small.id, small.bytes, freshKey(1)))).toBe(
    '507 HubFull',
  );
  expect(await held(small.id)).toBe(false);
  expect(await errorName(await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes))).toBe(
    '507 HubFull',
  );
  expect(await headSeq(alice)).toBeUndefined();
  expect(await errorName(await put(`${t.url}/v1/handles/alice`, signedClaim(aliceKey, 'alice', t.host).bytes))).toBe(
    '507 HubFull',
  );
  expect(await errorName(await postNotice(signedNotice(aliceKey, bob).bytes))).toBe('507 HubFull');
  // Reads, and a blob already held, go on.
  expect(new Uint8Array(await (await fetch(`${t.url}/v1/blobs/${big.id}`)).arrayBuffer())).toEqual(big.bytes);
  expect(await (await postJson(`${t.url}/v1/blobs/missing`, { ids: [big.id, small.id] })).json()).toEqual({
    missing: [small.id],
  });
  expect((await putBlob(t.url, big.id, big.bytes, freshKey(2))).status).toBe(200);

  t = await t.restart();
  expect(await errorName(await putBlob(t.url, small.id, small.bytes))).toBe('507 HubFull');
  expect(await held(small.id)).toBe(false);
  expect(await held(big.id)).toBe(true);
});

test('after a restart the hub-wide total is what the folder holds, a blob a crash left uncounted too', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-hub-test-'));
  t = await startTestHub({ dataDir });
  const first = blob('c'.repeat(100));
  expect((await putBlob(t.url, first.id, first.bytes)).status).toBe(201);
  expect((await put(`${t.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes)).status).toBe(200);
  await t.hub.close();
  // As kill -9 would leave it: the blob renamed into place, its charges never written.
  const orphan = blob('d'.repeat(300));
  await mkdir(join(dataDir, 'blobs', orphan.id.slice(0, 2)), { recursive: true });
  await writeFile(join(dataDir, 'blobs', orphan.id.slice(0, 2), orphan.id), orphan.bytes);
  const onDisk = await folderBytes(dataDir);
  expect(onDisk).toBeGreaterThan(400);

  t = await startTestHub({ dataDir, limits: { diskBytes: onDisk + 10 } });
  const fits = blob('e'.repeat(10));
  const over = blob('f');
  expect((await putBlob(t.url, fits.id, fits.bytes)).status).toBe(201);
  expect(await errorName(await putBlob(t.url, over.id, over.bytes))).toBe('507 HubFull');
  expect(await held(orphan.id)).toBe(true);
});

test('mirrored blobs pass the meter: past it a plain Error (retried), not HubFull (skips the head)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-meter-'));
  try {
    const inner = await FileBlobStore.open(join(dir, 'blobs'), dir);
    const meter = new CountingDiskMeter(100, 30);
    const store = new MeteredBlobStore(inner, meter);
    const fits = blob('g'.repeat(70));
    const over = blob('h');
    expect(await store.put(fits.id, fits.bytes)).toBe('created');
    expect(await meter.used()).toBe(100);
    expect(await store.put(fits.id, fits.bytes)).toBe('held');
    const refused = await store.put(over.id, over.bytes).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(ProtocolError);
    expect((refused as Error).message).toMatch(/cannot take 1 more/);
    expect(await inner.has(over.id)).toBe(false);
    expect(await meter.used()).toBe(100);
    await inner.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a full hub mirrors nothing more, and takes the peer's head once it has room (retried, not skipped)", async () => {
  const source = await startTestHub();
  let mirror: TestHub | undefined;
  try {
    const feed = growFeed(aliceKey, undefined, 3);
    await pushFeed(source.url, feed);
    const options = { peers: [source.url], mirrorTiming: { retryMinMs: 20, retryMaxMs: 200, pollMs: 60_000 } };
    mirror = await startTestHub({ ...options, limits: { diskBytes: 1 } });
    const peer = async () => (await statusOf(mirror!.url)).peers[0]!;
    await waitFor(
      'the mirror to meet its full disk',
      async () => (await peer()).lastError?.message.includes('cannot take') ?? false,
    );
    expect(await headsOf(mirror.url, [alice])).toEqual({});
    expect((await peer()).refused).toBe(0);
    for (const b of feed.commits) expect((await fetch(`${mirror.url}/v1/blobs/${b.id}`)).status).toBe(404);

    await mirror.hub.close();
    mirror = await startTestHub({ ...options, dataDir: mirror.dataDir, limits: { diskBytes: 0 } });
    await waitFor(
      'the backfill once there is room',
      async () => (await headsOf(mirror!.url, [alice]))[alice]?.seq === 3,
    );
  } finally {
    await mirror?.stop();
    await source.stop();
  }
});
