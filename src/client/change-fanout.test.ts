import { expect, test } from 'vitest';
import type { Change } from '../../workers/api/api-types.ts';
import type { PseudonymId } from '../protocol/ids.ts';
import { ChangeFanout } from './change-fanout.ts';

const alice = 'a'.repeat(64) as PseudonymId;
const bob = 'b'.repeat(64) as PseudonymId;

function setup() {
  const worker: { listener?: (change: Change) => void; subscriptions: number } = { subscriptions: 0 };
  const flushes: (() => void)[] = [];
  const fanout = new ChangeFanout(
    async (listener) => {
      worker.subscriptions++;
      worker.listener = listener;
    },
    (flush) => flushes.push(flush),
  );
  return { worker, flushes, fanout };
}

test('many listeners share one subscription to the worker', async () => {
  const { worker, fanout } = setup();
  await Promise.all(Array.from({ length: 12 }, () => fanout.add(() => undefined)));
  expect(worker.subscriptions).toBe(1);
});

test('notices arriving together reach each listener once per kind and pseudonym, on the next flush', async () => {
  const { worker, flushes, fanout } = setup();
  const heard: Change[][] = [[], []];
  await fanout.add((c) => heard[0]!.push(c));
  const stop = await fanout.add((c) => heard[1]!.push(c));
  for (const change of [
    { kind: 'timeline', pseudonym: alice },
    { kind: 'sync', pseudonym: alice },
    { kind: 'sync', pseudonym: alice },
    { kind: 'timeline', pseudonym: alice },
    { kind: 'sync', pseudonym: bob },
    { kind: 'pseudonyms' },
  ] as Change[])
    worker.listener!(change);
  expect(heard).toEqual([[], []]); // nothing before the frame
  expect(flushes).toHaveLength(1); // one flush asked for, however many notices
  flushes.shift()!();
  const expected = [
    { kind: 'timeline', pseudonym: alice },
    { kind: 'sync', pseudonym: alice },
    { kind: 'sync', pseudonym: bob },
    { kind: 'pseudonyms' },
  ];
  expect(heard).toEqual([expected, expected]);

  stop();
  worker.listener!({ kind: 'timeline', pseudonym: alice });
  flushes.shift()!();
  expect(heard[0]).toHaveLength(5);
  expect(heard[1]).toHaveLength(4); // unsubscribed
});

test('a listener that throws does not keep the notice from the others', async () => {
  const { worker, flushes, fanout } = setup();
  const heard: Change[] = [];
  const error = console.error;
  console.error = () => undefined;
  try {
    await fanout.add(() => {
      throw new Error('boom');
    });
    await fanout.add((c) => heard.push(c));
    worker.listener!({ kind: 'lock' });
    flushes.shift()!();
  } finally {
    console.error = error;
  }
  expect(heard).toEqual([{ kind: 'lock' }]);
});

test('a failed subscription is tried again by the next listener', async () => {
  let attempts = 0;
  const fanout = new ChangeFanout(
    async () => {
      if (++attempts === 1) throw new Error('worker not ready');
    },
    () => undefined,
  );
  await expect(fanout.add(() => undefined)).rejects.toThrow('worker not ready');
  await fanout.add(() => undefined);
  expect(attempts).toBe(2);
});
