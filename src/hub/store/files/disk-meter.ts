/**
 * The disk meter of the file store: how many bytes the data folder holds, against
 * the operator's limit (--disk-bytes). No counter is persisted: at every start the
 * folder is measured (one stat per file), so the total is right after a clean
 * stop and after kill -9 alike, whatever a crash left half-counted. Between
 * starts the meter adds the bytes of each blob and record as it is stored;
 * the logs' bookkeeping lines (a few dozen bytes each) wait for the next start.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CountingDiskMeter } from '../disk-meter.ts';

/** Files stat'ed at once while measuring. */
const STAT_AHEAD = 64;

/** A meter reading the bytes under `dataDir` now, its scratch folder `skip` left out. */
export async function openDiskMeter(dataDir: string, limit: number, skip: string): Promise<CountingDiskMeter> {
  return new CountingDiskMeter(limit, await measure(dataDir, skip));
}

/** Total size of the files under `dir`, `skip` left out. */
async function measure(dir: string, skip: string): Promise<number> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (path === skip) continue;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) files.push(path);
    }
  };
  await walk(dir);
  let total = 0;
  for (let i = 0; i < files.length; i += STAT_AHEAD) {
    const sizes = await Promise.all(files.slice(i, i + STAT_AHEAD).map(async (f) => (await stat(f)).size));
    for (const s of sizes) total += s;
  }
  return total;
}
