import { describe, expect, test } from 'vitest';
import { Slots } from './slots.ts';

/** A task that runs until `release` is called, recording when it started. */
function gate(started: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const task = async () => {
    started.push(name);
    await done;
    return name;
  };
  return { task, release };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Slots', () => {
  test('runs at most its size at once, and the next as one ends', async () => {
    const slots = new Slots(2);
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(started, name));
    const runs = [a!, b!, c!].map((g) => slots.run(g.task));
    await turn();
    expect(started).toEqual(['a', 'b']);
    expect([slots.running, slots.waiting]).toEqual([2, 1]);
    b!.release();
    await expect(runs[1]).resolves.toBe('b');
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    a!.release();
    c!.release();
    await expect(Promise.all(runs)).resolves.toEqual(['a', 'b', 'c']);
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  test('the most urgent waiting task runs first, then those of equal priority in the order they came', async () => {
    const slots = new Slots(1);
    const started: string[] = [];
    const first = gate(started, 'first');
    const running = slots.run(first.task);
    const order: string[] = [];
    const queued = [
      ['low', 0],
      ['high', 5],
      ['low2', 0],
      ['mid', 2],
      ['high2', 5],
    ].map(([name, priority]) =>
      slots.run(async () => {
        order.push(name as string);
      }, priority as number),
    );
    first.release();
    await running;
    await Promise.all(queued);
    expect(order).toEqual(['high', 'high2', 'mid', 'low', 'low2']);
  });

  test('a task that throws or rejects frees its slot and rejects its run', async () => {
    const slots = new Slots(1);
    const thrown = slots.run(() => {
      throw new Error('at once');
    });
    const rejected = slots.run(() => Promise.reject(new Error('later')));
    const after = slots.run(async () => 'ran');
    await expect(thrown).rejects.toThrow('at once');
    await expect(rejected).rejects.toThrow('later');
    await expect(after).resolves.toBe('ran');
    expect(slots.running).toBe(0);
  });

  test('refuses a size that is not a positive whole number', () => {
    expect(() => new Slots(0)).toThrow(RangeError);
    expect(() => new Slots(1.5)).toThrow(RangeError);
  });
});
