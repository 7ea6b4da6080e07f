/**
 * For tests and the benchmark that need the hub as a real process: builds
 * src/hub/main.ts with vite.hub.config.ts into a fresh temporary folder, so
 * the process runs the code under test (never a stale dist/). Vite runs as
 * its CLI in a child process, which keeps the hub's imports to node:*.
 * (Not imported by the hub itself.)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface BuiltHub {
  /** The built main.js to run with node. */
  readonly main: string;
  remove(): Promise<void>;
}

/** @throws with Vite's output when the build fails. */
export async function buildHub(): Promise<BuiltHub> {
  const outDir = await mkdtemp(join(tmpdir(), 'murmur-hub-build-'));
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--config', 'vite.hub.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: ROOT },
  );
  return { main: join(outDir, 'main.js'), remove: () => rm(outDir, { recursive: true, force: true }) };
}
