import { describe, expect, test } from 'vitest';
import { KeyedLock } from './keyed-lock.ts';

/** A promise with its resolve and reject at hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const ticks = async (n = 5) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('KeyedLock', () => {
  test('tasks of one key run one after another, in the order queued', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const first = deferred();
    const a = lock.run('k', async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
      return 'a';
    });
    const b = lock.run('k', async () => {
      log.push('b');
      return 'b';
    });
    await ticks();
    expect(log).toEqual(['a start']);
    first.resolve();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  test('tasks of different keys do not wait for each other', async () => {
    const lock = new KeyedLock();
    const held = deferred();
    void lock.run('x', () => held.promise);
    expect(await lock.run('y', async () => 'y')).toBe('y');
    held.resolve();
  });

  test('a failed task rejects its own caller only; the next task of the key still runs', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('k', async () => {
      throw new RangeError('boom');
    });
    const next = lock.run('k', async () => 'next');
    await expect(failing).rejects.toThrow(RangeError);
    expect(await next).toBe('next');
  });

  test('settled() waits for tasks queued so far, including ones queued while it waits', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const gate = deferred();
    const lateGate = deferred();
    void lock.run('k', async () => {
      await gate.promise;
      void lock.run('other', async () => {
        await lateGate.promise;
        log.push('late');
      });
      log.push('first');
    });
    let done = false;
    const settled = lock.settled().then(() => (done = true));
    await ticks();
    expect(done).toBe(false);
    gate.resolve();
    await ticks(20);
    expect(log).toEqual(['first']);
    expect(done).toBe(false);
    lateGate.resolve();
    await settled;
    expect(log).toEqual(['first', 'late']);
  });
});
