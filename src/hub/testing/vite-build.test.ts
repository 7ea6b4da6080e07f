/**
 * The test run's shared builds: every file of a run that asks for a config gets the one build, made once even
 * when files ask at the same moment; outside a run each call builds a folder of its own.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { TEST_RUN_DIR_VAR, viteBuildOnce } from './vite-build.ts';

const outer = process.env[TEST_RUN_DIR_VAR];
afterEach(() => {
  // Assigning undefined to process.env would set the string "undefined": a relative run folder.
  if (outer === undefined) delete process.env[TEST_RUN_DIR_VAR];
  else process.env[TEST_RUN_DIR_VAR] = outer;
});

test('in a run, callers at the same moment share one build of a config, made once', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'murmur-vite-build-test-'));
  try {
    process.env[TEST_RUN_DIR_VAR] = runDir;
    const builds = await Promise.all([1, 2, 3].map(() => viteBuildOnce('vite.hub.config.ts')));
    expect(new Set(builds.map((b) => b.dir)).size).toBe(1);
    expect(existsSync(join(builds[0]!.dir, 'main.js'))).toBe(true);
    // One build: one folder, its claim, and no staging folder of a second build left behind.
    expect(readdirSync(runDir).sort()).toEqual(['build-vite-hub-config-ts', 'build-vite-hub-config-ts.claim']);
    await builds[0]!.remove();
    expect((await viteBuildOnce('vite.hub.config.ts')).dir).toBe(builds[0]!.dir);
    expect(existsSync(join(builds[0]!.dir, 'main.js'))).toBe(true);
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
});

test('outside a run, each call builds a folder of its own, removed by its remove()', async () => {
  delete process.env[TEST_RUN_DIR_VAR];
  const [a, b] = await Promise.all([viteBuildOnce('vite.hub.config.ts'), viteBuildOnce('vite.hub.config.ts')]);
  expect(a!.dir).not.toBe(b!.dir);
  await Promise.all([a!.remove(), b!.remove()]);
  expect([existsSync(a!.dir), existsSync(b!.dir)]).toEqual([false, false]);
});
