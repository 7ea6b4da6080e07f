/**
 * Group commit: writes that arrive together are made durable by one commit
 * (in the file store one write + fsync of a log, one round of file and
 * directory fsyncs; in the PostgreSQL store one transaction and its WAL
 * flush) instead of queuing for an fsync each. A commit starts as soon as the one
 * before it ends and takes every write that arrived meanwhile, so under load
 * the batches grow to what arrives during one fsync, and a lone write waits
 * for nothing but its own.
 *
 * The promises it keeps:
 * - a write resolves only once the commit of its batch has resolved (durable);
 * - when a commit fails, every write of its batch rejects with that error and
 *   none resolves;
 * - batches commit one at a time, in arrival order, and the writes of a batch
 *   settle in arrival order;
 * - a write arriving while a commit runs is in the very next batch.
 */

interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  readonly #commit: (batch: readonly T[]) => Promise<void>;
  #queue: Waiting<T>[] = [];
  #running: Promise<void> | undefined;

  /**
   * @param commit makes a whole batch durable, or throws; it is never called
   *   with an empty batch, nor while another call is running.
   */
  constructor(commit: (batch: readonly T[]) => Promise<void>) {
    this.#commit = commit;
  }

  /** Queues `item` for the next commit; resolves once that commit is durable, rejects with its error. */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  /** Resolves once every write submitted so far has settled. */
  async drain(): Promise<void> {
    await this.#running;
  }

  async #run(): Promise<void> {
    // Writes whose requests are being read in this turn of the event loop join the first batch: a commit started
    // at once would carry only the first of them and leave the others for an fsync later.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#commit(batch.map((w) => w.item));
      } catch (error) {
        for (const w of batch) w.reject(error);
        continue;
      }
      for (const w of batch) w.resolve();
    }
    this.#running = undefined;
  }
}
