/**
 * Atomic, durable file writes in groups (writeFileDurably's promise, with
 * group commit): each file is written under a temporary name at once, and
 * the writes that arrive together share the rest: their fsyncs, issued
 * together, then the renames into place, then one fsync per folder they
 * landed in. A write resolves only once its file's bytes and its name are
 * durable; a crash before then leaves either the whole file or none of it.
 *
 * Of two writes to one path, the later call wins, whatever order their
 * temporary files finish in (under load the second may be written first, and
 * land in an earlier batch): each write is numbered when called, and a file
 * is not renamed over one with a higher number. The overtaken write resolves
 * too; what it wrote was replaced by a later one, as it would have been.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, tmpPathIn } from './durable-fs.ts';
import { GroupCommit } from '../group-commit.ts';

/** A file written under its temporary name, its handle still open for the batch's fsync. */
interface WrittenFile {
  readonly tmp: string;
  readonly path: string;
  readonly handle: FileHandle;
  /** The order of the write() calls. */
  readonly number: number;
}

/** Per path with writes in flight: how many, and the number of the write now in place. */
interface PathState {
  writes: number;
  placed: number;
}

export class DurableWriter {
  readonly #tmpDir: string;
  readonly #batches = new GroupCommit<WrittenFile>((files) => commitFiles(files, this.#paths));
  readonly #paths = new Map<string, PathState>();
  #calls = 0;

  /** @param tmpDir a folder on the same file system as every path written (rename must not cross devices). */
  constructor(tmpDir: string) {
    this.#tmpDir = tmpDir;
  }

  /**
   * Writes `bytes` to `path` atomically; resolves once durable. Writes to one
   * path in one batch leave the last to arrive in place.
   * @throws the file system's error; when a batch fails, every write in it rejects (none of them was acknowledged).
   */
  async write(path: string, bytes: Uint8Array): Promise<void> {
    const number = ++this.#calls;
    const state = this.#paths.get(path) ?? { writes: 0, placed: 0 };
    this.#paths.set(path, state);
    state.writes++;
    try {
      const tmp = tmpPathIn(this.#tmpDir);
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(bytes);
      } catch (error) {
        await handle.close();
        await rm(tmp, { force: true });
        throw error;
      }
      await this.#batches.submit({ tmp, path, handle, number });
    } finally {
      // Kept only while writes to the path are in flight: no write in flight, no order to keep.
      if (--state.writes === 0) this.#paths.delete(path);
    }
  }

  /** Resolves once every write begun so far has settled. */
  close(): Promise<void> {
    return this.#batches.drain();
  }
}

async function commitFiles(files: readonly WrittenFile[], paths: ReadonlyMap<string, PathState>): Promise<void> {
  // Per path, the latest call in the batch, unless a later call's file is already in place.
  const last = new Map<string, WrittenFile>();
  for (const f of files) {
    const latest = last.get(f.path);
    if ((!latest || f.number > latest.number) && f.number > (paths.get(f.path)?.placed ?? 0)) last.set(f.path, f);
  }
  try {
    // Every file's bytes are durable before any takes its name, so no name can outlive a crash pointing at lost bytes.
    try {
      await Promise.all(files.map((f) => f.handle.sync()));
    } finally {
      await Promise.allSettled(files.map((f) => f.handle.close()));
    }
    const renamed = await Promise.allSettled([...last.values()].map((f) => rename(f.tmp, f.path)));
    const failed = renamed.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const f of last.values()) {
      const state = paths.get(f.path);
      if (state) state.placed = f.number;
    }
    await Promise.all([...new Set(files.map((f) => dirname(f.path)))].map(fsyncDir));
  } catch (error) {
    await Promise.allSettled(files.map((f) => rm(f.tmp, { force: true })));
    throw error;
  }
  // Superseded by a later write to the same path: never renamed, so still in tmp/.
  if (last.size < files.length)
    await Promise.allSettled(files.filter((f) => last.get(f.path) !== f).map((f) => rm(f.tmp, { force: true })));
}
