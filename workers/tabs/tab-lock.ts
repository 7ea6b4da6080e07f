/**
 * A KeyedLock that also holds across tabs: each task runs under the Web Lock
 * `murmur:<key>` as well, so two tabs never build local commits of one feed
 * on the same tips (all tabs write one IndexedDB) and never ingest one feed
 * twice at once. The in-tab chain stays, so settled() still works.
 */
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import type { LockManagerLike } from './leader.ts';

export class TabLock extends KeyedLock {
  readonly #manager: LockManagerLike;
  constructor(manager: LockManagerLike) {
    super();
    this.#manager = manager;
  }

  override run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return super.run(key, () => this.#manager.request(`murmur:${key}`, () => task()));
  }
}
