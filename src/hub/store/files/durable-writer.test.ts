/**
 * DurableWriter (durable-writer.ts) on a real folder: concurrent writes land
 * whole under their names, nothing is left in tmp/, the last write to a path
 * wins, and a write that cannot be completed rejects (with its batch).
 */
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { DurableWriter } from './durable-writer.ts';

let dir: string;
let tmp: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-durable-writer-'));
  tmp = join(dir, 'tmp');
  await Promise.all([mkdir(tmp), mkdir(join(dir, 'a')), mkdir(join(dir, 'b'))]);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const bytesOf = (text: string) => new TextEncoder().encode(text);

test('concurrent writes into several folders land whole, and tmp/ is left empty', async () => {
  const writer = new DurableWriter(tmp);
  const names = Array.from({ length: 100 }, (_, i) => join(dir, i % 2 ? 'a' : 'b', `file-${i}`));
  await Promise.all(names.map((path, i) => writer.write(path, bytesOf(`bytes of ${i} `.repeat(i)))));
  for (const [i, path] of names.entries()) expect(await readFile(path, 'utf8')).toBe(`bytes of ${i} `.repeat(i));
  expect(await readdir(tmp)).toEqual([]);
  await writer.close();
});

test('two writes to one path at once leave the later one in place', async () => {
  const writer = new DurableWriter(tmp);
  const path = join(dir, 'a', 'cursor');
  await Promise.all([writer.write(path, bytesOf('first')), writer.write(path, bytesOf('second'))]);
  expect(await readFile(path, 'utf8')).toBe('second');
  expect(await readdir(tmp)).toEqual([]);
});

test('the later call stays in place even when its file is written first (a long write, then a short one)', async () => {
  const writer = new DurableWriter(tmp);
  const path = join(dir, 'a', 'cursor');
  const long = new Uint8Array(32 * 1024 * 1024).fill(7);
  await Promise.all([writer.write(path, long), writer.write(path, bytesOf('second'))]);
  expect(await readFile(path, 'utf8')).toBe('second');
  expect(await readdir(tmp)).toEqual([]);
});

test('a write that cannot be completed rejects with every write of its batch, and leaves tmp/ empty', async () => {
  const writer = new DurableWriter(tmp);
  const fine = join(dir, 'a', 'fine');
  const [first, doomed] = await Promise.allSettled([
    writer.write(fine, bytesOf('fine')),
    // Its folder does not exist: the rename fails, so its batch cannot be made durable as a whole.
    writer.write(join(dir, 'missing', 'doomed'), bytesOf('doomed')),
  ]);
  expect(doomed.status).toBe('rejected');
  // The two share a batch unless the first file was written a turn sooner (group-commit.test.ts pins the batching
  // down): rejected with it, or acknowledged on its own and then in place.
  if (first.status === 'fulfilled') expect(await readFile(fine, 'utf8')).toBe('fine');
  expect(await readdir(tmp)).toEqual([]);
  // A later batch is not held back by the failed one.
  await writer.write(join(dir, 'b', 'after'), bytesOf('after'));
  expect(await readFile(join(dir, 'b', 'after'), 'utf8')).toBe('after');
});
