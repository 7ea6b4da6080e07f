/** Bounded reads from a peer: the SSE head counter's cap and linear cost, and capped answers. */
import { expect, test } from 'vitest';
import { encodeBlobBatch } from '../../protocol/batch.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { PeerError, SseHeadCounter, checkBatchFrames, readBounded } from './peer-read.ts';

const MiB = 1024 * 1024;
const bytes = (text: string) => new TextEncoder().encode(text);

test('counts head events however the stream is split, with LF or CRLF, ignoring pings and other events', () => {
  const text = 'retry: 2000\n\n: ping\n\nid: 1\nevent: head\ndata: {"a":1}\n\nevent: other\ndata: x\n\nid: 2\r\nevent:head\r\ndata: {}\r\n\r\n';
  for (const size of [1, 2, 3, 7, text.length]) {
    const counter = new SseHeadCounter(MiB);
    let heads = 0;
    for (let i = 0; i < text.length; i += size) heads += counter.push(bytes(text.slice(i, i + size)));
    expect(heads, `split every ${size} bytes`).toBe(2);
    expect(counter.pendingBytes).toBe(0);
  }
});

test('an event name longer than "head" is not a head event', () => {
  const counter = new SseHeadCounter(MiB);
  expect(counter.push(bytes('event: headache\ndata: x\n\nevent: head-ish\n\n'))).toBe(0);
});

test('8 MiB without a newline is refused at the 1 MiB cap, in a time linear in the bytes', () => {
  const counter = new SseHeadCounter(MiB);
  const chunk = new Uint8Array(64 * 1024).fill(0x78);
  let taken = 0;
  const started = performance.now();
  const push = () => {
    for (let i = 0; i < (8 * MiB) / chunk.length; i++) {
      counter.push(chunk);
      taken += chunk.length;
    }
  };
  expect(push).toThrow(expect.objectContaining({ name: 'PeerError', reason: 'PeerTooLarge' }));
  // Refused on the chunk that passes the cap, not when a blank line arrives (none ever does).
  expect(taken).toBe(MiB);
  // Linear: a few ms here. The old concatenate-and-rescan parser took 0.46 s for 8 MiB (and 56 s, 30 s of CPU, for 64 MiB);
  // the bound is generous for a busy machine.
  expect(performance.now() - started).toBeLessThan(500);
});

test('8 MiB of lines without a blank line between them is refused at the cap too', () => {
  const counter = new SseHeadCounter(MiB);
  const chunk = bytes('data: xxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(2048));
  let taken = 0;
  expect(() => {
    for (let i = 0; i < (8 * MiB) / chunk.length; i++) {
      counter.push(chunk);
      taken += chunk.length;
    }
  }).toThrow(PeerError);
  expect(taken).toBeLessThanOrEqual(MiB);
});

test('readBounded refuses an answer past its cap as it arrives, and a declared one before reading', async () => {
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  await expect(readBounded(new Response(endless), MiB, 'an answer')).rejects.toMatchObject({ name: 'PeerError', reason: 'PeerTooLarge' });
  // The stream was pulled a little past the cap, not to its (missing) end.
  expect(pulled).toBeLessThan(2 * MiB);
  const declared = new Response(new Uint8Array(16), { headers: { 'content-length': String(2 * MiB) } });
  await expect(readBounded(declared, MiB, 'an answer')).rejects.toMatchObject({ reason: 'PeerTooLarge' });
  expect(await readBounded(new Response(new Uint8Array(10)), MiB, 'an answer')).toHaveLength(10);
});

test('checkBatchFrames passes frames within the blob limit however split, and refuses a larger one at its header', () => {
  const id = (n: number) => n.toString(16).padStart(64, '0') as ObjectId;
  const batch = encodeBlobBatch([{ id: id(1), bytes: new Uint8Array(100) }, { id: id(2), bytes: new Uint8Array(0) }, { id: id(3), bytes: new Uint8Array(1000) }]);
  for (const size of [1, 5, 36, 37, batch.length]) {
    const check = checkBatchFrames(1000);
    for (let i = 0; i < batch.length; i += size) check(batch.subarray(i, i + size));
  }
  const check = checkBatchFrames(999);
  expect(() => check(batch)).toThrow(expect.objectContaining({ reason: 'PeerTooLarge' }));
  // Only the header is needed: the first 36 bytes of a frame announcing 4 GiB.
  const header = new Uint8Array(36);
  new DataView(header.buffer).setUint32(32, 0xffffffff);
  expect(() => checkBatchFrames(10 * MiB)(header)).toThrow(PeerError);
});
