/**
 * The S3 blob store against a real S3 service (src/hub/testing/s3-server.ts:
 * a throwaway Ceph radosgw, or MURMUR_TEST_S3): the store contract with the
 * memory store's metadata, then what only S3 shows (racing conditional
 * puts, large bodies, connections given back, refused credentials), and a
 * hub answering blobs from S3 as it does from its files.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { type ObjectId, hashBytes } from '../../../protocol/ids.ts';
import { putBlob, startTestHub } from '../../testing/hub-fixture.ts';
import { openTestBucket } from '../../testing/s3-server.ts';
import { READ_CHUNK_BYTES } from '../../read-buffers.ts';
import { withBlobStore } from '../compose.ts';
import { runHubStoreContract } from '../contract.ts';
import { openMemoryHubStore } from '../memory/memory-hub-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import type { S3Settings } from './s3-url.ts';

/** The first file of a run to ask starts Ceph (~12 s), or waits while another file does. */
const START_MS = 150_000;

let bucket: S3Settings;
beforeAll(async () => {
  bucket = await openTestBucket('murmur-s3-blob-store');
}, START_MS);

let opened = 0;
/** A store over a key prefix of its own in this file's bucket: empty, as every contract case wants. */
async function openStore(): Promise<S3BlobStore> {
  return S3BlobStore.open({ ...bucket, prefix: `case-${++opened}/` });
}

runHubStoreContract('memory metadata, S3 blobs', async (limits) => {
  const blobs = await openStore();
  const store = withBlobStore(openMemoryHubStore(limits), blobs, () => blobs.close());
  return { store, close: () => store.close() };
});

function blobOf(size: number, seed: number): { id: ObjectId; bytes: Uint8Array } {
  const bytes = new Uint8Array(size).map((_, i) => (i * 131 + seed * 7 + (i >> 10)) % 256);
  return { id: hashBytes(bytes), bytes };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'fulfilled';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('S3 blob store', () => {
  test('of concurrent puts of one id exactly one is created, the rest held', async () => {
    const blobs = await openStore();
    try {
      for (let round = 0; round < 3; round++) {
        const { id, bytes } = blobOf(1000, round);
        const outcomes = await Promise.all(Array.from({ length: 8 }, () => blobs.put(id, bytes)));
        expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'held')).toHaveLength(7);
        expect(await blobs.find(id)).toEqual(bytes);
      }
    } finally {
      blobs.close();
    }
  });

  test('a 10 MiB blob round-trips through openRead in chunks of at most READ_CHUNK_BYTES', async () => {
    const blobs = await openStore();
    try {
      const { id, bytes } = blobOf(10 * 1024 * 1024, 1);
      expect(await blobs.put(id, bytes)).toBe('created');
      const reader = (await blobs.openRead(id))!;
      expect(reader.size).toBe(bytes.length);
      const chunks: Uint8Array[] = [];
      for await (const chunk of reader.chunks) {
        expect(chunk.length).toBeGreaterThan(0);
        expect(chunk.length).toBeLessThanOrEqual(READ_CHUNK_BYTES);
        chunks.push(chunk);
      }
      expect(chunks.length).toBeGreaterThanOrEqual(bytes.length / READ_CHUNK_BYTES);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      expect(Buffer.from((await blobs.find(id))!).equals(bytes)).toBe(true);
    } finally {
      blobs.close();
    }
  });

  test('readers closed early give their connections back: after 300 of them a read still answers', async () => {
    const blobs = await openStore();
    try {
      // Bigger than what one read of the socket brings, so a reader that is not drained leaves S3 mid-body.
      const { id, bytes } = blobOf(1024 * 1024, 2);
      await blobs.put(id, bytes);
      // More readers than the store's connection pool (256): one that kept its socket would starve the rest.
      for (let n = 0; n < 300; n++) {
        const reader = (await blobs.openRead(id))!;
        if (n % 2 === 0) {
          // One chunk read, then the reader dropped: the answer's client went away mid-body.
          for await (const chunk of reader.chunks) {
            expect(chunk.length).toBeGreaterThan(0);
            break;
          }
        }
        await reader.close();
      }
      const small = blobOf(10, 3);
      expect(await blobs.put(small.id, small.bytes)).toBe('created');
      expect(await blobs.find(small.id)).toEqual(small.bytes);
      expect(Buffer.from((await blobs.find(id))!).equals(bytes)).toBe(true);
    } finally {
      blobs.close();
    }
  });

  test('refused credentials are StoreUnavailable with S3 answer as the cause, and nothing is stored', async () => {
    const wrong = { ...bucket, secretAccessKey: 'not-the-secret', prefix: 'refused/' };
    const opening = S3BlobStore.open(wrong);
    await expect(opening).rejects.toMatchObject({ name: 'StoreUnavailable', message: expect.stringMatching(/403/) });
    expect(((await opening.catch((e: unknown) => e)) as Error).cause).toMatchObject({ $metadata: {} });
    const blobs = new S3BlobStore(wrong);
    const { id, bytes } = blobOf(100, 4);
    try {
      expect(await outcome(blobs.put(id, bytes))).toBe('StoreUnavailable');
      expect(await outcome(blobs.has(id))).toBe('StoreUnavailable');
      expect(await outcome(blobs.find(id))).toBe('StoreUnavailable');
      expect(await outcome(blobs.openRead(id))).toBe('StoreUnavailable');
    } finally {
      blobs.close();
    }
    const right = await S3BlobStore.open({ ...bucket, prefix: 'refused/' });
    try {
      expect(await right.has(id)).toBe(false);
    } finally {
      right.close();
    }
  });

  test('a bucket that is not there is StoreUnavailable on open and on reads, never an absent blob', async () => {
    const missing = { ...bucket, bucket: `${bucket.bucket}-gone` };
    await expect(S3BlobStore.open(missing)).rejects.toMatchObject({ name: 'StoreUnavailable' });
    const blobs = new S3BlobStore(missing);
    try {
      const { id } = blobOf(10, 5);
      expect(await outcome(blobs.find(id))).toBe('StoreUnavailable');
      expect(await outcome(blobs.openRead(id))).toBe('StoreUnavailable');
    } finally {
      blobs.close();
    }
  });

  test('a service that is down is StoreUnavailable, not an absent blob', async () => {
    const blobs = new S3BlobStore({ ...bucket, endpoint: 'http://127.0.0.1:1' });
    try {
      expect(await outcome(blobs.has(blobOf(10, 6).id))).toBe('StoreUnavailable');
    } finally {
      blobs.close();
    }
  });
});

test('a hub on S3 blobs stores an upload once and answers it with the same caching headers as from files', async () => {
  const blobs = await openStore();
  const testHub = await startTestHub({
    store: async (limits) => withBlobStore(openMemoryHubStore(limits), blobs, () => blobs.close()),
  });
  try {
    const { id, bytes } = blobOf(3 * READ_CHUNK_BYTES + 5, 7);
    expect((await putBlob(testHub.url, id, bytes)).status).toBe(201);
    expect((await putBlob(testHub.url, id, bytes)).status).toBe(200);
    const res = await fetch(`${testHub.url}/v1/blobs/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${id}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const again = await fetch(`${testHub.url}/v1/blobs/${id}`, { headers: { 'if-none-match': `"${id}"` } });
    expect(again.status).toBe(304);
    expect((await fetch(`${testHub.url}/v1/blobs/${blobOf(10, 8).id}`)).status).toBe(404);
    // Stored in the bucket itself, where another hub process on the same settings finds it.
    const other = await S3BlobStore.open({ ...bucket, prefix: `case-${opened}/` });
    try {
      expect(Buffer.from((await other.find(id))!).equals(bytes)).toBe(true);
    } finally {
      other.close();
    }
  } finally {
    await testHub.stop();
  }
});
