import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromBase64url, fromHex, toBase64url, toHex } from './bytes.ts';

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
