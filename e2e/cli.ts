/**
 * The command line in e2e tests, as a person (or a script) runs it: `node dist/cli/murmur.js` with a home of its
 * own (MURMUR_HOME, a fresh temporary folder) and MURMUR_PASSPHRASE, once per command, or as a long-running
 * `timeline --follow --json` whose NDJSON lines are timed as they arrive. The `cli` fixture gives each test one
 * such user and removes its home (and ends its streams) afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as hubsTest } from './fixtures.ts';

/**
 * dist/ is built before the suite runs (the README's test command): the bundle `npx murmur` runs. (src/cli is a
 * leaf that nothing else imports, layers.test.ts; its own testing/cli-process.ts is the same few lines.)
 */
const MAIN = join(import.meta.dirname, '..', 'dist', 'cli', 'murmur.js');

/** One finished run of the command line. */
export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (for --json runs). @throws when it is not one JSON value */
  json<T = Record<string, unknown>>(): T;
}

interface Home {
  readonly home: string;
  readonly passphrase: string;
}

/** `env` adds to (or overrides) the home's variables: an agent's credential and its own home. */
function spawnMurmur(user: Home, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, MURMUR_HOME: user.home, MURMUR_PASSPHRASE: user.passphrase, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `murmur ...args` for `user` and waits for it to exit. */
function murmur(user: Home, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Ran> {
  const child = spawnMurmur(user, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }));
  });
}

/** One post as `timeline --json` and `timeline --follow --json` print it (docs/cli.md). */
export interface CliPost {
  readonly id: string;
  readonly author: string;
  readonly handle: string | null;
  readonly body: string;
  readonly replyTo: string | null;
}

/** One post of `thread --json`. */
export interface CliThreadPost extends CliPost {
  readonly depth: number;
  readonly reactions: Readonly<Record<string, readonly string[]>>;
}

/** What `post`, `follow` and the other verbs that send answer besides their own fields. */
export interface Sent {
  readonly sent: boolean;
  readonly queued: number;
}

/** One NDJSON line of a live timeline, and when (Date.now() in this process) it arrived. */
export interface Arrival {
  readonly post: CliPost;
  readonly at: number;
}

/** A running `timeline --follow --json`. */
export interface LiveTimeline {
  /** Every line so far, in order. */
  readonly arrivals: readonly Arrival[];
  /** Resolves once stderr says `Live: streaming N feeds` (every stream open); rejects if the process ends first. */
  readonly live: Promise<void>;
  /** Everything written to stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM, then the exit code (0: a signal is how it is meant to stop). */
  stop(): Promise<number | null>;
}

export interface CliUser {
  readonly home: string;
  readonly passphrase: string;
  /** Runs one command and waits for it to exit. */
  run(args: readonly string[]): Promise<Ran>;
  /** Runs one command with --json, expects exit 0, and returns its answer. */
  json<T = Record<string, unknown>>(args: readonly string[]): Promise<T>;
  /** Starts `timeline --follow --json` (plus `args`). */
  follow(args?: readonly string[]): LiveTimeline;
  /**
   * The agent of the credential `file` (`agent add --out FILE`), as its own process runs it: MURMUR_AGENT_KEY set,
   * a home of its own beside the credential, the same passphrase (agent add sealed its key under it).
   */
  agent(file: string): Pick<CliUser, 'run' | 'json'>;
}

/** `murmur ...` with --json must exit 0; the failure message carries what it said. */
async function answerOf<T>(user: Home, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<T> {
  const ran = await murmur(user, [...args, '--json'], env);
  expect(ran.code, `murmur ${args.join(' ')}: ${ran.stdout}${ran.stderr}`).toBe(0);
  return ran.json<T>();
}

function startLive(user: Home, args: readonly string[]): LiveTimeline {
  const child = spawnMurmur(user, ['timeline', '--follow', '--json', ...args]);
  const arrivals: Arrival[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const at = Date.now();
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.trim() !== '') arrivals.push({ post: JSON.parse(line) as CliPost, at });
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const live = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (/Live: streaming \d+ feeds/.test(stderr)) resolve();
    });
    void exited.then((code) => reject(new Error(`timeline --follow ended (${code}) before streaming: ${stderr}`)));
  });
  live.catch(() => {}); // awaited by the test; a process that ends later is not an unhandled rejection
  return {
    arrivals,
    live,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The hubs of fixtures.ts, and `cli`: one command-line user with an empty home of its own. */
export const test = hubsTest.extend<{ cli: CliUser }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a pattern as a fixture's first parameter.
  cli: async ({}, use) => {
    const home = await mkdtemp(join(tmpdir(), 'murmur-e2e-cli-'));
    const user = { home, passphrase: 'the command line passphrase' };
    const streams: LiveTimeline[] = [];
    await use({
      ...user,
      run: (args) => murmur(user, args),
      json: (args) => answerOf(user, args),
      follow(args = []) {
        const stream = startLive(user, args);
        streams.push(stream);
        return stream;
      },
      agent(file) {
        const env = { MURMUR_AGENT_KEY: file, MURMUR_HOME: `${file}.home` };
        return { run: (args) => murmur(user, args, env), json: (args) => answerOf(user, args, env) };
      },
    });
    await Promise.all(streams.map((s) => s.stop()));
    await rm(home, { recursive: true, force: true });
  },
});

export { expect };
