/**
 * The chunk reader under any cutting of its stream and any mix of its reads: what it gives is the stream in
 * order, the tap sees every byte wholly read exactly once, and the buffered reads never wait or read short.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { ChunkReader } from './chunk-reader.ts';

async function* cut(bytes: Uint8Array, sizes: readonly number[]) {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.slice(at, at + size);
    at += size;
  }
}

const stepArb = fc.record({
  how: fc.constantFrom('read', 'buffered', 'skip', 'peek'),
  n: fc.integer({ min: 0, max: 40 }),
});

test('any reads over any chunks give the stream in order, and the tap every byte read once', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 400 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
      fc.array(stepArb, { minLength: 1, maxLength: 60 }),
      async (bytes, sizes, steps) => {
        const tapped: number[] = [];
        const reader = new ChunkReader(cut(bytes, sizes), (chunk) => tapped.push(...chunk));
        let at = 0;
        for (const { how, n } of steps) {
          const left = bytes.length - at;
          if (how === 'peek') {
            const byte = reader.peekBuffered(n);
            // Only what the chunk at hand holds is peeked, and it is the stream's byte there.
            if (byte !== undefined) expect(byte).toBe(bytes[at + n]);
            continue;
          }
          if (how === 'read') {
            if (n > left) {
              await expect(reader.read(n)).rejects.toThrow(/ends/);
              return;
            }
            expect(await reader.read(n)).toEqual(bytes.subarray(at, at + n));
          } else if (!reader.holds(n)) {
            expect(reader.readBuffered(n)).toBeUndefined();
            continue;
          } else if (how === 'skip') reader.skipBuffered(n);
          else expect(reader.readBuffered(n)).toEqual(bytes.subarray(at, at + n));
          at += n;
        }
        // The tap has had every chunk wholly read, in order, and nothing more.
        expect(tapped.length).toBeLessThanOrEqual(at);
        expect(Uint8Array.from(tapped)).toEqual(bytes.subarray(0, tapped.length));
        await reader.read(bytes.length - at);
        expect(await reader.atEnd()).toBe(true);
        expect(Uint8Array.from(tapped)).toEqual(bytes);
      },
    ),
    { numRuns: 500 },
  );
});

test('a buffered read past what is buffered reads nothing, and a skip past it throws', async () => {
  const reader = new ChunkReader(cut(Uint8Array.of(1, 2, 3, 4), [2]));
  expect(await reader.peek()).toBe(1);
  expect(reader.readBuffered(3)).toBeUndefined();
  expect(() => reader.skipBuffered(3)).toThrow(RangeError);
  expect(reader.readBuffered(2)).toEqual(Uint8Array.of(1, 2));
  expect(await reader.read(2)).toEqual(Uint8Array.of(3, 4));
});
