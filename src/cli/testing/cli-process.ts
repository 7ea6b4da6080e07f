/**
 * For tests: the command line as real processes. buildCli() builds
 * src/cli/main.ts with vite.cli.config.ts (src/hub/testing/vite-build.ts: a
 * fresh folder, once per test run), so the processes run the code under
 * test, never a stale dist/; murmur() runs it once with a home and a
 * passphrase, and collects its output and exit code. (Not imported by the
 * command line itself.)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { viteBuildOnce } from '../../hub/testing/vite-build.ts';

export interface BuiltCli {
  /** The built murmur.js to run with node. */
  readonly main: string;
  remove(): Promise<void>;
}

/** @throws with Vite's output when the build fails. */
export async function buildCli(): Promise<BuiltCli> {
  const built = await viteBuildOnce('vite.cli.config.ts');
  return { main: join(built.dir, 'murmur.js'), remove: built.remove };
}

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for --json runs). @throws when it is not one JSON value */
  json<T = Record<string, unknown>>(): T;
}

/** One user of the command line: a home folder and the passphrase that unlocks it. */
export interface CliUser {
  readonly home: string;
  readonly passphrase: string;
  /** The process's whole environment instead of the above (an agent: MURMUR_AGENT_KEY, MURMUR_PASSPHRASE). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `node main ...args` for `user` and waits for it to exit. */
export function murmur(cli: BuiltCli, user: CliUser, args: readonly string[]): Promise<Ran> {
  const child = spawn(process.execPath, [cli.main, ...args], {
    env: user.env ?? { ...process.env, MURMUR_HOME: user.home, MURMUR_PASSPHRASE: user.passphrase },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }));
  });
}
