/**
 * For the command-line bench (bench/cli.bench.ts): the built `murmur` run as
 * a whole process and timed from spawn to exit, a home that follows the
 * seeded feeds (made untimed: its key imported from a backup, its feed of
 * follows pulled by `sync`), the baseline
 * of raw node:crypto verifies, and a summary of a CPU profile.
 */
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex } from '../../src/protocol/bytes.ts';
import { encodeBackup } from '../../workers/keys/backup.ts';
import type { FastKey, SeededFeed } from './seed-feeds.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const PASSPHRASE = 'bench passphrase';

/**
 * dist/cli/murmur.js, as `npm run build` (or `npx vite build --config vite.cli.config.ts`) made it.
 * @throws when it is missing, or older than a source file it is built from (it would measure stale code)
 */
export function builtCli(): string {
  const main = join(ROOT, 'dist', 'cli', 'murmur.js');
  const built = statSync(main, { throwIfNoEntry: false })?.mtimeMs;
  const build = 'npx vite build --config vite.cli.config.ts';
  if (built === undefined) throw new Error(`${main} is missing: build it first (${build})`);
  const newest = Math.max(...['src', 'workers'].map((dir) => newestMtime(join(ROOT, dir))));
  if (newest > built) throw new Error(`${main} is older than its sources: build it again (${build})`);
  return main;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export interface Run {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node ...nodeArgs` with MURMUR_HOME `home`, timed from spawn to exit (what a shell user waits). */
export function runNode(nodeArgs: readonly string[], home: string, env: Record<string, string> = {}): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, MURMUR_HOME: home, MURMUR_PASSPHRASE: PASSPHRASE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
  });
}

/** Runs murmur and expects exit 0. @throws with its stderr otherwise */
export async function murmurOk(
  main: string,
  home: string,
  args: readonly string[],
  options: { readonly nodeArgs?: readonly string[]; readonly env?: Record<string, string> } = {},
): Promise<Run> {
  const run = await runNode([...(options.nodeArgs ?? []), main, ...args], home, options.env);
  if (run.code !== 0) throw new Error(`murmur ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

/**
 * A home whose one pseudonym (`reader`) follows every feed its feed on `hubUrl` follows (seed-feeds.ts
 * followingFeed): its key imported from a backup, then `sync`, which pulls its own feed, as a user moving a
 * pseudonym to the command line does. Make it before the followed feeds are on the hub, so nothing else is fetched.
 */
export async function followingHome(main: string, reader: FastKey, hubUrl: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'murmur-bench-cli-home-'));
  const backup = join(home, 'reader-backup.murmur');
  const random = {
    salt: crypto.getRandomValues(new Uint8Array(16)),
    nonce: crypto.getRandomValues(new Uint8Array(24)),
  };
  const contents = { id: reader.author, secretKey: reader.secret, name: 'reader', hubs: [hubUrl], createdAt: 0 };
  writeFileSync(backup, await encodeBackup(contents, PASSPHRASE, random));
  await murmurOk(main, home, ['--json', 'import', backup]);
  await murmurOk(main, home, ['--json', 'sync']);
  return home;
}

/** A copy of `home` in a fresh folder (a first run needs a home that has fetched nothing yet). */
export function copyHome(home: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'murmur-bench-cli-home-'));
  cpSync(home, copy, { recursive: true });
  return copy;
}

/** How many posts of each author `home` shows, read back through `timeline` itself (no limit). */
export async function shownByAuthor(main: string, home: string): Promise<Map<string, number>> {
  const run = await murmurOk(main, home, ['--json', 'timeline', '--limit', '100000000']);
  const counts = new Map<string, number>();
  for (const post of (JSON.parse(run.stdout) as { posts: { author: string }[] }).posts)
    counts.set(post.author, (counts.get(post.author) ?? 0) + 1);
  return counts;
}

/** What the raw baseline verifies: each commit's bytes (to hash), signed message, signature and key. */
export interface RawCommit {
  readonly bytes: Uint8Array;
  readonly message: Uint8Array;
  readonly sig: Uint8Array;
  readonly key: ReturnType<typeof createPublicKey>;
}

export function rawCommitsOf(feeds: readonly SeededFeed[]): RawCommit[] {
  return feeds.flatMap((feed) => {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), fromHex(feed.key.author)]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    return feed.commits.map((c) => ({ bytes: c.bytes, message: c.signed.message, sig: fromHex(c.sig), key }));
  });
}

/** ms to hash each commit's bytes (sha256) and verify its signature, one after another, by node:crypto. */
export function rawVerifyMs(commits: readonly RawCommit[]): number {
  const started = performance.now();
  for (const c of commits) {
    createHash('sha256').update(c.bytes).digest();
    if (!verify(null, c.message, c.key, c.sig)) throw new Error('a seeded signature does not verify');
  }
  return performance.now() - started;
}

/** The functions with the most self time in a .cpuprofile (node --cpu-prof), in ms, most first. */
export function topSelfTimes(file: string, count = 15): [string, number][] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const names = new Map(
    profile.nodes.map((n) => {
      const { functionName, url, lineNumber } = n.callFrame;
      return [n.id, `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`];
    }),
  );
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = names.get(id)!;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
}
