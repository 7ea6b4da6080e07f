/**
 * One murmur process at a time per home: the store's memory is the journal
 * replayed at open, so a second writer would append on top of a state it
 * never saw. The lock is a file created exclusively, holding the owner's
 * pid; a lock whose process is gone (killed) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../../runtime/sleep.ts';
import { CliError } from '../errors.ts';

export interface HomeLock {
  release(): void;
}

/**
 * Takes the home's lock, waiting up to `waitMs` for another murmur process to finish.
 * @throws CliError HomeBusy
 */
export async function lockHome(home: string, waitMs: number): Promise<HomeLock> {
  const path = join(home, 'lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = readFileSync(path, 'utf8');
    const owner = Number.parseInt(text, 10);
    // An empty lock is one being written this instant, unless it is old (its writer died between the two steps).
    const justCreated = text === '' && Date.now() - statSync(path).mtimeMs < 5_000;
    if (!justCreated && !isAlive(owner)) {
      rmSync(path, { force: true }); // its process was killed: nobody holds it
      continue;
    }
    if (Date.now() > deadline)
      throw new CliError('HomeBusy', `another murmur process (pid ${owner}) is using ${home}; try again when it ends`);
    await sleep(50);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
