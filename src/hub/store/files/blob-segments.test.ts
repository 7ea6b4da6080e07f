/**
 * Blob segments on a real disk: what an open finds after a clean close, after
 * a crash cut a record short, after sealing, and when acknowledged bytes are
 * damaged (CorruptStore, nothing changed). A crash of the whole hub under
 * load is crash.test.ts.
 */
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type ObjectId, hashBytes } from '../../../protocol/ids.ts';
import { CorruptStore } from '../store-errors.ts';
import { BlobSegments } from './blob-segments.ts';
import { recordHeader } from './segment-format.ts';

let root: string;
let dir: string;
let opened: BlobSegments[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'murmur-segments-'));
  dir = join(root, 'segments');
  opened = [];
});
afterEach(async () => {
  await Promise.allSettled(opened.map((s) => s.close()));
  await rm(root, { recursive: true, force: true });
});

async function openSegments(segmentBytes?: number): Promise<BlobSegments> {
  const segments = await BlobSegments.open(dir, root, segmentBytes);
  opened.push(segments);
  return segments;
}

function blob(text: string): { id: ObjectId; bytes: Uint8Array } {
  const bytes = new TextEncoder().encode(text);
  return { id: hashBytes(bytes), bytes };
}

const segmentPath = (n: number) => join(dir, `${String(n).padStart(8, '0')}.seg`);

test('blobs put together are held after a reopen; a second put of the same bytes is held, even in flight', async () => {
  const a = await openSegments();
  const blobs = Array.from({ length: 40 }, (_, i) => blob(`blob ${i}`));
  const outcomes = await Promise.all([...blobs, blobs[0]!].map((b) => a.put(b.id, b.bytes)));
  expect(outcomes.filter((o) => o === 'created')).toHaveLength(40);
  expect(outcomes.at(-1)).toBe('held');
  expect(await a.put(blobs[1]!.id, blobs[1]!.bytes)).toBe('held');
  await a.close();

  const b = await openSegments();
  for (const { id, bytes } of blobs) {
    expect(b.has(id)).toBe(true);
    expect(await b.find(id)).toEqual(Buffer.from(bytes));
  }
  expect(b.has(blob('never put').id)).toBe(false);
  expect(await b.find(blob('never put').id)).toBeUndefined();
});

test('a record cut short by a crash, or not hashing to its id, is cut off at open; later puts follow it', async () => {
  const a = await openSegments();
  const kept = blob('acknowledged');
  await a.put(kept.id, kept.bytes);
  await a.close();
  const before = (await stat(segmentPath(1))).size;
  const torn = blob('never acknowledged');
  await appendFile(
    segmentPath(1),
    Buffer.concat([recordHeader(torn.id, torn.bytes.length), torn.bytes.subarray(0, 5)]),
  );

  let b = await openSegments();
  expect((await stat(segmentPath(1))).size).toBe(before);
  expect(b.has(torn.id)).toBe(false);
  const next = blob('after the crash');
  await b.put(next.id, next.bytes);
  await b.close();
  const lying = Buffer.concat([recordHeader(blob('other').id, 4), Buffer.from('lies')]);
  await appendFile(segmentPath(1), lying);

  b = await openSegments();
  expect(await b.find(kept.id)).toEqual(Buffer.from(kept.bytes));
  expect(await b.find(next.id)).toEqual(Buffer.from(next.bytes));
  expect(b.has(blob('other').id)).toBe(false);
});

test('a full segment is sealed with its hints and the next begun; every blob reads back across segments', async () => {
  const a = await openSegments(100);
  const blobs = Array.from({ length: 12 }, (_, i) => blob(`a blob of some forty bytes, number ${i}`));
  for (const b of blobs) await a.put(b.id, b.bytes);
  const names = await readdir(dir);
  expect(names.filter((n) => n.endsWith('.seg')).length).toBeGreaterThan(3);
  expect(names.filter((n) => n.endsWith('.hint'))).toHaveLength(names.filter((n) => n.endsWith('.seg')).length - 1);
  for (const b of blobs) expect(await a.find(b.id)).toEqual(Buffer.from(b.bytes));
  await a.close();

  const b = await openSegments(100);
  for (const x of blobs) expect(await b.find(x.id)).toEqual(Buffer.from(x.bytes));
});

test('findMany reads blobs of sealed and active segments together, each in a buffer of its own', async () => {
  const a = await openSegments(400);
  const blobs = Array.from({ length: 30 }, (_, i) => blob(`a blob of some forty bytes, number ${i}`));
  for (const b of blobs) await a.put(b.id, b.bytes);
  const unknown = blob('never stored').id;
  const asked = [blobs[29]!.id, unknown, ...blobs.map((b) => b.id), blobs[0]!.id];
  const found = await a.findMany(asked);
  expect([...found.keys()].sort()).toEqual(blobs.map((b) => b.id).sort());
  for (const b of blobs) {
    const bytes = found.get(b.id)!;
    expect(bytes).toEqual(Buffer.from(b.bytes));
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
  }
});

test('a sealed segment whose hints were never written gets them at open', async () => {
  const a = await openSegments(100);
  const blobs = Array.from({ length: 6 }, (_, i) => blob(`a blob of some forty bytes, number ${i}`));
  for (const b of blobs) await a.put(b.id, b.bytes);
  await a.close();
  await rm(join(dir, '00000001.hint'));

  const b = await openSegments(100);
  expect(await readdir(dir)).toContain('00000001.hint');
  for (const x of blobs) expect(await b.find(x.id)).toEqual(Buffer.from(x.bytes));
});

test('damage in a sealed segment or its hints is CorruptStore, and the open changes nothing', async () => {
  const a = await openSegments(100);
  for (let i = 0; i < 6; i++)
    await a.put(
      blob(`a blob of some forty bytes, number ${i}`).id,
      blob(`a blob of some forty bytes, number ${i}`).bytes,
    );
  await a.close();
  const hints = await readFile(join(dir, '00000001.hint'));

  await writeFile(join(dir, '00000001.hint'), hints.subarray(0, 7));
  await expect(BlobSegments.open(dir, root, 100)).rejects.toThrow(CorruptStore);
  await expect(BlobSegments.open(dir, root, 100)).rejects.toThrow(/00000001\.hint: 7 bytes/);

  // Without its hints a sealed segment is read whole: a flipped byte there was acknowledged, so it is not cut off.
  await rm(join(dir, '00000001.hint'));
  const sealed = await readFile(segmentPath(1));
  sealed[sealed.length - 1]! ^= 1;
  await writeFile(segmentPath(1), sealed);
  const files = await readdir(dir);
  await expect(BlobSegments.open(dir, root, 100)).rejects.toThrow(/00000001\.seg: a record whose bytes do not hash/);
  expect(await readdir(dir)).toEqual(files);
  expect(await readFile(segmentPath(1))).toEqual(sealed);
});
