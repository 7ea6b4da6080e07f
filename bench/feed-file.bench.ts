/**
 * Export then import of a 10,000-post feed (issue 18, point 2), as the command line does it (the scenario is
 * bundled with vite.cli.config.ts, so it hashes with node:crypto as `murmur` does, and runs in a Node process
 * of its own): the feed in the core's memory store (the command line's store without its journal) written to
 * a feed file, then imported into a fresh store as `import-feed` does (importFeedFile: verified whole, then
 * applied), beside raw WebCrypto verifies of the same commits' signatures, alternating in the same process.
 * Positive control: the same with a verifier that checks each signature twice must measure slower (the
 * figure sees a verify's cost), and every round checks the import holds every commit and the same tips.
 *
 *   npm run build && npx vitest run --config bench/vitest.config.ts bench/feed-file.bench.ts && node bench/report.mjs
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { expect, test } from 'vitest';
import type { FeedFileRound } from './node/feed-file-node.ts';
import { median, writeSection } from './record.ts';

const ROUNDS = Number(process.env.BENCH_FEED_FILE_ROUNDS ?? 5);
const ROOT = join(import.meta.dirname, '..');

async function nodeRounds(rounds: number): Promise<FeedFileRound[]> {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-bench-feed-file-'));
  try {
    await build({
      configFile: join(ROOT, 'vite.cli.config.ts'),
      logLevel: 'warn',
      build: {
        ssr: join(import.meta.dirname, 'node', 'feed-file-node.ts'),
        outDir: dir,
        emptyOutDir: true,
        sourcemap: false,
        rolldownOptions: { output: { format: 'es', entryFileNames: 'feed-file.mjs' } },
      },
    });
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'feed-file.mjs'), String(rounds)], {
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout) as FeedFileRound[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const COMMITS = 10_000;

function phaseText(rounds: readonly FeedFileRound[]): string {
  const names = { list: 'list the feed', write: 'write the file', verify: 'read it verified', apply: 'apply it' };
  return Object.entries(names)
    .map(
      ([key, name]) =>
        `${name} ${Math.round(median(rounds.map((r) => r.phases[key as keyof FeedFileRound['phases']])))}`,
    )
    .join(', ');
}

function spread(values: readonly number[]): string {
  return `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
}

test('export then import of a 10,000-post feed beside raw verifies of its commits', async () => {
  const rounds = await nodeRounds(ROUNDS);
  const ratio = median(rounds.map((r) => r.feedPerSecond / r.rawPerSecond));
  const control = median(rounds.map((r) => r.controlPerSecond / r.rawPerSecond));
  console.info(JSON.stringify({ ratio, control, rounds }));
  // The positive control: checking each signature twice is seen as slower, so the figure measures verifies.
  expect(control).toBeLessThan(ratio);
  expect(control, 'the control must say no').toBeLessThan(0.5);
  writeSection(
    '10-feed-file',
    'Feed files: export then import',
    'npm run bench',
    [
      {
        scenario: 'export then import (verified whole, then applied) of a 10,000-post feed, commits',
        value: median(rounds.map((r) => r.feedPerSecond)),
        unit: '/s',
        baseline: 'raw WebCrypto Ed25519 verify of the same commits',
        baselineValue: median(rounds.map((r) => r.rawPerSecond)),
        ratio,
        better: 'higher',
        goal: '>= 0.5x',
        met: ratio >= 0.5,
      },
      {
        scenario: 'positive control: the same, each signature verified twice',
        value: median(rounds.map((r) => r.controlPerSecond)),
        unit: '/s',
        baseline: 'raw WebCrypto Ed25519 verify of the same commits',
        baselineValue: median(rounds.map((r) => r.rawPerSecond)),
        ratio: control,
        better: 'higher',
        // The goal read on the control too: it must say no, or the row could not tell a slow import from a fast one.
        goal: '>= 0.5x',
        met: control >= 0.5,
      },
    ],
    `${ROUNDS} rounds in one Node process (the scenario bundled as the command line is), alternating; each ` +
      'round exports the feed (one chain of one-post commits, no media) from the core memory store to a file in ' +
      'memory and imports it into a fresh one, as import-feed does (the file is small, so it is read once). ' +
      `Ratio per round: ${spread(rounds.map((r) => r.feedPerSecond / r.rawPerSecond))}; control ` +
      `${spread(rounds.map((r) => r.controlPerSecond / r.rawPerSecond))}. Whole runs alternate, not slices, so a ` +
      'burst of other work on the machine lands on one side of a round: read the median over many rounds. ' +
      `Where a run's time goes (median ms): ${phaseText(rounds)}; the raw verifies of the same commits take ` +
      `${Math.round((COMMITS / median(rounds.map((r) => r.rawPerSecond))) * 1000)} ms. Listing, writing and ` +
      'applying run on one thread; verifying shares both cores between the reader and the verifies.',
  );
});
