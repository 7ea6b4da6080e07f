/**
 * At most `size` tasks at once; the rest wait, the most urgent first (then
 * in the order they came). The worker uses it so that following hundreds of
 * feeds ingests a few at a time: each feed is then fetched, verified and
 * stored while the next ones wait, instead of every feed's commits being held
 * in memory at once and none stored until nearly all are fetched.
 */
export class Slots {
  readonly #size: number;
  #running = 0;
  /** Waiting tasks' starters, kept sorted: greatest priority first, then first come. */
  readonly #waiting: { readonly priority: number; readonly order: number; readonly start: () => void }[] = [];
  #order = 0;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a positive whole number of slots, not ${size}`);
    this.#size = size;
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` once a slot is free; resolves or rejects as it does.
   * @param priority higher runs sooner among those waiting (a person's own action before background work)
   */
  run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#running++;
        let result: Promise<T>;
        try {
          result = task();
        } catch (error) {
          result = Promise.reject(error);
        }
        result.then(resolve, reject).finally(() => {
          this.#running--;
          this.#waiting.shift()?.start();
        });
      };
      if (this.#running < this.#size) return start();
      const entry = { priority, order: this.#order++, start };
      // Binary search for the first entry that should run after this one; waiting lists stay short enough.
      let low = 0;
      let high = this.#waiting.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        const other = this.#waiting[mid]!;
        if (other.priority > priority || (other.priority === priority && other.order < entry.order)) low = mid + 1;
        else high = mid;
      }
      this.#waiting.splice(low, 0, entry);
    });
  }
}
