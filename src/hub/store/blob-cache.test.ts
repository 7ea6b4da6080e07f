/**
 * The blob cache (blob-cache.ts): least recently used forgotten first by
 * bytes, a blob over the per-blob limit never cached, and every answer a
 * copy, so a caller writing into what it was given changes nothing cached.
 */
import { expect, test } from 'vitest';
import { type ObjectId, hashBytes } from '../../protocol/ids.ts';
import { CachedBlobStore } from './blob-cache.ts';
import type { BlobReader, BlobStore } from './hub-store.ts';
import { MemoryBlobStore } from './memory/blob-store.ts';

function blob(size: number, fill: number): { id: ObjectId; bytes: Uint8Array } {
  const bytes = new Uint8Array(size).fill(fill);
  return { id: hashBytes(bytes) as ObjectId, bytes };
}

/** A memory store that counts the reads that reach it. */
class CountingStore extends MemoryBlobStore {
  reads = 0;
  override async find(id: ObjectId): Promise<Uint8Array | undefined> {
    this.reads++;
    return super.find(id);
  }
  override async openRead(id: ObjectId): Promise<BlobReader | undefined> {
    this.reads++;
    return super.openRead(id);
  }
}

async function readAll(store: BlobStore, id: ObjectId): Promise<Uint8Array> {
  const reader = (await store.openRead(id))!;
  const chunks: Uint8Array[] = [];
  for await (const chunk of reader.chunks) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

test('least recently used is forgotten first, by bytes', async () => {
  const inner = new CountingStore();
  const cache = new CachedBlobStore(inner, { maxBytes: 300, maxBlobBytes: 100 });
  const [a, b, c, d] = [1, 2, 3, 4].map((n) => blob(100, n)) as [ReturnType<typeof blob>, ...ReturnType<typeof blob>[]];
  for (const x of [a, b!, c!]) await cache.put(x.id, x.bytes);
  expect(cache.cachedBytes).toBe(300);
  await cache.find(a.id); // a is now the most recently used: b goes first.
  await cache.put(d!.id, d!.bytes);
  expect(cache.cachedBytes).toBe(300);
  inner.reads = 0;
  expect(await cache.find(a.id)).toEqual(a.bytes);
  expect(await cache.find(c!.id)).toEqual(c!.bytes);
  expect(await cache.find(d!.id)).toEqual(d!.bytes);
  expect(inner.reads).toBe(0);
  expect(await cache.find(b!.id)).toEqual(b!.bytes);
  expect(inner.reads).toBe(1);
});

test('a blob over the per-blob limit is never cached, by put, find or a read', async () => {
  const inner = new CountingStore();
  const cache = new CachedBlobStore(inner, { maxBytes: 1000, maxBlobBytes: 100 });
  const big = blob(101, 7);
  await cache.put(big.id, big.bytes);
  expect(await cache.find(big.id)).toEqual(big.bytes);
  expect(await readAll(cache, big.id)).toEqual(big.bytes);
  expect(cache.cachedBytes).toBe(0);
  expect(inner.reads).toBe(2);
});

test('a blob read through openRead is cached once read whole, then answered without the store', async () => {
  const inner = new CountingStore();
  const small = blob(40_000, 9);
  await inner.put(small.id, small.bytes);
  const cache = new CachedBlobStore(inner, { maxBytes: 100_000, maxBlobBytes: 64 * 1024 });
  expect(await cache.has(small.id)).toBe(true);
  expect(await readAll(cache, small.id)).toEqual(small.bytes);
  expect(cache.cachedBytes).toBe(40_000);
  expect(await readAll(cache, small.id)).toEqual(small.bytes);
  expect(await cache.find(small.id)).toEqual(small.bytes);
  expect(inner.reads).toBe(1);
});

test('answers are copies: writing into them, or into what was put, changes nothing cached', async () => {
  const cache = new CachedBlobStore(new MemoryBlobStore(), { maxBytes: 1000, maxBlobBytes: 100 });
  const x = blob(50, 3);
  const put = x.bytes.slice();
  await cache.put(x.id, put);
  put.fill(0);
  (await cache.find(x.id))!.fill(0);
  const reader = (await cache.openRead(x.id))!;
  for await (const chunk of reader.chunks) chunk.fill(0);
  expect(await cache.find(x.id)).toEqual(x.bytes);
  expect(await readAll(cache, x.id)).toEqual(x.bytes);
});

test('limits that make no sense are refused', () => {
  expect(() => new CachedBlobStore(new MemoryBlobStore(), { maxBytes: 10, maxBlobBytes: 11 })).toThrow(RangeError);
  expect(() => new CachedBlobStore(new MemoryBlobStore(), { maxBytes: 1.5, maxBlobBytes: 1 })).toThrow(RangeError);
});
