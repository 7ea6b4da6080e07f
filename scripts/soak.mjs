#!/usr/bin/env node
/**
 * The soak for as long as asked:
 *
 *   node scripts/soak.mjs [--minutes 10] [--clients 20] [--seed N] [--no-build]
 *   npm run soak -- --minutes 10
 *
 * Three BUILT hubs (dist/hub/main.js, built here first unless --no-build)
 * mirror each other on 127.0.0.1; simulated clients (the real core worker
 * code over fake-indexeddb) post, follow and read while hubs are SIGKILLed
 * and restarted at random; then every post must be on every hub and in every
 * follower's timeline exactly once. The harness is TypeScript (e2e/soak.ts),
 * bundled here with Vite as crash-hub.mjs does; e2e/soak.spec.ts runs a short
 * soak in every test run. Exit code 0 when it passed, 1 otherwise.
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
    minutes: { type: 'string', default: '10' },
    clients: { type: 'string', default: '20' },
    seed: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const clients = Number(values.clients);
if (!(minutes > 0) || !Number.isInteger(clients) || clients < 2) {
  console.error('usage: node scripts/soak.mjs [--minutes N] [--clients N] [--seed N] [--no-build]');
  process.exit(2);
}

if (!values['no-build']) await build({ root: ROOT, configFile: join(ROOT, 'vite.hub.config.ts'), logLevel: 'warn' });
const harnessDir = await mkdtemp(join(tmpdir(), 'murmur-soak-harness-'));
try {
  await build({
    root: ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: join(ROOT, 'e2e/soak.ts'),
      target: 'node20',
      outDir: harnessDir,
      emptyOutDir: true,
      minify: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: 'soak.js' } },
    },
  });
  const { runSoak } = await import(pathToFileURL(join(harnessDir, 'soak.js')).href);
  const summary = await runSoak({
    main: join(ROOT, 'dist', 'hub', 'main.js'),
    runMs: minutes * 60_000,
    clients,
    ...(values.seed !== undefined && { seed: Number(values.seed) }),
    log: (line) => console.log(line),
  });
  console.log(
    `passed: ${summary.posts} posts through ${summary.kills} hub kills; ${summary.checkedOnHubs} checked on hubs, ` +
      `${summary.checkedInTimelines} in timelines`,
  );
} catch (error) {
  console.error(`FAILED: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
  process.exitCode = 1;
} finally {
  await rm(harnessDir, { recursive: true, force: true });
}
