/**
 * Durable file writes: what every store here relies on before it acknowledges
 * a write. A file is written under a temporary name, fsynced, renamed into
 * place and its directory fsynced, so after a crash (kill -9, power loss) a
 * reader finds either the whole new file or none of it, never a torn one.
 * A kill -9 cannot tell an fsync from none; power-cut.test.ts models power
 * loss (only synced content survives), though not a lost directory fsync.
 */
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Fsyncs a directory, which makes the names created or renamed in it durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Temporary names: unique within this process, and tmp/ is emptied at every start, so a counter will do. */
let tmpCounter = 0;

/** A fresh temporary file name in `tmpDir`. */
export function tmpPathIn(tmpDir: string): string {
  return join(tmpDir, `${process.pid}-${++tmpCounter}.tmp`);
}

/**
 * Writes `bytes` to `path` atomically and durably.
 * @param tmpDir a folder on the same file system as `path` (rename must not cross devices).
 */
export async function writeFileDurably(tmpDir: string, path: string, bytes: Uint8Array): Promise<void> {
  const tmp = tmpPathIn(tmpDir);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dirname(path));
}

/** Creates `dir` (and parents) and makes its name durable in its parent. */
export async function makeDirDurably(dir: string): Promise<void> {
  // mkdir answers the first folder it had to create; each new name from there down needs its parent fsynced.
  const created = await mkdir(dir, { recursive: true });
  if (created === undefined) return;
  for (let d = dir; ; d = dirname(d)) {
    await fsyncDir(dirname(d));
    if (d === created || d === dirname(d)) break;
  }
}

/**
 * Empties the temporary folder: files left there by a crash mid-write were
 * never acknowledged, so they are garbage.
 */
export async function clearTmpDir(tmpDir: string): Promise<void> {
  await makeDirDurably(tmpDir);
  for (const name of await readdir(tmpDir)) await rm(join(tmpDir, name), { force: true, recursive: true });
}
