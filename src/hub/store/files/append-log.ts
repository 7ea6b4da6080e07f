/**
 * A durable append-only log of text lines. Appends resolve only after the
 * bytes are fsynced; appends that arrive together are written and synced as
 * one batch (group-commit.ts), so many concurrent writers share one
 * write + fdatasync instead of queuing for one each.
 *
 * A crash can leave a torn last line (no newline); it was never acknowledged,
 * so openAppendLog cuts it off.
 */
import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, writeFileDurably } from './durable-fs.ts';
import { GroupCommit } from '../group-commit.ts';

/** What the log needs of its open file (a FileHandle opened for appending; a test passes one that fails). */
export type AppendTarget = Pick<FileHandle, 'write' | 'datasync' | 'close'>;

export class AppendLog {
  readonly #file: AppendTarget;
  readonly #batches: GroupCommit<string>;
  /** Set after a failed write or sync: the file's tail is unknown, so no later line may land after it. */
  #broken: unknown;

  constructor(file: AppendTarget) {
    this.#file = file;
    this.#batches = new GroupCommit((lines) => this.#commit(lines));
  }

  /** Appends one line (which must not contain a newline); resolves once durable. */
  append(line: string): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    return this.#batches.submit(`${line}\n`);
  }

  async #commit(lines: readonly string[]): Promise<void> {
    if (this.#broken !== undefined) throw this.#broken;
    try {
      const bytes = Buffer.from(lines.join(''));
      // A write may take fewer bytes than asked (a signal, a full disk); the rest follows, or the batch fails.
      for (let at = 0; at < bytes.length; ) {
        const { bytesWritten } = await this.#file.write(bytes, at, bytes.length - at);
        if (bytesWritten === 0) throw new Error('the log took no bytes');
        at += bytesWritten;
      }
      await this.#file.datasync();
    } catch (error) {
      this.#broken = error;
      throw error;
    }
  }

  /** Waits for queued appends, then closes the file. */
  async close(): Promise<void> {
    await this.#batches.drain();
    await this.#file.close();
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
