/**
 * A power cut for the file store, in-process: node:fs/promises wrapped so
 * that what a file held when it was last fsynced (FileHandle sync or
 * datasync, under the name it has now) is all that survives a cut. At a cut
 * every file under the data folder goes back to that content, and a file
 * never synced is gone; the store that was running is frozen (each of its
 * later file operations never settles, as if the machine had stopped), and a
 * store opened afterwards reads what is left. A kill -9 cannot tell an fsync
 * from none (the page cache survives it); this can.
 *
 * The model, and where it is kinder than a disk: content is what a sync
 * promises (what the file held when the sync was called); a rename carries
 * the synced content to the new name at once, and a removal is durable at
 * once, where a real file system needs the directory fsynced for both (so a
 * missing directory fsync is not caught). Test code; not imported by the hub.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

type Fs = typeof FsPromises;

export class PowerCut {
  /** The content of each file that survives a cut, by its current path. */
  readonly #durable = new Map<string, Buffer>();
  readonly #paths = new Map<FileHandle, string>();
  readonly #generation = new AsyncLocalStorage<number>();
  #current = 1;
  /** False: sync and datasync reach the disk but promise nothing (a store that never fsyncs; the control). */
  honourSync = true;
  /** Bytes a cut threw away (unsynced content and files), so a test can see that it cut into something. */
  droppedBytes = 0;
  /** Syncs of a file with unsynced content, counted from 1. */
  syncs = 0;
  /**
   * Cuts the power under `dir` in place of the `at`-th sync of a file with unsynced content (counted in syncs),
   * so the cut always lands on written, unsynced data; `done` settles when it has.
   */
  cutAtSync: { readonly at: number; readonly dir: string; readonly done: () => void } | undefined;

  /** Runs `fn` (and everything it starts) as the machine's current life; a cut freezes it. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#generation.run(this.#current, fn);
  }

  /** Cuts the power: the running store is frozen and every file under `dir` goes back to what was synced. */
  cut(dir: string): void {
    this.#current++;
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else this.#revert(path);
      }
    };
    walk(dir);
    this.#paths.clear();
  }

  #revert(path: string): void {
    const now = readFileSync(path);
    const kept = this.#durable.get(path);
    if (kept === undefined) {
      this.droppedBytes += now.length;
      rmSync(path);
    } else if (!kept.equals(now)) {
      this.droppedBytes += Math.max(0, now.length - kept.length) || 1;
      writeFileSync(path, kept);
    }
  }

  /** A promise that never settles when called from a life before the last cut. */
  #frozen(): Promise<never> | undefined {
    const g = this.#generation.getStore();
    return g !== undefined && g < this.#current ? new Promise<never>(() => {}) : undefined;
  }

  /** `promise`, unless the power was cut while it was under way: then it never settles (the machine stopped). */
  async #settled<R>(promise: Promise<R>): Promise<R> {
    const result = await promise;
    return this.#frozen() ?? result;
  }

  /** `fs` with its writes modelled: pass it to vi.mock('node:fs/promises', ...). */
  wrap(fs: Fs): Fs {
    const guard =
      <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        this.#frozen() ?? this.#settled(f(...args));
    const wrapped = { ...fs };
    for (const name of ['readFile', 'readdir', 'stat', 'mkdir', 'writeFile', 'appendFile', 'truncate'] as const)
      (wrapped as Record<string, unknown>)[name] = guard(fs[name] as (...args: unknown[]) => Promise<unknown>);
    wrapped.open = guard(async (path: Parameters<Fs['open']>[0], ...rest: unknown[]) => {
      const handle = await (fs.open as (...args: unknown[]) => Promise<FileHandle>)(path, ...rest);
      this.#paths.set(handle, String(path));
      return this.#wrapHandle(handle);
    }) as Fs['open'];
    wrapped.rename = guard(async (from: Parameters<Fs['rename']>[0], to: Parameters<Fs['rename']>[1]) => {
      await fs.rename(from, to);
      const [a, b] = [String(from), String(to)];
      const kept = this.#durable.get(a);
      this.#durable.delete(a);
      if (kept) this.#durable.set(b, kept);
      else this.#durable.delete(b);
      for (const [h, p] of this.#paths) if (p === a) this.#paths.set(h, b);
    }) as Fs['rename'];
    wrapped.rm = guard(async (path: Parameters<Fs['rm']>[0], options?: Parameters<Fs['rm']>[1]) => {
      await fs.rm(path, options);
      const p = String(path);
      for (const k of [...this.#durable.keys()]) if (k === p || k.startsWith(`${p}/`)) this.#durable.delete(k);
    }) as Fs['rm'];
    return wrapped;
  }

  #wrapHandle(handle: FileHandle): FileHandle {
    return new Proxy(handle, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'sync' || prop === 'datasync') {
          return async () => {
            const frozen = this.#frozen();
            if (frozen) return frozen;
            const path = this.#paths.get(handle);
            // What this sync promises: the file's content as it is called (a folder's sync is passed through).
            const content = path !== undefined && statSync(path).isFile() ? readFileSync(path) : undefined;
            if (path !== undefined && content && !content.equals(this.#durable.get(path) ?? Buffer.alloc(0))) {
              this.syncs++;
              const planned = this.cutAtSync;
              if (planned && this.syncs === planned.at) {
                this.cutAtSync = undefined;
                this.cut(planned.dir);
                planned.done();
                return new Promise<never>(() => {});
              }
            }
            await this.#settled((value as () => Promise<void>).call(target));
            if (path !== undefined && content && this.honourSync)
              this.#durable.set(this.#paths.get(handle) ?? path, content);
          };
        }
        return (...args: unknown[]) => {
          const frozen = this.#frozen();
          if (frozen) return frozen;
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise ? this.#settled(result) : result;
        };
      },
    });
  }
}
