/**
 * For tests and benchmarks that run a built bundle (the hub, the command line) as a real process: builds it with
 * Vite's CLI in a child process, into a fresh folder, so a process runs the code under test and never a stale
 * dist/. Within a test run (vitest.config.ts's global setup names the run's folder in TEST_RUN_DIR_VAR) each
 * config is built once, by the first file that asks, and shared by the rest: ~35 test files ran a build each, a
 * second apiece on a quiet machine and several on a busy one. The sources cannot change under a run, so every
 * file still runs what it tests. Outside a run (benchmarks, scripts) each call builds a folder of its own.
 */
import { execFile } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The variable naming the test run's folder (set by the global setup, inherited by every test worker). */
export const TEST_RUN_DIR_VAR = 'MURMUR_TEST_RUN_DIR';

export interface Built {
  /** The folder holding the build. */
  readonly dir: string;
  /** Removes a build of its own; a build shared by the run is left for the run's teardown. */
  remove(): Promise<void>;
}

async function viteBuild(config: string, outDir: string): Promise<void> {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'); // not in vite's exports: by path
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: ROOT },
  );
}

/**
 * The build of `config` (a Vite config file at the project's root).
 * @throws with Vite's output when the build fails.
 */
export async function viteBuildOnce(config: string): Promise<Built> {
  const runDir = process.env[TEST_RUN_DIR_VAR];
  if (!runDir) {
    const dir = await mkdtemp(join(tmpdir(), `murmur-build-${config.replace(/\W+/g, '-')}-`));
    await viteBuild(config, dir);
    return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
  }
  const dir = join(runDir, `build-${config.replace(/\W+/g, '-')}`);
  const shared = { dir, remove: async () => {} };
  // Changes in the run's folder wake a file waiting for another's build; a flag keeps one that comes between a
  // check and the wait.
  let changed = false;
  let wake: (() => void) | undefined;
  const watcher = watch(runDir, () => {
    changed = true;
    wake?.();
  });
  try {
    for (;;) {
      if (existsSync(dir)) return shared;
      // mkdir is atomic: one file builds; the others wait for the finished folder to be renamed into place, or
      // for the claim to go (a failed build), and then try again.
      if (await claim(`${dir}.claim`)) {
        await buildInto(config, runDir, dir);
        return shared;
      }
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      changed = false;
    }
  } finally {
    watcher.close();
  }
}

async function claim(path: string): Promise<boolean> {
  try {
    await mkdir(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function buildInto(config: string, runDir: string, dir: string): Promise<void> {
  const staging = await mkdtemp(join(runDir, 'staging-'));
  try {
    await viteBuild(config, staging);
    await rename(staging, dir);
  } catch (error) {
    // The next file to ask tries again (and fails with Vite's output itself).
    await rm(staging, { recursive: true, force: true });
    await rm(`${dir}.claim`, { recursive: true, force: true });
    throw error;
  }
}
