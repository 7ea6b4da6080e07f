/**
 * Reading a hive again and again while its screen is open (no React here, so it is tested with a fake read and
 * fake timers). A hive is assembled from its hubs on each read (workers/hives/assemble.ts) and no change notice
 * says it moved, so the screen reads it now and then, at once when asked, and every second while an act of the
 * viewer's has not shown yet (an act is a commit pushed and announced asynchronously: it shows once the hub has
 * it). An act that never shows is given up after a minute, and the cadence slows again.
 */
import type { Result } from '../../../workers/api/api-types.ts';
import type { HiveRead } from '../../../workers/api/hives-types.ts';
import type { HiveState } from '../../protocol/hive-state.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { HIVE_ERRORS } from './hive-errors.ts';

export interface HiveSnapshot {
  /** The last good read (kept while a later one fails). */
  readonly read: HiveRead | undefined;
  /** The last read's failure in words, until a read succeeds. */
  readonly error: string | undefined;
  readonly reading: boolean;
  /** Reads finished so far, and when the last good one ended. */
  readonly reads: number;
  readonly readAt: number | undefined;
  /** The viewer's acts sent and not yet seen in a read, in words ("your post"). */
  readonly sending: readonly string[];
}

export interface HivePollerDeps {
  readonly read: () => Promise<Result<HiveRead>>;
  readonly now: () => number;
  readonly setTimer: (run: () => void, ms: number) => unknown;
  readonly clearTimer: (timer: unknown) => void;
  /** Whether the page is on screen: a hidden one skips the idle reads (not those an act waits for). */
  readonly visible: () => boolean;
  /** A read from before (another screen of the same hive), shown until the first read here ends. */
  readonly initial?: HiveRead | undefined;
  readonly onRead?: (read: HiveRead) => void;
}

/** Milliseconds between reads: while an act waits, while no hive is found (just made?), otherwise. */
export const CADENCE = { waiting: 1000, missing: 2000, idle: 20_000, patience: 60_000 } as const;

export interface HivePoller {
  start(): void;
  stop(): void;
  /** Reads now (or right after the read in flight). */
  readAgain(): void;
  /** Reads every second until `shown` holds for a read (or a minute passes), listing `label` as sending meanwhile. */
  expect(label: string, shown: (state: HiveState) => boolean): void;
  subscribe(listener: () => void): () => void;
  snapshot(): HiveSnapshot;
}

interface Wait {
  readonly label: string;
  readonly shown: (state: HiveState) => boolean;
  readonly until: number;
}

export function createHivePoller(deps: HivePollerDeps): HivePoller {
  let snap: HiveSnapshot = {
    read: deps.initial,
    error: undefined,
    reading: false,
    reads: 0,
    readAt: undefined,
    sending: [],
  };
  const listeners = new Set<() => void>();
  let waits: Wait[] = [];
  let running = false;
  let inFlight = false;
  let again = false;
  let timer: unknown;

  const set = (next: Partial<HiveSnapshot>) => {
    snap = { ...snap, ...next };
    for (const listener of [...listeners]) listener();
  };
  const clear = () => {
    if (timer !== undefined) deps.clearTimer(timer);
    timer = undefined;
  };

  async function run(): Promise<void> {
    clear();
    if (!running) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    set({ reading: true });
    let read: HiveRead | undefined;
    let error: string | undefined;
    try {
      const result = await deps.read();
      if (result.ok) read = result.value;
      else error = describeFailure(HIVE_ERRORS, result.error, result.message);
    } catch (thrown) {
      error = describeError(HIVE_ERRORS, thrown);
    }
    inFlight = false;
    if (!running) return;
    const now = deps.now();
    waits = waits.filter((w) => w.until > now && !(read && w.shown(read.state)));
    if (read) deps.onRead?.(read);
    set({
      read: read ?? snap.read,
      error,
      reading: false,
      reads: snap.reads + 1,
      readAt: read ? now : snap.readAt,
      sending: waits.map((w) => w.label),
    });
    schedule();
  }

  function schedule() {
    clear();
    if (!running) return;
    if (again) {
      again = false;
      timer = deps.setTimer(() => void run(), 0);
      return;
    }
    const ms = waits.length > 0 ? CADENCE.waiting : snap.read?.state.exists ? CADENCE.idle : CADENCE.missing;
    timer = deps.setTimer(() => {
      if (waits.length === 0 && !deps.visible()) schedule();
      else void run();
    }, ms);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void run();
    },
    stop() {
      running = false;
      again = false;
      clear();
    },
    readAgain: () => void run(),
    expect(label, shown) {
      waits.push({ label, shown, until: deps.now() + CADENCE.patience });
      set({ sending: waits.map((w) => w.label) });
      void run();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    snapshot: () => snap,
  };
}
