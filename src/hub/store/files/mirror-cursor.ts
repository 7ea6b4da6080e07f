/**
 * A mirror cursor in a file (MirrorCursor, hub-store.ts): the peer's change
 * number up to which every change was mirrored, skipped or refused. One small file per
 * peer under mirror/, replaced atomically and durably each time it moves, so
 * after either side restarts mirroring resumes from there instead of from 0.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256HexNode } from '../../../runtime/sha256-node.ts';
import type { MirrorCursor } from '../hub-store.ts';
import { makeDirDurably, writeFileDurably } from './durable-fs.ts';

export class FileMirrorCursor implements MirrorCursor {
  readonly #path: string;
  readonly #tmpDir: string;
  readonly #origin: string;
  #value: number;

  private constructor(path: string, tmpDir: string, origin: string, value: number) {
    this.#path = path;
    this.#tmpDir = tmpDir;
    this.#origin = origin;
    this.#value = value;
  }

  /** Reads the cursor of `origin` under `dir` (0 when there is none yet). */
  static async open(dir: string, tmpDir: string, origin: string): Promise<FileMirrorCursor> {
    await makeDirDurably(dir);
    const path = join(dir, `${sha256HexNode(new TextEncoder().encode(origin)).slice(0, 24)}.json`);
    let value = 0;
    try {
      const saved = JSON.parse(await readFile(path, 'utf8')) as { peer?: unknown; cursor?: unknown } | null;
      if (saved?.peer === origin && Number.isSafeInteger(saved.cursor) && (saved.cursor as number) >= 0)
        value = saved.cursor as number;
    } catch (error) {
      // A file that is not ours (edited by hand) starts over from 0: mirroring is idempotent.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
    }
    return new FileMirrorCursor(path, tmpDir, origin, value);
  }

  get value(): number {
    return this.#value;
  }

  /** Moves the cursor; resolves once the new value is durable. */
  async save(value: number): Promise<void> {
    if (value === this.#value) return;
    await writeFileDurably(
      this.#tmpDir,
      this.#path,
      new TextEncoder().encode(JSON.stringify({ peer: this.#origin, cursor: value })),
    );
    this.#value = value;
  }
}
