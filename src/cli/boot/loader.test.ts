/**
 * The built loader (dist/cli/murmur.js, from loader.cjs): the first run writes V8's code cache of the bundle,
 * named by the bundle's sha256, and later runs use it without writing it again; a cache V8 refuses is replaced,
 * never trusted; where the bundle's folder takes no cache, the home does.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BuiltCli, buildCli, murmur } from '../testing/cli-process.ts';

const TIMEOUT_MS = 120_000;
let cli: BuiltCli;
let dist = '';
let bundleHash = '';
const homes: string[] = [];

beforeAll(async () => {
  // A copy of its own: the build is shared by the run's other test files, whose commands write their caches into
  // its cache/ while this file counts, damages and removes what is there.
  const shared = await buildCli();
  dist = mkdtempSync(join(tmpdir(), 'murmur-loader-dist-'));
  cpSync(dirname(shared.main), dist, { recursive: true, filter: (from) => basename(from) !== 'cache' });
  await shared.remove();
  cli = { main: join(dist, basename(shared.main)), remove: () => rm(dist, { recursive: true, force: true }) };
  bundleHash = createHash('sha256')
    .update(readFileSync(join(dist, 'murmur.cjs')))
    .digest('hex');
}, TIMEOUT_MS);
afterAll(async () => {
  await cli.remove();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'murmur-loader-home-'));
  homes.push(home);
  return home;
}

/** `murmur --json whoami` in `home` (a home with no pseudonym: it answers NoPseudonym, from the bundle's code). */
async function run(home: string) {
  const ran = await murmur(cli, { home, passphrase: 'unused' }, ['--json', 'whoami']);
  expect(ran.json()).toMatchObject({ error: 'NoPseudonym' });
}

/** The cache files in `dir`, with what identifies each write (a rename makes a new inode). */
function caches(dir: string): { name: string; ino: number; bytes: Buffer }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.map((name) => ({ name, ino: statSync(join(dir, name)).ino, bytes: readFileSync(join(dir, name)) }));
}

test(
  'the first run writes the cache, named by the bundle; a later run uses it; one V8 refuses is replaced',
  async () => {
    const home = newHome();
    const dir = join(dist, 'cache');
    await run(home);
    const [written, ...more] = caches(dir);
    expect(more).toEqual([]);
    expect(written!.name.startsWith(`${bundleHash}-${process.versions.v8}-`)).toBe(true);
    expect(written!.bytes.length).toBeGreaterThan(10_000);

    await run(home);
    expect(caches(dir)).toEqual([written]); // accepted: not written again

    const garbage = Buffer.alloc(written!.bytes.length, 7);
    writeFileSync(join(dir, written!.name), garbage);
    await run(home); // refused by V8: the bundle compiled from its source, and a good cache written
    const [rewritten] = caches(dir);
    expect(rewritten!.name).toBe(written!.name);
    expect(rewritten!.bytes.equals(garbage)).toBe(false);
    await run(home);
    expect(caches(dir)).toEqual([rewritten]);

    // Another build's cache there is dropped when this one's is written.
    const stale = `${'0'.repeat(64)}-${process.versions.v8}-${process.arch}.v8cache`;
    writeFileSync(join(dir, stale), written!.bytes);
    rmSync(join(dir, written!.name));
    await run(home);
    expect(caches(dir).map((c) => c.name)).toEqual([written!.name]);
  },
  TIMEOUT_MS,
);

test(
  'where the bundle folder takes no cache, the home keeps it',
  async () => {
    const home = newHome();
    const dir = join(dist, 'cache');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'a file where the cache folder would be');
    try {
      await run(home);
      const [written] = caches(join(home, 'code-cache'));
      expect(written!.name.startsWith(bundleHash)).toBe(true);
      await run(home);
      expect(caches(join(home, 'code-cache'))).toEqual([written]);
    } finally {
      rmSync(dir, { force: true });
    }
  },
  TIMEOUT_MS,
);
