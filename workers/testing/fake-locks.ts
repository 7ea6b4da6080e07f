/**
 * A stand-in for navigator.locks (Web Locks API, exclusive mode only) shared
 * by several "tabs" in one Node process: one holder per name, the others
 * queued in order; ifAvailable gives null when held; an aborted signal
 * leaves the queue with an AbortError.
 */
import type { LockManagerLike } from '../tabs/leader.ts';

interface Waiter {
  readonly grant: () => void;
}

export class FakeLocks implements LockManagerLike {
  readonly #held = new Set<string>();
  readonly #queues = new Map<string, Waiter[]>();

  /** Names held right now (for asserting who leads). */
  heldNames(): string[] {
    return [...this.#held];
  }

  request<T>(name: string, ...rest: unknown[]): Promise<T> {
    const callback = rest[rest.length - 1] as (lock: unknown) => Promise<T> | T;
    const options = (rest.length > 1 ? rest[0] : {}) as { ifAvailable?: boolean; signal?: AbortSignal };
    if (options.ifAvailable && this.#held.has(name)) return Promise.resolve().then(() => callback(null));
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        this.#held.add(name);
        Promise.resolve()
          .then(() => callback({ name }))
          .then(resolve, reject)
          .finally(() => this.#free(name));
      };
      if (!this.#held.has(name)) return run();
      const waiter: Waiter = { grant: run };
      const queue = this.#queues.get(name) ?? [];
      queue.push(waiter);
      this.#queues.set(name, queue);
      options.signal?.addEventListener('abort', () => {
        const q = this.#queues.get(name) ?? [];
        const i = q.indexOf(waiter);
        if (i < 0) return;
        q.splice(i, 1);
        reject(new DOMException('The request was aborted.', 'AbortError'));
      });
    });
  }

  #free(name: string): void {
    this.#held.delete(name);
    const next = this.#queues.get(name)?.shift();
    next?.grant();
  }
}
