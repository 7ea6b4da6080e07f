#!/usr/bin/env node
/**
 * The hub crash test, for as many cycles as asked:
 *
 *   node scripts/crash-hub.mjs [--cycles 200] [--writers 8] [--seed N] [--keep] [--no-build]
 *   npm run crash -- --cycles 200
 *
 * It runs the BUILT hub, dist/hub/main.js (built here first with
 * vite.hub.config.ts, exactly as `npx vite build --config vite.hub.config.ts`,
 * unless --no-build), on a fresh data folder and a fixed free port; concurrent
 * writers send signed blob uploads, heads of increasing seq, handle claims and
 * inbox notices; the hub is SIGKILLed at a random moment, started again on the
 * same folder, and must still hold everything it acknowledged (every blob,
 * every claim, every notice, a head seq >= the highest acknowledged), and
 * every blob file in its folder must hash to its name.
 *
 * The harness is TypeScript (src/hub/testing/crash-run.ts: it signs records with
 * src/protocol), so this script bundles it with Vite into a temporary folder
 * and imports it: no second copy of the protocol in JavaScript. The same
 * harness runs 5 cycles in the unit suite (src/hub/store/files/crash.test.ts).
 * Exit code 0 when every cycle passed, 1 with the first lost write otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '200' },
    writers: { type: 'string', default: '8' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const cycles = Number(values.cycles);
const writers = Number(values.writers);
if (!Number.isInteger(cycles) || cycles < 1 || !Number.isInteger(writers) || writers < 1) {
  console.error('usage: node scripts/crash-hub.mjs [--cycles N] [--writers N] [--seed N] [--keep] [--no-build]');
  process.exit(2);
}

if (!values['no-build']) {
  await build({ root: ROOT, configFile: join(ROOT, 'vite.hub.config.ts'), logLevel: 'warn' });
}
const harnessDir = await mkdtemp(join(tmpdir(), 'murmur-crash-harness-'));
try {
  await build({
    root: ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: join(ROOT, 'src/hub/testing/crash-run.ts'),
      target: 'node20',
      outDir: harnessDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: 'crash-run.js' } },
    },
  });
  const { runCrashCycles } = await import(pathToFileURL(join(harnessDir, 'crash-run.js')).href);
  const started = performance.now();
  const summary = await runCrashCycles({
    main: join(ROOT, 'dist', 'hub', 'main.js'),
    cycles,
    writers,
    keep: values.keep,
    ...(values.seed !== undefined && { seed: Number(values.seed) }),
    log: (line) => console.log(line),
  });
  const { blobs, heads, claims, notices } = summary.acknowledged;
  console.log(
    `passed: ${summary.cycles} SIGKILLs in ${Math.round((performance.now() - started) / 1000)} s; ` +
      `${summary.writes} writes acknowledged ` +
      `(${blobs} blobs, ${claims} claims, ${notices} notices, heads of ${heads} authors) and all intact; ` +
      `${summary.blobFilesChecked} blob files hash to their names`,
  );
} catch (error) {
  console.error(`FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
  process.exitCode = 1;
} finally {
  await rm(harnessDir, { recursive: true, force: true });
}
