/** Waiting for a condition instead of sleeping for a fixed time. */
import { sleep } from '../../src/runtime/sleep.ts';

/**
 * Polls `probe` until `accept` holds for its value, and returns that value.
 * @throws Error naming `what` and the last value after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  accept: (value: T) => boolean = Boolean,
  // A bound, not a guess: generous enough that a busy machine gets there (each small async step can wait
  // for a core there), inside Vitest's 60 s per test so the failure names what it waited for.
  timeoutMs = 50_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await sleep(10);
  }
}
