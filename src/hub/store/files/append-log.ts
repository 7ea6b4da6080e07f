/**
 * A durable append-only log of text lines. Appends resolve only after the
 * bytes are fsynced; appends that arrive while a sync is under way are written
 * and synced together afterwards (group commit), so many concurrent writers
 * share one fsync instead of queuing for one each.
 *
 * A crash can leave a torn last line (no newline); it was never acknowledged,
 * so openAppendLog cuts it off.
 */
import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, writeFileDurably } from './durable-fs.ts';

interface Pending {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class AppendLog {
  readonly #handle: FileHandle;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;
  /** Set after a failed write: the file's tail is unknown, so no later line may land after it. */
  #broken: unknown;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** Appends one line (which must not contain a newline); resolves once durable. */
  append(line: string): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#queue.push({ text: `${line}\n`, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        if (this.#broken !== undefined) throw this.#broken;
        await this.#handle.write(batch.map((p) => p.text).join(''));
        await this.#handle.datasync();
        for (const p of batch) p.resolve();
      } catch (error) {
        this.#broken ??= error;
        for (const p of batch) p.reject(error);
      }
    }
    this.#flushing = undefined;
  }

  /** Waits for queued appends, then closes the file. */
  async close(): Promise<void> {
    await this.#flushing;
    await this.#handle.close();
  }
}

/**
 * Reads the complete lines of the log at `path` (created when absent) and opens it for appends.
 * @param read given the lines read, parses them (and throws, changing nothing, when it cannot),
 *   then returns the lines to keep, or undefined to keep the file as it is; a compacted file
 *   replaces the old one atomically before appends start.
 */
export async function openAppendLog(
  path: string,
  tmpDir: string,
  read: (lines: string[]) => string[] | undefined = () => undefined,
): Promise<{ log: AppendLog; lines: string[] }> {
  let text = '';
  try {
    text = (await readFile(path)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { lines, end } = completeLines(text);
  // Parsed before anything is written, so a log that cannot be read is left exactly as it was.
  const kept = read(lines);
  if (end < text.length) await truncate(path, Buffer.byteLength(text.slice(0, end)));
  if (kept !== undefined) await writeFileDurably(tmpDir, path, Buffer.from(kept.map((l) => `${l}\n`).join('')));
  const handle = await open(path, 'a');
  // The truncation above, or a first creation, must itself be durable before new lines follow.
  await handle.sync();
  await fsyncDir(dirname(path));
  return { log: new AppendLog(handle), lines: kept ?? lines };
}

/**
 * The complete lines of a log's text and where they end: a crash can leave a torn last line
 * (no newline), never acknowledged, which is left out (and cut off by openAppendLog).
 */
export function completeLines(text: string): { lines: string[]; end: number } {
  const end = text.lastIndexOf('\n') + 1;
  return { lines: text.slice(0, end).split('\n').slice(0, -1), end };
}
