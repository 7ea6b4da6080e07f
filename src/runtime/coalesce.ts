/**
 * Coalescing work per key (a pseudonym, "deliver:<owner>"): one run at a time
 * for each key, and requests that arrive during a run fold into one more run
 * after it instead of piling up. Two shapes, because callers want two things:
 *
 * - LoopPerKey: a run is a loop of passes; a request during the run asks the
 *   loop for one more pass, and every caller waits for the whole loop (sync
 *   engines: "make sure what I just wrote is pushed").
 * - RunPerKey: each run returns a result; callers during a run share the one
 *   run queued after it and get that run's result (an inbox pull whose
 *   counts the caller reports).
 */

interface Loop {
  readonly promise: Promise<void>;
  again: boolean;
}

/** One loop of passes per key at a time; requests during a loop ask it for one more pass. */
export class LoopPerKey<K> {
  readonly #loops = new Map<K, Loop>();

  readonly #stopped: () => boolean;
  /** @param stopped checked after each pass: once true, a loop ends even when more passes were asked for. */
  constructor(stopped: () => boolean = () => false) {
    this.#stopped = stopped;
  }

  /**
   * Starts a loop of `pass` for `key` or, while one runs, asks it for one more
   * pass (with the pass it started with); resolves when the loop ends. A pass
   * that returns false ends the loop without the passes asked for. A pass that
   * throws ends the loop and rejects it.
   */
  request(key: K, pass: () => Promise<boolean> | Promise<void>): Promise<void> {
    const running = this.#loops.get(key);
    if (running) {
      running.again = true;
      return running.promise;
    }
    // In the map before the first pass starts, so again() works from its first synchronous part too.
    const loop = { again: false } as { promise: Promise<void>; again: boolean };
    this.#loops.set(key, loop);
    loop.promise = (async () => {
      do {
        loop.again = false;
        if ((await pass()) === false) break;
      } while (loop.again && !this.#stopped());
    })().finally(() => this.#loops.delete(key));
    return loop.promise;
  }

  /** Asks the loop running for `key`, if any, for one more pass (from inside a pass: "I learned there is more"). */
  again(key: K): void {
    const running = this.#loops.get(key);
    if (running) running.again = true;
  }

  /** Whether a loop for `key` is running now. */
  isRunning(key: K): boolean {
    return this.#loops.has(key);
  }

  /** Resolves when the loops running now have ended (rejections ignored: each caller has seen its own). */
  async settled(): Promise<void> {
    await Promise.all([...this.#loops.values()].map((loop) => loop.promise.catch(() => undefined)));
  }
}

interface Single {
  running?: Promise<unknown>;
  next?: Promise<unknown>;
}

/** One run per key at a time; calls during a run share one more run after it, and its result. */
export class RunPerKey<K> {
  readonly #runs = new Map<K, Single>();

  /**
   * Runs `task` for `key` now or, while a run is in flight, once after it (the
   * calls made meanwhile share that one run and its result or rejection).
   */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    let entry = this.#runs.get(key);
    if (!entry) {
      entry = {};
      this.#runs.set(key, entry);
    }
    const held = entry;
    if (held.next) return held.next as Promise<T>;
    if (held.running) {
      held.next = held.running
        .catch(() => undefined)
        .then(() => {
          held.next = undefined;
          return this.#start(held, task);
        });
      return held.next as Promise<T>;
    }
    return this.#start(held, task);
  }

  #start<T>(entry: Single, task: () => Promise<T>): Promise<T> {
    const running = task().finally(() => {
      if (entry.running === running) entry.running = undefined;
    });
    entry.running = running;
    return running;
  }
}
