/**
 * For tests: a world of command-line users on hub processes. cliWorld() builds the hub and the command line once
 * and removes everything it made at the end; cliWorldForFile() does so around a whole test file, with one hub
 * process started; answer() runs murmur --json and checks its exit code; runLong() runs a long `murmur`
 * (timeline --follow) and lets a test wait on its output, line by line, never by the clock.
 * (Not imported by the command line itself.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { PseudonymId } from '../../protocol/ids.ts';
import { type BuiltHub, buildHub } from '../../hub/testing/hub-build.ts';
import { type HubProcess, type SpawnHubOptions, spawnHub } from '../../hub/testing/hub-process.ts';
import { type BuiltCli, type CliUser, buildCli, murmur } from './cli-process.ts';

/**
 * A bound for a test of the command line, not a guess: each runs a dozen node processes or more (startup, scrypt
 * to unlock a key), which on a machine busy with other jobs took up to 65 s for cli.test.ts's longest test; this
 * leaves room for a slower day.
 */
export const CLI_TEST_TIMEOUT_MS = 300_000;

export interface CliWorld {
  readonly cli: BuiltCli;
  tempDir(prefix: string): Promise<string>;
  hubProcess(options?: Partial<SpawnHubOptions>): Promise<HubProcess>;
  newUser(passphrase?: string): Promise<CliUser>;
  /** Runs murmur with --json and expects exit code `code`; returns the parsed answer. */
  answer<T = Record<string, unknown>>(user: CliUser, args: readonly string[], code?: number): Promise<T>;
  /** A new user with a pseudonym claiming `handle` on `on`. */
  initUser(handle: string, on: HubProcess): Promise<{ user: CliUser; id: PseudonymId; handle: string }>;
  close(): Promise<void>;
}

export async function cliWorld(): Promise<CliWorld> {
  const [hub, cli]: [BuiltHub, BuiltCli] = await Promise.all([buildHub(), buildCli()]);
  const dirs: string[] = [];
  const hubs: HubProcess[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const newUser = async (passphrase = 'correct horse battery') => ({
    home: await tempDir('murmur-cli-home-'),
    passphrase,
  });
  const answer = async <T>(user: CliUser, args: readonly string[], code = 0): Promise<T> => {
    const ran = await murmur(cli, user, ['--json', ...args]);
    expect({ args, code: ran.code, stderr: ran.stderr }).toEqual({
      args,
      code,
      stderr: code === 0 ? '' : expect.any(String),
    });
    return ran.json<T>();
  };
  return {
    cli,
    tempDir,
    newUser,
    answer,
    hubProcess: async (options = {}) => {
      const started = await spawnHub(hub.main, { dataDir: await tempDir('murmur-cli-hub-'), ...options });
      hubs.push(started);
      return started;
    },
    initUser: async (handle, on) => {
      const user = await newUser();
      const made = await answer<{ id: PseudonymId; handle: string }>(user, [
        'init',
        '--hub',
        on.url,
        '--handle',
        handle,
      ]);
      expect(made.handle).toBe(`${handle}@${new URL(on.url).host}`);
      return { user, id: made.id, handle: made.handle };
    },
    close: async () => {
      await Promise.all(hubs.map((h) => h.stop()));
      await Promise.all([hub.remove(), cli.remove(), ...dirs.map((d) => rm(d, { recursive: true, force: true }))]);
    },
  };
}

/** A test file's world: closed by the file's own afterAll, so it has no close() of its own. */
export interface FileWorld extends Omit<CliWorld, 'close'> {
  /** The hub process started before the file's first test; a test that restarts it puts the new one here. */
  hub: HubProcess;
}

/**
 * The world and one hub process for a whole test file: registers the beforeAll that builds them and the afterAll
 * that removes them. Call it before the file's own hooks: vitest runs before-hooks in order and after-hooks in
 * reverse, so what those open is there to use the world and is closed before it.
 */
export function cliWorldForFile(): FileWorld {
  let world: CliWorld | undefined;
  let hub: HubProcess | undefined;
  beforeAll(async () => {
    world = await cliWorld();
    hub = await world.hubProcess();
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(() => world?.close());
  // Read at each use, not at the call: the call comes before beforeAll has built anything.
  const built = (): CliWorld => {
    if (world === undefined) throw new Error('the test world is used before its beforeAll built it');
    return world;
  };
  return {
    get cli() {
      return built().cli;
    },
    get hub() {
      if (hub === undefined) throw new Error('the test hub is used before its beforeAll started it');
      return hub;
    },
    set hub(next) {
      hub = next;
    },
    tempDir: (prefix) => built().tempDir(prefix),
    hubProcess: (options) => built().hubProcess(options),
    newUser: (passphrase) => built().newUser(passphrase),
    answer: <T>(user: CliUser, args: readonly string[], code?: number) => built().answer<T>(user, args, code),
    initUser: (handle, on) => built().initUser(handle, on),
  };
}

/** A murmur process left running (timeline --follow): its output so far, and a way to wait for a line. */
export interface Running {
  readonly child: ChildProcess;
  readonly lines: () => readonly string[];
  readonly stderr: () => string;
  /** Resolves with the first stdout line (or with the stderr so far) that `match` accepts; rejects if it exits. */
  waitFor(match: (line: string) => boolean, on?: 'stdout' | 'stderr'): Promise<string>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runLong(cli: BuiltCli, user: CliUser, args: readonly string[]): Running {
  const child = spawn(process.execPath, [cli.main, ...args], {
    env: { ...process.env, MURMUR_HOME: user.home, MURMUR_PASSPHRASE: user.passphrase },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
    for (const wake of waiters) wake();
  });
  return {
    child,
    lines: () => lines,
    stderr: () => stderr,
    waitFor: (match, on = 'stdout') =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = on === 'stdout' ? lines.find(match) : match(stderr) ? stderr : undefined;
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          reject(new Error(`murmur exited first; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        });
      }),
    stop: (signal = 'SIGINT') => {
      child.kill(signal);
      return exited;
    },
  };
}
