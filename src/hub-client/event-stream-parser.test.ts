/** The one SSE parser: WHATWG parsing over bytes split anywhere, and the event cap enforced as bytes arrive. */
import { expect, test } from 'vitest';
import { EventStreamParser, type ServerEvent } from './event-stream-parser.ts';

const MiB = 1024 * 1024;
const utf8 = (text: string) => new TextEncoder().encode(text);

function parseSplit(bytes: Uint8Array, size: number, parser = new EventStreamParser()): ServerEvent[] {
  const events: ServerEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...parser.push(bytes.subarray(i, i + size)));
  return events;
}

test('bytes split anywhere (in a UTF-8 sequence, a CRLF) give the events of the whole; a leading BOM dropped', () => {
  const stream = utf8('\uFEFFid: é1\r\nevent: head\r\ndata: ünï\r\ndata: 😀\r\n\r\n: ping\r\rdata: x\rid\r\n\n');
  for (const size of [1, 2, 3, 5, stream.length]) {
    const parser = new EventStreamParser();
    expect(parseSplit(stream, size, parser), `split every ${size} bytes`).toEqual([
      { type: 'head', data: 'ünï\n😀', lastEventId: 'é1' },
      { type: 'message', data: 'x', lastEventId: '' },
    ]);
    expect(parser.pendingBytes).toBe(0);
  }
});

test('a BOM anywhere but the start is kept; bytes that only begin like a BOM are kept', () => {
  expect(new EventStreamParser().push(utf8('data: a\uFEFF\n\n'))).toEqual([
    { type: 'message', data: 'a\uFEFF', lastEventId: '' },
  ]);
  const parser = new EventStreamParser();
  expect(parser.push(new Uint8Array([0xef, 0xbb]))).toEqual([]);
  // EF BB then 'd' is no BOM: decoded as U+FFFD, it makes the field name '\uFFFDdata', which is ignored.
  expect(parser.push(utf8('data: b\n\n'))).toEqual([]);
  expect(parser.push(utf8('data: c\n\n'))).toEqual([{ type: 'message', data: 'c', lastEventId: '' }]);
});

test('an event over the cap is refused on the chunk that passes it, newlines or not, not at a blank line', () => {
  for (const chunk of [new Uint8Array(64 * 1024).fill(0x78), utf8('data: xxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(2048))]) {
    const parser = new EventStreamParser(MiB);
    let taken = 0;
    expect(() => {
      for (let i = 0; i < (8 * MiB) / chunk.length; i++) {
        parser.push(chunk);
        taken += chunk.length;
      }
    }).toThrow(expect.objectContaining({ name: 'AnswerTooLarge' }));
    // Refused on the chunk that passes the cap (the 17th of 64 KiB), not when a blank line arrives (none ever does).
    expect(taken).toBeLessThanOrEqual(MiB);
  }
});

test('events under the cap pass however many there are: the count starts again at each blank line', () => {
  const parser = new EventStreamParser(64);
  const events = parseSplit(utf8('event: head\ndata: {"a":1}\n\n'.repeat(1000)), 7, parser);
  expect(events).toHaveLength(1000);
});
