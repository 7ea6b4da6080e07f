import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compactBytes, fromBase64url, fromHex, toBase64url, toHex } from './bytes.ts';

describe('hex', () => {
  test("toHex equals node:crypto's hex at any length (4,096-byte chunks and their edges); fromHex undoes it", () => {
    for (const length of [0, 1, 31, 32, 33, 4095, 4096, 4097, 10_000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + 7) & 0xff);
      expect(toHex(bytes), `length ${length}`).toBe(Buffer.from(bytes).toString('hex'));
      expect(fromHex(toHex(bytes))).toEqual(bytes);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expect(toHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('base64url', () => {
  test("toBase64url equals node's unpadded base64url at any length; fromBase64url undoes it", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(text)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  test('fromBase64url refuses other alphabets, padding and impossible lengths', () => {
    for (const text of ['ab+c', 'ab/c', 'abc=', 'abcde', 'a']) expect(fromBase64url(text), text).toBeUndefined();
  });
});

describe('compactBytes', () => {
  test('views are copied together into one buffer of their own; whole arrays are kept as they are', () => {
    const chunk = Uint8Array.from({ length: 64 }, (_, i) => i);
    const whole = Uint8Array.of(9, 9);
    const arrays = [chunk.subarray(0, 10), whole, chunk.subarray(40, 41), new Uint8Array(), chunk.subarray(50)];
    const compact = compactBytes(arrays);
    expect(compact).toEqual(arrays);
    expect(compact[1]).toBe(whole);
    const views = [compact[0]!, compact[2]!, compact[4]!];
    // One buffer, holding just the views' bytes: none of them keeps the chunk alive.
    expect(new Set(views.map((v) => v.buffer)).size).toBe(1);
    expect(views[0]!.buffer).not.toBe(chunk.buffer);
    expect(views[0]!.buffer.byteLength).toBe(10 + 1 + 14);
    chunk.fill(0);
    expect(compact[0]).toEqual(Uint8Array.from({ length: 10 }, (_, i) => i));
  });

  test('arrays that are all whole come back as they are, with no new buffer', () => {
    const arrays = [Uint8Array.of(1), Uint8Array.of(2, 3)];
    const compact = compactBytes(arrays);
    expect(compact[0]).toBe(arrays[0]);
    expect(compact[1]).toBe(arrays[1]);
  });
});
