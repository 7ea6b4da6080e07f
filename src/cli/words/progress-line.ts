/**
 * Progress of long catch-ups, for people at a terminal: one line on stderr,
 * rewritten in place ("Catching up 3 feeds: 12,000 of 50,000 commits"),
 * at most every PROGRESS_EVERY_MS, and erased once every feed is done, so
 * the answer that follows starts on a clean line. Never on a pipe or a file:
 * scripts read stdout (and --json) alone, and a log gets no carriage returns.
 */
import type { PseudonymId } from '../../protocol/ids.ts';

export const PROGRESS_EVERY_MS = 100;

interface Progress {
  readonly done: number;
  readonly total: number;
}

/** "Catching up 3 feeds: 12,000 of 50,000 commits" (one feed: "Catching up a feed: ..."). */
export function progressWords(feeds: ReadonlyMap<PseudonymId, Progress>): string {
  let done = 0;
  let total = 0;
  for (const p of feeds.values()) {
    done += p.done;
    total += Math.max(p.total, p.done);
  }
  const which = feeds.size === 1 ? 'a feed' : `${feeds.size} feeds`;
  return `Catching up ${which}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} commits`;
}

export class ProgressLine {
  readonly #feeds = new Map<PseudonymId, Progress>();
  readonly #stream: NodeJS.WritableStream;
  readonly #now: () => number;
  #shownAt = Number.NEGATIVE_INFINITY;
  #shown = false;

  /** @returns undefined when `stream` is not a terminal: nothing to show progress on. */
  static on(stream: NodeJS.WritableStream, now: () => number = performance.now.bind(performance)) {
    return (stream as { isTTY?: boolean }).isTTY === true ? new ProgressLine(stream, now) : undefined;
  }

  private constructor(stream: NodeJS.WritableStream, now: () => number) {
    this.#stream = stream;
    this.#now = now;
  }

  /** One feed's progress, or its end (undefined). */
  update(author: PseudonymId, progress: Progress | undefined): void {
    if (progress) this.#feeds.set(author, progress);
    else this.#feeds.delete(author);
    if (this.#feeds.size === 0) {
      this.clear();
      return;
    }
    const now = this.#now();
    if (now - this.#shownAt < PROGRESS_EVERY_MS) return;
    this.#shownAt = now;
    this.#shown = true;
    this.#stream.write(`\r\x1b[2K${progressWords(this.#feeds)}`);
  }

  /** Erases the line, if one is shown. */
  clear(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#shownAt = Number.NEGATIVE_INFINITY;
    this.#stream.write('\r\x1b[2K');
  }
}
