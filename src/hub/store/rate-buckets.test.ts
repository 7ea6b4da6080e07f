/**
 * Token buckets with a hand-driven clock: bursts, refill,
 * independence of keys, the off switch, and forgetting idle keys.
 */
import { expect, test } from 'vitest';
import { InProcessRates, RateLimiter } from './rate-buckets.ts';

test('a burst is allowed, then one write per 1/rate seconds, each key on its own', () => {
  const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
  expect([0, 0, 0].map((at) => limiter.take('a', at))).toEqual([0, 0, 0]);
  expect(limiter.take('a', 0)).toBe(500);
  expect(limiter.take('b', 0)).toBe(0);
  expect(limiter.take('a', 499)).toBe(2);
  expect(limiter.take('a', 500)).toBe(0);
  expect(limiter.take('a', 500)).toBe(500);
  // Refill stops at the burst size.
  expect([1, 2, 3, 4].map(() => limiter.take('a', 60_000))).toEqual([0, 0, 0, 500]);
});

test('rate 0 is no limit; a bucket needs room for one write', async () => {
  const off = new InProcessRates();
  for (let i = 0; i < 100; i++) expect(await off.take('x', { perSecond: 0, burst: 1 })).toBe(0);
  expect(() => new RateLimiter({ perSecond: 1, burst: 0 })).toThrow(RangeError);
});

test('keys whose bucket has refilled are forgotten, so memory follows recent writers only', () => {
  const limiter = new RateLimiter({ perSecond: 10, burst: 10 });
  for (let i = 0; i < 9_999; i++) limiter.take(`old ${i}`, 0);
  expect(limiter.size).toBe(9_999);
  limiter.take('new', 5_000);
  expect(limiter.size).toBe(1);
});
