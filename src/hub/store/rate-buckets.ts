/**
 * Token buckets, one per key (a pseudonym, an IP address): each write takes a
 * token, tokens come back at a steady rate up to the bucket's size. A full
 * bucket is the same as no bucket, so full ones are forgotten now and then
 * and memory stays bounded by the keys active in the last burst/rate seconds.
 */
import type { Rate } from '../hub-limits.ts';
import type { RateLedger } from './hub-store.ts';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets are swept for full ones after this many takes. */
const SWEEP_EVERY = 10_000;

export class RateLimiter {
  readonly #rate: Rate;
  readonly #buckets = new Map<string, Bucket>();
  #takes = 0;

  constructor(rate: Rate) {
    if (!(rate.perSecond >= 0) || !(rate.burst >= 1))
      throw new RangeError('a rate needs perSecond >= 0 and burst >= 1');
    this.#rate = rate;
  }

  /**
   * Takes one token for `key`.
   * @returns 0 when taken, else the milliseconds until one is available (nothing is taken).
   */
  take(key: string, now: number): number {
    const { perSecond, burst } = this.#rate;
    if (perSecond === 0) return 0;
    if (++this.#takes % SWEEP_EVERY === 0) this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * perSecond) / 1000);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 1000) / perSecond);
  }

  /** Keys with a bucket now (for tests). */
  get size(): number {
    return this.#buckets.size;
  }

  #sweep(now: number): void {
    const { perSecond, burst } = this.#rate;
    for (const [key, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) * perSecond) / 1000 >= burst) this.#buckets.delete(key);
    }
  }
}

/**
 * The RateLedger of a hub that is one process (the file and memory stores): a RateLimiter per rate, in
 * memory, on this process's clock.
 */
export class InProcessRates implements RateLedger {
  readonly #limiters = new Map<string, RateLimiter>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async take(key: string, rate: Rate): Promise<number> {
    const name = `${rate.perSecond}/${rate.burst}`;
    let limiter = this.#limiters.get(name);
    if (!limiter) {
      limiter = new RateLimiter(rate);
      this.#limiters.set(name, limiter);
    }
    return limiter.take(key, this.#now());
  }
}
