import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sleep } from './sleep.ts';

describe('sleep', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test('resolves after the time given, not before', async () => {
    let done = false;
    const waiting = sleep(100).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  });

  test('an abort ends the wait at once and leaves no timer behind', async () => {
    const stop = new AbortController();
    let done = false;
    const waiting = sleep(60_000, stop.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(10);
    stop.abort();
    await waiting;
    expect(done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('an already aborted signal does not wait at all', async () => {
    const stop = new AbortController();
    stop.abort();
    await sleep(60_000, stop.signal);
    expect(vi.getTimerCount()).toBe(0);
  });
});
