/**
 * A lock per key (a pseudonym, a feed, an author, a handle name): tasks for
 * one key run one after another, tasks for different keys run freely. The
 * worker uses it so two local commits of one feed never build on the same
 * tips and one feed is ingested once at a time; the hub's stores so "is this
 * newer / is this name free" and the write that follows see no other request
 * for the same key in between.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task for `key` has settled (fulfilled or rejected); resolves as `task` does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map stays small.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves when every task queued so far, and any queued while waiting, has finished (for a clean teardown). */
  async settled(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }
}
