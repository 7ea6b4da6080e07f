/**
 * GroupCommit's promises (group-commit.ts): a write settles only with its
 * batch's commit, a failed commit rejects its whole batch and acknowledges
 * none of it, batches keep arrival order, and a write arriving during a
 * commit rides in the very next one.
 */
import { expect, test } from 'vitest';
import { prng } from '../testing/crash-writers.ts';
import { GroupCommit } from './group-commit.ts';

interface Call {
  readonly batch: string[];
  readonly finish: (error?: Error) => void;
}

/** A GroupCommit whose commits wait for the test to finish them. */
function controlled() {
  const calls: Call[] = [];
  const group = new GroupCommit<string>(
    (batch) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ batch: [...batch], finish: (error) => (error ? reject(error) : resolve()) });
      }),
  );
  const settled: string[] = [];
  const submit = (item: string) => {
    const p = group.submit(item).then(
      () => void settled.push(`${item} ok`),
      (error: Error) => void settled.push(`${item} ${error.message}`),
    );
    return p;
  };
  return { group, calls, settled, submit };
}

/** Lets every pending callback run, immediates included (the group waits one turn before its first commit). */
async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

test('writes submitted in one turn share the first commit, and none settles before it does', async () => {
  const { calls, settled, submit } = controlled();
  const all = ['a', 'b', 'c'].map(submit);
  await turns();
  expect(calls.map((c) => c.batch)).toEqual([['a', 'b', 'c']]);
  expect(settled).toEqual([]);
  calls[0]!.finish();
  await Promise.all(all);
  expect(settled).toEqual(['a ok', 'b ok', 'c ok']);
});

test('a write arriving while a commit runs is in the very next batch, which starts as that commit ends', async () => {
  const { calls, settled, submit } = controlled();
  const first = submit('a');
  await turns();
  expect(calls.map((c) => c.batch)).toEqual([['a']]);
  const later = [submit('b'), submit('c')];
  await turns();
  // The running commit took nothing that arrived after it started, and nothing starts beside it.
  expect(calls.map((c) => c.batch)).toEqual([['a']]);
  calls[0]!.finish();
  await first;
  await turns();
  expect(calls.map((c) => c.batch)).toEqual([['a'], ['b', 'c']]);
  expect(settled).toEqual(['a ok']);
  calls[1]!.finish();
  await Promise.all(later);
  expect(settled).toEqual(['a ok', 'b ok', 'c ok']);
});

test('a failing commit rejects its whole batch, acknowledges none of it, and the next batch commits', async () => {
  const { calls, settled, submit } = controlled();
  const batch = [submit('a'), submit('b')];
  await turns();
  const next = submit('c');
  calls[0]!.finish(new Error('EIO'));
  await Promise.all(batch);
  expect(settled).toEqual(['a EIO', 'b EIO']);
  await turns();
  expect(calls.map((c) => c.batch)).toEqual([['a', 'b'], ['c']]);
  calls[1]!.finish();
  await next;
  expect(settled).toEqual(['a EIO', 'b EIO', 'c ok']);
});

test('a commit that throws before returning a promise rejects its batch too', async () => {
  const group = new GroupCommit<number>(() => {
    throw new Error('bad batch');
  });
  await expect(Promise.all([group.submit(1), group.submit(2)])).rejects.toThrow('bad batch');
  await expect(group.submit(3)).rejects.toThrow('bad batch');
});

test('drain waits for every write submitted so far', async () => {
  const { group, calls, settled, submit } = controlled();
  void submit('a');
  let drained = false;
  const draining = group.drain().then(() => (drained = true));
  await turns();
  void submit('b');
  calls[0]!.finish();
  await turns();
  expect(drained).toBe(false);
  calls[1]!.finish();
  await draining;
  expect(settled).toEqual(['a ok', 'b ok']);
  await group.drain(); // nothing running: at once
});

test('random arrivals, delays and failures: each write settles once, with the first commit after it came', async () => {
  for (let seed = 1; seed <= 20; seed++) {
    const random = prng(seed);
    const log: string[] = [];
    let running = false;
    /** The commit number each write must ride in: the next one to start after it arrived. */
    const expected = new Map<string, number>();
    let started = 0;
    const outcome = new Map<number, 'ok' | 'failed'>();
    const group = new GroupCommit<string>(async (batch) => {
      expect(running).toBe(false);
      running = true;
      const n = ++started;
      for (const item of batch) expect(expected.get(item)).toBe(n);
      log.push(...batch);
      await new Promise((resolve) => setTimeout(resolve, random() * 3));
      running = false;
      if (random() < 0.2) {
        outcome.set(n, 'failed');
        throw new Error(`commit ${n} failed`);
      }
      outcome.set(n, 'ok');
    });
    const submitted: string[] = [];
    const results = new Map<string, string>();
    const all: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const item = `w${i}`;
      submitted.push(item);
      expected.set(item, started + 1);
      all.push(
        group.submit(item).then(
          () => void results.set(item, 'ok'),
          () => void results.set(item, 'failed'),
        ),
      );
      if (random() < 0.5) await new Promise((resolve) => setTimeout(resolve, random() * 2));
    }
    await Promise.all(all);
    // Every write was committed exactly once, in arrival order, and its promise says what its commit did.
    expect(log).toEqual(submitted);
    for (const item of submitted) expect(results.get(item)).toBe(outcome.get(expected.get(item)!));
  }
});
