/**
 * One subscription to the core worker's change notices per page, fanned out
 * here to every listener. Before, each listener (a dozen on the home screen)
 * held its own comlink proxy, so every notice crossed to the page once per
 * listener as a call and its answer, and each listener asked the worker again
 * at once: with eight tabs open, a post cost each tab several hundred
 * messages. Notices that arrive together are now delivered once per kind and
 * pseudonym (a notice carries ids only, so a second one says nothing new),
 * on the next frame; in a hidden tab at most once a second, since nothing on
 * screen needs them sooner.
 */
import type { Change } from '../../workers/api/api-types.ts';

type Listener = (change: Change) => void;

export class ChangeFanout {
  readonly #listeners = new Set<Listener>();
  readonly #pending = new Map<string, Change>();
  #subscribed: Promise<unknown> | undefined;
  #scheduled = false;

  readonly #subscribe: (listener: Listener) => Promise<unknown>;
  readonly #schedule: (flush: () => void) => void;
  /**
   * @param subscribe subscribes once to the worker's notices
   * @param schedule runs `flush` soon (next frame by default: frameScheduler)
   */
  constructor(
    subscribe: (listener: Listener) => Promise<unknown>,
    schedule: (flush: () => void) => void = frameScheduler,
  ) {
    this.#subscribe = subscribe;
    this.#schedule = schedule;
  }

  /** Calls `listener` for change notices from now on. @returns the unsubscribe. */
  async add(listener: Listener): Promise<() => void> {
    this.#listeners.add(listener);
    this.#subscribed ??= this.#subscribe((change) => this.#receive(change)).catch((error: unknown) => {
      this.#subscribed = undefined; // the next listener tries again
      throw error;
    });
    try {
      await this.#subscribed;
    } catch (error) {
      this.#listeners.delete(listener);
      throw error;
    }
    return () => void this.#listeners.delete(listener);
  }

  #receive(change: Change): void {
    this.#pending.set(`${change.kind}\u0000${change.pseudonym ?? ''}`, change);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const changes = [...this.#pending.values()];
    this.#pending.clear();
    const listeners = [...this.#listeners];
    for (const change of changes) {
      for (const listener of listeners) {
        try {
          listener(change);
        } catch (error) {
          console.error('murmur: a change listener failed', error); // the others still hear of it
        }
      }
    }
  }
}

/** The next animation frame; in a hidden tab (no frames) a second from now. */
export function frameScheduler(flush: () => void): void {
  if (typeof document !== 'undefined' && document.hidden) setTimeout(flush, 1_000);
  else if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 0);
}
