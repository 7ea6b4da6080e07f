/**
 * Exponential backoff: how long to wait before the next retry of something
 * that keeps failing (a push to a hub, a queued delivery). Doubling from a
 * base keeps the first retries quick and a long outage cheap; the cap keeps
 * a hub that comes back from waiting an hour to be noticed.
 */

/** A backoff's first wait and its cap, in milliseconds. */
export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * The wait before retry number `attempt` (1 for the first retry): `baseMs`,
 * doubling with each attempt, never more than `maxMs`.
 * @throws RangeError when `attempt` is not a whole number from 1.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: Backoff): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, not ${attempt}`);
  }
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}
