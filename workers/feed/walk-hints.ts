/**
 * A feed log's segments (feed-log.ts) read in the background while the DAG
 * walk (dag-walk.ts) fetches what the first ones name.
 */
import type { CommitId } from '../../src/protocol/ids.ts';

/** Hint segments read one after another in the background, each handed over as it arrives. */
export class Hints {
  done: boolean;
  #error: unknown;
  #stopped = false;
  #wake: (() => void) | undefined;

  constructor(source: AsyncIterable<readonly CommitId[]> | undefined, take: (segment: readonly CommitId[]) => void) {
    this.done = source === undefined;
    if (!source) return;
    void (async () => {
      try {
        for await (const segment of source) {
          if (this.#stopped) return; // the walk ended (a refusal): stop reading, fetch nothing more
          take(segment);
          this.#wake?.();
        }
      } catch (error) {
        this.#error = error;
      } finally {
        this.done = true;
        this.#wake?.();
      }
    })();
  }

  /** Resolves at the next segment or the end. */
  async arrival(): Promise<void> {
    if (!this.done) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#wake = undefined;
  }

  /** @throws what reading the segments threw (Offline; a bad segment only ends them) */
  throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  stop(): void {
    this.#stopped = true;
  }
}
