import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { expect, test } from 'vitest';
import { pageWith, launchChromium } from './chromium.ts';
import { type Row, median, writeSection } from './record.ts';
import type { VerifyRound } from './verify-scenario.ts';

// Many short rounds: the median ratio then stands up to the bursts of a shared machine.
const ROUNDS = 25;

// The positive control: the same rounds with each signature verified once more on the commit side; it must say no.
const CONTROL_EXTRA = 1;

function summarize(scenario: string, rounds: VerifyRound[]): Row {
  const ratio = median(rounds.map((r) => r.commitsPerSecond / r.rawPerSecond));
  return {
    scenario,
    value: median(rounds.map((r) => r.commitsPerSecond)),
    unit: '/s',
    baseline: 'raw WebCrypto Ed25519 verify',
    baselineValue: median(rounds.map((r) => r.rawPerSecond)),
    ratio,
    better: 'higher',
    goal: '>= 0.8x',
    met: ratio >= 0.8,
  };
}

/**
 * The Node rounds, run as the hub runs: the scenario bundled into one file
 * (as dist/hub/main.js is) in a Node process of its own. Run through Vitest's
 * module loader instead, every call between modules goes through an import
 * binding, a cost the built hub does not pay and the raw baseline hardly has.
 */
async function nodeRounds(rounds: number, extra: number): Promise<VerifyRound[]> {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-bench-verify-'));
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      publicDir: false,
      ssr: { noExternal: true, target: 'node' },
      build: {
        ssr: join(import.meta.dirname, 'node', 'verify-node.ts'),
        target: 'node20',
        outDir: dir,
        minify: false,
        rolldownOptions: { output: { format: 'es', entryFileNames: 'verify.mjs' } },
      },
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(dir, 'verify.mjs'), String(rounds), String(extra)],
      {
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(stdout) as VerifyRound[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('commit verification beside raw signature verification, in Node and in Chromium', async () => {
  const node = await nodeRounds(ROUNDS, 0);
  const nodeControl = await nodeRounds(ROUNDS, CONTROL_EXTRA);

  const browser = await launchChromium();
  const page = await pageWith(browser, join(import.meta.dirname, 'browser', 'verify-page.ts'));
  const chromium: VerifyRound[] = [];
  const chromiumControl: VerifyRound[] = [];
  await page.evaluate('verifyRound()');
  // Alternating with the control, round by round, so a burst of other work lands on both.
  for (let i = 0; i < ROUNDS; i++) {
    chromium.push((await page.evaluate('verifyRound()')) as VerifyRound);
    chromiumControl.push((await page.evaluate(`verifyRound(${CONTROL_EXTRA})`)) as VerifyRound);
  }
  await browser.close();

  const nodeWhere = 'Node (as the hub verifies: the built bundle, sha256 by node:crypto)';
  const chromiumWhere = 'Chromium (as the worker verifies: sha256 by sha256.ts)';
  const control = 'control: the same, each signature verified twice';
  const rows = [
    summarize(`${nodeWhere}: commits decoded + verified`, node),
    summarize(`${control} (Node)`, nodeControl),
    summarize(`${chromiumWhere}: commits decoded + verified`, chromium),
    summarize(`${control} (Chromium)`, chromiumControl),
  ];
  writeSection(
    '1-protocol',
    'Protocol: verifying commits',
    'npm run bench',
    rows,
    '2,000 signed commits (one post op, one parent each) by one key, verified concurrently; the baseline verifies ' +
      'the same signatures over the same bytes with a pre-imported key, in the same process, alternating slice by ' +
      'slice (250 commits each, the order swapped every slice) so a burst of other work lands on both sides alike. ' +
      'Node runs the scenario bundled into one file in a process of its own, as the built hub runs; Chromium runs ' +
      'it bundled in a page. Decoding and hashing each commit is CPU the raw baseline does not spend, on the same ' +
      `2 cores. The controls verify each signature ${CONTROL_EXTRA + 1} times on the commit side (the same ` +
      'rounds otherwise; in Chromium alternating with the scenario round by round) and must say no.',
  );
  for (const row of rows) expect(row.value).toBeGreaterThan(0);
  // A control that says yes could not have told a slow verify from a fast one.
  expect(rows.filter((r) => r.scenario.startsWith('control')).map((r) => r.met)).toEqual([false, false]);
});
