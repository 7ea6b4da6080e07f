/**
 * Which tab leads network sync for a pseudonym. Every tab has its own core
 * worker over one shared IndexedDB; pushing and live streams for a pseudonym
 * run in one of them only, decided by a Web Lock named per pseudonym:
 *
 * - the tab showing a pseudonym asks to lead it and holds the lock while it
 *   shows it (a closed or crashed tab's lock is freed by the browser, and the
 *   next tab waiting takes over);
 * - any tab may run a short outbox pass for a pseudonym nobody leads (queued
 *   posts of pseudonyms not on screen, or left by a closed tab), taking the
 *   same lock only if it is free;
 * - a tab that finds the lock taken tells the others (tab-channel.ts), so the
 *   holder runs the pass instead.
 *
 * Without Web Locks (Node tests that do not inject them, very old browsers)
 * every tab leads: correct with one tab, and still safe with many, because
 * the hub refuses a head that is not newer and commits are serialized.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';

/** The part of navigator.locks (Web Locks API) used here. */
export interface LockManagerLike {
  request<T>(name: string, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
  request<T>(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<T> | T,
  ): Promise<T>;
}

export const leadLockName = (pseudonym: PseudonymId) => `murmur-lead:${pseudonym}`;

interface Claim {
  leading: boolean;
  release: () => void;
  readonly abort: AbortController;
}

export class Leadership {
  readonly #claims = new Map<PseudonymId, Claim>();

  readonly #locks: LockManagerLike | undefined;
  readonly #onLead: (pseudonym: PseudonymId) => void;
  /** @param onLead called when this tab starts leading a pseudonym it claimed. */
  constructor(locks: LockManagerLike | undefined, onLead: (pseudonym: PseudonymId) => void) {
    this.#locks = locks;
    this.#onLead = onLead;
  }

  /** Asks to lead `pseudonym` (waits in line behind the tab that leads it now). Idempotent. */
  claim(pseudonym: PseudonymId): void {
    if (this.#claims.has(pseudonym)) return;
    const claim: Claim = { leading: false, release: () => undefined, abort: new AbortController() };
    this.#claims.set(pseudonym, claim);
    if (!this.#locks) {
      claim.leading = true;
      this.#onLead(pseudonym);
      return;
    }
    this.#locks
      .request(leadLockName(pseudonym), { signal: claim.abort.signal }, () => {
        if (this.#claims.get(pseudonym) !== claim) return; // released while waiting
        claim.leading = true;
        this.#onLead(pseudonym);
        return new Promise<void>((resolve) => (claim.release = resolve)); // held until release()
      })
      .catch((error: unknown) => {
        if ((error as { name?: string })?.name !== 'AbortError')
          console.error('murmur: could not ask to lead sync', error);
      });
  }

  /** Stops leading (or waiting to lead) `pseudonym`. */
  release(pseudonym: PseudonymId): void {
    const claim = this.#claims.get(pseudonym);
    if (!claim) return;
    this.#claims.delete(pseudonym);
    claim.leading = false;
    claim.abort.abort();
    claim.release();
  }

  /** Releases every claim except `keep`'s. */
  releaseAllBut(keep: PseudonymId | undefined): void {
    for (const pseudonym of [...this.#claims.keys()]) if (pseudonym !== keep) this.release(pseudonym);
  }

  isLeader(pseudonym: PseudonymId): boolean {
    return !this.#locks || this.#claims.get(pseudonym)?.leading === true;
  }

  /**
   * Runs `task` if this tab leads `pseudonym` or nobody does (then holding the
   * lock for the task's length).
   * @returns false, without running it, when another tab holds the lock.
   */
  async runIfFree(pseudonym: PseudonymId, task: () => Promise<void>): Promise<boolean> {
    if (this.isLeader(pseudonym)) {
      await task();
      return true;
    }
    return this.#locks!.request(leadLockName(pseudonym), { ifAvailable: true }, async (lock) => {
      if (lock === null) return false;
      await task();
      return true;
    });
  }

  close(): void {
    for (const pseudonym of [...this.#claims.keys()]) this.release(pseudonym);
  }
}
