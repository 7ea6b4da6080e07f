import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  test('starts at the base, doubles, and stops at the cap', () => {
    const retry = { baseMs: 1000, maxMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelay(attempt, retry))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  test('never exceeds the cap and never falls as attempts grow', () => {
    const base = fc.integer({ min: 1, max: 5000 });
    const cap = fc.integer({ min: 1, max: 100_000 });
    fc.assert(
      fc.property(base, cap, fc.integer({ min: 1, max: 2000 }), (baseMs, maxMs, attempt) => {
        const retry = { baseMs, maxMs };
        expect(backoffDelay(attempt, retry)).toBeLessThanOrEqual(maxMs);
        expect(backoffDelay(attempt + 1, retry)).toBeGreaterThanOrEqual(backoffDelay(attempt, retry));
      }),
    );
  });

  test('an attempt below 1 or not whole is misuse', () => {
    expect(() => backoffDelay(0, { baseMs: 1, maxMs: 2 })).toThrow(RangeError);
    expect(() => backoffDelay(1.5, { baseMs: 1, maxMs: 2 })).toThrow(RangeError);
  });
});
