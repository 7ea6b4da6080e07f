/**
 * Reading a hive while its screen is open: at start, again when asked (once more after a read in flight, not
 * twice at once), every second while an act waits to show and slowly otherwise; a failure in words that keeps
 * the last good read; an act given up after a minute; nothing after stop.
 */
import { expect, test } from 'vitest';
import type { Result } from '../../../workers/api/api-types.ts';
import type { HiveRead } from '../../../workers/api/hives-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { CADENCE, createHivePoller } from './hive-poller.ts';

const hive = 'ab'.repeat(32) as PseudonymId;
const readOf = (notices: number): HiveRead => ({
  state: { hive, exists: notices > 0 } as never,
  mine: {},
  notices,
  dropped: [],
});

function harness() {
  let clock = 0;
  const timers: { at: number; run: () => void; id: number }[] = [];
  let next = 0;
  const answers: ((r: Result<HiveRead>) => void)[] = [];
  let calls = 0;
  const poller = createHivePoller({
    read: () => {
      calls++;
      return new Promise((resolve) => answers.push(resolve));
    },
    now: () => clock,
    setTimer: (run, ms) => {
      timers.push({ at: clock + ms, run, id: ++next });
      return next;
    },
    clearTimer: (t) => {
      const i = timers.findIndex((x) => x.id === t);
      if (i >= 0) timers.splice(i, 1);
    },
    visible: () => true,
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return {
    poller,
    calls: () => calls,
    async answer(r: Result<HiveRead>) {
      answers.shift()!(r);
      await flush();
    },
    /** Runs the next timer, moving the clock to it; returns the delay it had. */
    async tick() {
      const t = timers.sort((a, b) => a.at - b.at).shift()!;
      const waited = t.at - clock;
      clock = t.at;
      t.run();
      await flush();
      return waited;
    },
    pending: () => timers.length,
  };
}

test('reads at start, and again when asked; a read asked for during one runs once after it', async () => {
  const h = harness();
  h.poller.start();
  expect(h.calls()).toBe(1);
  expect(h.poller.snapshot().reading).toBe(true);
  h.poller.readAgain();
  h.poller.readAgain();
  expect(h.calls()).toBe(1);
  await h.answer({ ok: true, value: readOf(1) });
  expect(h.poller.snapshot()).toMatchObject({ reads: 1, reading: false, error: undefined, readAt: 0 });
  expect(await h.tick()).toBe(0);
  expect(h.calls()).toBe(2);
  await h.answer({ ok: true, value: readOf(2) });
  expect(await h.tick()).toBe(CADENCE.idle);
  expect(h.calls()).toBe(3);
});

test('a failure is said in words and the last good read stays; no hive yet is read again sooner', async () => {
  const h = harness();
  h.poller.start();
  await h.answer({ ok: true, value: readOf(0) });
  expect(await h.tick()).toBe(CADENCE.missing);
  await h.answer({ ok: false, error: 'Offline', message: 'fetch failed' });
  const snap = h.poller.snapshot();
  expect(snap.read?.notices).toBe(0);
  expect(snap.error).toBe('The hive’s hub could not be reached: you or it may be offline');
});

test('an act is read for every second until it shows, then the cadence slows; one never shown is let go', async () => {
  const h = harness();
  h.poller.start();
  await h.answer({ ok: true, value: readOf(1) });
  h.poller.expect('your post', (s) => (s as { hive: string }).hive === hive && s.exists);
  h.poller.expect('your vote', () => false);
  expect(h.poller.snapshot().sending).toEqual(['your post', 'your vote']);
  // Asked while no read runs: at once.
  await h.answer({ ok: true, value: readOf(0) });
  expect(h.poller.snapshot().sending).toEqual(['your post', 'your vote']);
  expect(await h.tick()).toBe(0); // the second expect's read, asked while the first ran
  await h.answer({ ok: true, value: readOf(3) });
  expect(h.poller.snapshot().sending).toEqual(['your vote']);
  let waited = 0;
  while (h.poller.snapshot().sending.length > 0) {
    waited += await h.tick();
    await h.answer({ ok: true, value: readOf(3) });
  }
  expect(waited).toBeGreaterThanOrEqual(CADENCE.patience - 2 * CADENCE.waiting);
  expect(await h.tick()).toBe(CADENCE.idle);
});

test('after stop nothing is read and no timer is left; start again reads', async () => {
  const h = harness();
  h.poller.start();
  h.poller.stop();
  await h.answer({ ok: true, value: readOf(1) });
  expect(h.poller.snapshot().reads).toBe(0);
  expect(h.pending()).toBe(0);
  h.poller.start();
  expect(h.calls()).toBe(2);
});
