/**
 * Answers read bounded as they arrive (moved from src/hub/mirror/peer-read.test.ts with the code;
 * the errors are now the client's names).
 */
import { expect, test } from 'vitest';
import { encodeBlobBatch } from '../protocol/batch.ts';
import type { ObjectId } from '../protocol/ids.ts';
import { checkBatchFrames, readBounded } from './bounded-read.ts';
import { HubError } from './errors.ts';

const MiB = 1024 * 1024;

test('readBounded refuses an answer past its cap as it arrives, and a declared one before reading', async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  await expect(readBounded(new Response(endless), MiB, 'an answer')).rejects.toMatchObject({ name: 'AnswerTooLarge' });
  // The stream was pulled a little past the cap, not to its (missing) end.
  expect(pulled).toBeLessThan(2 * MiB);
  const declared = new Response(new Uint8Array(16), { headers: { 'content-length': String(2 * MiB) } });
  await expect(readBounded(declared, MiB, 'an answer')).rejects.toMatchObject({ name: 'AnswerTooLarge' });
  expect(await readBounded(new Response(new Uint8Array(10)), MiB, 'an answer')).toHaveLength(10);
});

test('checkBatchFrames passes frames within the blob limit however split, refuses a larger one at its header', () => {
  const id = (n: number) => n.toString(16).padStart(64, '0') as ObjectId;
  const batch = encodeBlobBatch([
    { id: id(1), bytes: new Uint8Array(100) },
    { id: id(2), bytes: new Uint8Array(0) },
    { id: id(3), bytes: new Uint8Array(1000) },
  ]);
  for (const size of [1, 5, 36, 37, batch.length]) {
    const check = checkBatchFrames(1000);
    for (let i = 0; i < batch.length; i += size) check(batch.subarray(i, i + size));
  }
  const check = checkBatchFrames(999);
  expect(() => check(batch)).toThrow(expect.objectContaining({ name: 'AnswerTooLarge' }));
  // Only the header is needed: the first 36 bytes of a frame announcing 4 GiB.
  const header = new Uint8Array(36);
  new DataView(header.buffer).setUint32(32, 0xffffffff);
  expect(() => checkBatchFrames(10 * MiB)(header)).toThrow(HubError);
});
