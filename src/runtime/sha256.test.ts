import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toHex, utf8 } from '../protocol/bytes.ts';
import { sha256, sha256Hex } from './sha256.ts';

const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256', () => {
  test('FIPS 180-4 examples', () => {
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  test('equals node:crypto at every length around the block and padding edges', () => {
    // 55/56 and 119/120 bytes are where the length stops fitting in the last block.
    for (let length = 0; length <= 300; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      expect(toHex(sha256(bytes)), `length ${length}`).toBe(reference(bytes));
    }
  });

  test('equals node:crypto on random messages, and leaves them unchanged', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        const copy = bytes.slice();
        expect(toHex(sha256(bytes))).toBe(reference(copy));
        expect(bytes).toEqual(copy);
      }),
      { numRuns: 500 },
    );
  });

  test('a view into a larger buffer hashes only its own bytes', () => {
    const buffer = Uint8Array.from({ length: 200 }, (_, i) => i);
    const view = buffer.subarray(13, 150);
    expect(toHex(sha256(view))).toBe(reference(view.slice()));
  });

  test('the hex digest is the digest in hex, at every length around the block edges and at random', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
      expect(sha256Hex(bytes), `length ${length}`).toBe(reference(bytes));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        expect(sha256Hex(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
