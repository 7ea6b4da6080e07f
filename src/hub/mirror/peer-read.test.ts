/** Bounded reads from a peer: the SSE head counter's cap and linear cost (answers: hub-client/bounded-read.test.ts). */
import { expect, test } from 'vitest';
import { PeerError, SseHeadCounter } from './peer-read.ts';

const MiB = 1024 * 1024;
const bytes = (text: string) => new TextEncoder().encode(text);

test('counts head events however the stream is split, with LF or CRLF, ignoring pings and other events', () => {
  const text =
    'retry: 2000\n\n: ping\n\nid: 1\nevent: head\ndata: {"a":1}\n\n' +
    'event: other\ndata: x\n\nid: 2\r\nevent:head\r\ndata: {}\r\n\r\n';
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

test('8 MiB without a newline is refused at the 1 MiB cap, each byte looked at once', () => {
  const counter = new SseHeadCounter(MiB);
  const chunk = new Uint8Array(64 * 1024).fill(0x78);
  let taken = 0;
  const push = () => {
    for (let i = 0; i < (8 * MiB) / chunk.length; i++) {
      counter.push(chunk);
      taken += chunk.length;
    }
  };
  expect(push).toThrow(expect.objectContaining({ name: 'PeerError', reason: 'PeerTooLarge' }));
  // Refused on the chunk that passes the cap, not when a blank line arrives (none ever does).
  expect(taken).toBe(MiB);
  // Linear: each byte looked at once, the refused chunk included. The old concatenate-and-rescan parser looked at
  // the whole pending event again on every chunk (0.46 s for 8 MiB, and 56 s, 30 s of CPU, for 64 MiB).
  expect(counter.scannedBytes).toBe(MiB + chunk.length);
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
