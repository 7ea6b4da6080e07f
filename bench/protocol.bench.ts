import { join } from 'node:path';
import { expect, test } from 'vitest';
import { pageWith, launchChromium } from './chromium.ts';
import { type Row, median, writeSection } from './record.ts';
import { type VerifyRound, makeCommits, verifyRound } from './verify-scenario.ts';
import { nodeDigest } from '../src/hub/node-digest.ts';

// Many short rounds: the median ratio then stands up to the bursts of a shared machine.
const ROUNDS = 15;

function summarize(where: string, rounds: VerifyRound[]): Row {
  const ratio = median(rounds.map((r) => r.commitsPerSecond / r.rawPerSecond));
  return {
    scenario: `${where}: commits decoded + verified`, value: median(rounds.map((r) => r.commitsPerSecond)), unit: '/s',
    baseline: 'raw WebCrypto Ed25519 verify', baselineValue: median(rounds.map((r) => r.rawPerSecond)),
    ratio, better: 'higher', goal: '>= 0.8x', met: ratio >= 0.8,
  };
}

test('commit verification beside raw signature verification, in Node and in Chromium', async () => {
  const commits = makeCommits(2000);
  const node: VerifyRound[] = [];
  // Node verifies as the hub does (its mirror): sha256 by node:crypto (src/hub/node-digest.ts).
  await verifyRound(globalThis.crypto.subtle, commits, () => performance.now(), nodeDigest); // warm up
  for (let i = 0; i < ROUNDS; i++) node.push(await verifyRound(globalThis.crypto.subtle, commits, () => performance.now(), nodeDigest));

  const browser = await launchChromium();
  const page = await pageWith(browser, join(import.meta.dirname, 'browser', 'verify-page.ts'));
  const chromium: VerifyRound[] = [];
  await page.evaluate('verifyRound()');
  for (let i = 0; i < ROUNDS; i++) chromium.push((await page.evaluate('verifyRound()')) as VerifyRound);
  await browser.close();

  const rows = [summarize('Node (as the hub verifies: sha256 by node:crypto)', node), summarize('Chromium (as the worker verifies: sha256 by WebCrypto)', chromium)];
  writeSection('1-protocol', 'Protocol: verifying commits', 'npm run bench', rows,
    '2,000 signed commits (one post op, one parent each) by one key, verified concurrently; the baseline verifies the same signatures over the same bytes with a pre-imported key. Decoding and hashing each commit is CPU the raw baseline does not spend, on the same 2 cores.');
  for (const row of rows) expect(row.value).toBeGreaterThan(0);
});
