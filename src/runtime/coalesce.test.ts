import { describe, expect, test } from 'vitest';
import { LoopPerKey, RunPerKey } from './coalesce.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

const ticks = async (n = 10) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('LoopPerKey', () => {
  test('requests during a pass fold into one more pass; every caller waits for the whole loop', async () => {
    const loops = new LoopPerKey<string>();
    const gates = [deferred(), deferred()];
    let passes = 0;
    const pass = async () => void (await gates[passes++]!.promise);
    const first = loops.request('k', pass);
    await ticks();
    const second = loops.request('k', pass);
    const third = loops.request('k', pass);
    expect(second).toBe(first);
    expect(third).toBe(first);
    gates[0]!.resolve();
    await ticks();
    expect(passes).toBe(2);
    gates[1]!.resolve();
    await first;
    expect(passes).toBe(2);
    expect(loops.isRunning('k')).toBe(false);
  });

  test('keys run independently', async () => {
    const loops = new LoopPerKey<string>();
    const held = deferred();
    void loops.request('a', () => held.promise);
    let ran = false;
    await loops.request('b', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(loops.isRunning('a')).toBe(true);
    held.resolve();
    await loops.settled();
    expect(loops.isRunning('a')).toBe(false);
  });

  test('a pass returning false ends the loop without the pass asked for', async () => {
    const loops = new LoopPerKey<string>();
    const gate = deferred();
    let passes = 0;
    const loop = loops.request('k', async () => {
      passes++;
      await gate.promise;
      return false;
    });
    await ticks();
    void loops.request('k', async () => void passes++);
    gate.resolve();
    await loop;
    expect(passes).toBe(1);
  });

  test('again() from inside a pass makes one more pass; stopped() ends the loop anyway', async () => {
    let stopped = false;
    const loops = new LoopPerKey<string>(() => stopped);
    let passes = 0;
    await loops.request('k', async () => {
      if (++passes < 3) loops.again('k');
    });
    expect(passes).toBe(3);
    passes = 0;
    await loops.request('k', async () => {
      passes++;
      loops.again('k');
      stopped = true;
    });
    expect(passes).toBe(1);
  });

  test('a pass that throws rejects the loop, and the key can run again', async () => {
    const loops = new LoopPerKey<string>();
    await expect(
      loops.request('k', async () => {
        throw new TypeError('boom');
      }),
    ).rejects.toThrow(TypeError);
    let ran = false;
    await loops.request('k', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});

describe('RunPerKey', () => {
  test('calls during a run share one run after it, and its result', async () => {
    const runs = new RunPerKey<string>();
    const gate = deferred();
    let started = 0;
    const first = runs.run('k', async () => {
      started++;
      await gate.promise;
      return 'first';
    });
    const task = async () => `run ${++started}`;
    const second = runs.run('k', task);
    const third = runs.run('k', task);
    await ticks();
    expect(started).toBe(1);
    gate.resolve();
    expect(await Promise.all([first, second, third])).toEqual(['first', 'run 2', 'run 2']);
    expect(await runs.run('k', task)).toBe('run 3');
  });

  test('the run after a failed run still starts', async () => {
    const runs = new RunPerKey<string>();
    const failing = runs.run('k', async () => {
      throw new RangeError('boom');
    });
    const next = runs.run('k', async () => 'next');
    await expect(failing).rejects.toThrow(RangeError);
    expect(await next).toBe('next');
  });
});
