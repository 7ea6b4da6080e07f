/**
 * The rows of bench/worker.bench.ts, each goal row beside its positive
 * control (a run where what the row guards is broken on purpose, which must
 * say no), and the first-page rounds they are made from.
 */
import type { Page } from 'playwright-core';
import { type Row, rowOf } from '../record.ts';
import type { DiskBytes } from './disk-bytes.ts';

export interface IngestRound {
  /** Ingest, commits/s. */
  readonly value: number;
  /** Raw verifies/s on the page's one thread. */
  readonly raw: number;
  /** Raw verifies/s on as many workers as ingest verifies on. */
  readonly rawWorkers: number;
  readonly floor: number;
  readonly read: number;
  /** The control: ingest with each signature verified three times, commits/s. */
  readonly slowed: number;
}

export type Paired = { value: number; base: number }[];
export interface Seeded {
  readonly rows: number;
  readonly posts: number;
  readonly packed?: number;
  readonly muted?: number;
}
export interface Realistic {
  readonly stored: number;
  readonly followed: number;
  readonly perFeed: number;
  readonly long: number;
  readonly longPerFeed: number;
}

type Call = <T>(fn: string, ...args: unknown[]) => Promise<T>;

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Seeds a store in `page` (by `seed`, a page function and its arguments), then 11 alternating rounds of 20
 * plain getAlls and 20 first pages, then 3 of 20 plain getAlls and one first page read by a scan (the control);
 * closes the page's context.
 */
export async function firstPages(
  { page, call }: { page: Page; call: Call },
  name: string,
  seed: [string, ...unknown[]],
): Promise<{ paged: Paired; scanned: Paired; seeded: Seeded }> {
  const t = performance.now();
  const seeded = await call<Seeded>(...seed);
  console.info(`${name} store: ${JSON.stringify(seeded)}, seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (process.env.BENCH_ONLY === 'timeline' && name === 'easy')
    console.info('timeline profile (ms):', JSON.stringify(await call('timelineProfile', 20)));
  await call('timelineRound', 5, name);
  await call('plainRound', 5, name);
  const paged: Paired = [];
  for (let i = 0; i < 11; i++) {
    const base = await call<number>('plainRound', 20, name);
    paged.push({ base, value: await call<number>('timelineRound', 20, name) });
  }
  const scanned: Paired = [];
  for (let i = 0; i < 3; i++) {
    const base = await call<number>('plainRound', 20, name);
    scanned.push({ base, value: await call<number>('scannedRound', 1, name) });
  }
  console.info(`${name} first page rounds (ms, plain ms):`, JSON.stringify({ paged, scanned }));
  await page.context().close();
  return { paged, scanned, seeded };
}

export function ingestRows(rounds: readonly IngestRound[], commits: number, workers: number): Row[] {
  const onWorkers = `raw WebCrypto Ed25519 verify on ${workers} workers (as many as ingest verifies on)`;
  const atLeastHalf = { text: '>= 0.5x', met: (ratio: number) => ratio >= 0.5 };
  const ingest =
    `Chromium: ingest of ${n(commits)} commits from a local hub (log, batches, verify on ${workers} workers, ` +
    `store; rows for the newest posts, packs for the rest)`;
  const of = (pick: (r: IngestRound) => number, base: (r: IngestRound) => number) =>
    rounds.map((r) => ({ value: pick(r), base: base(r) }));
  return [
    rowOf({
      scenario: ingest,
      unit: 'commits/s',
      baseline: onWorkers,
      better: 'higher',
      rounds: of(
        (r) => r.value,
        (r) => r.rawWorkers,
      ),
      goal: atLeastHalf,
    }),
    rowOf({
      scenario: 'Chromium: the same ingest beside one thread',
      unit: 'commits/s',
      baseline: "raw WebCrypto Ed25519 verify on the page's one thread",
      better: 'higher',
      rounds: of(
        (r) => r.value,
        (r) => r.raw,
      ),
    }),
    rowOf({
      scenario: 'control: the same ingest, each signature verified three times (on the same workers)',
      unit: 'commits/s',
      baseline: onWorkers,
      better: 'higher',
      rounds: of(
        (r) => r.slowed,
        (r) => r.rawWorkers,
      ),
      goal: atLeastHalf,
    }),
    rowOf({
      scenario:
        'Chromium: the floor under it: writing the same packs and post rows alone (one transaction; nothing ' +
        'fetched, verified or read)',
      unit: 'commits/s',
      baseline: onWorkers,
      better: 'higher',
      rounds: of(
        (r) => r.floor,
        (r) => r.rawWorkers,
      ),
    }),
    rowOf({
      scenario:
        `Chromium: then reading all ${n(commits)} posts, 50 a page, to the end (the rows left for later given ` +
        'on the way)',
      unit: 'posts/s',
      baseline: onWorkers,
      better: 'higher',
      rounds: of(
        (r) => r.read,
        (r) => r.rawWorkers,
      ),
    }),
  ];
}

export function timelineRows(
  pages: Record<'easy' | 'realistic', { paged: Paired; scanned: Paired; seeded: Seeded }>,
  feeds: number,
  realistic: Realistic,
): Row[] {
  const goal = { text: '<= 1.5x', met: (ratio: number) => ratio <= 1.5 };
  const common = { unit: 'ms', baseline: 'raw 50-record getAll on a plain store', better: 'lower' as const, goal };
  const { easy, realistic: real } = pages;
  return [
    rowOf({
      ...common,
      scenario:
        `Chromium: first timeline page of 50, the easy store: one pseudonym following all ${feeds} feeds ` +
        `stored, ${n(easy.seeded.posts)} posts (the page is one getAll)`,
      rounds: easy.paged,
    }),
    rowOf({
      ...common,
      scenario: 'control: the same page read by scanning the post rows (no bounded read)',
      rounds: easy.scanned,
    }),
    rowOf({
      ...common,
      scenario:
        `Chromium: first timeline page of 50, a realistic store: ${n(realistic.stored)} feeds stored, ` +
        `${realistic.followed} followed, ${real.seeded.muted} of those muted and a muted word, ` +
        `${n(real.seeded.posts)} posts, ${n(real.seeded.packed ?? 0)} of them in packs without rows`,
      rounds: real.paged,
    }),
    rowOf({
      ...common,
      scenario: 'control: the same realistic page read by scanning the post rows (no bounded read)',
      rounds: real.scanned,
    }),
  ];
}

export function bytesRows(disk: DiskBytes, control: DiskBytes): Row[] {
  const canonical = 'canonical bytes (post object + its commit)';
  const row = (scenario: string, value: number, base: number, goal = false): Row => ({
    scenario,
    value,
    unit: 'B',
    baseline: canonical,
    baselineValue: base,
    ratio: value / base,
    better: 'lower',
    ...(goal && { goal: '<= 1.5x', met: value / base <= 1.5 }),
  });
  const { estimate } = disk;
  return [
    row(
      `bytes per post on disk: the origin's IndexedDB folder in a fresh Chromium profile, after less before ` +
        `(${n(disk.posts)} posts)`,
      disk.folderPerPost,
      estimate.canonical,
      true,
    ),
    row(
      'control: the same with one more index on the post store (its text)',
      control.folderPerPost,
      control.estimate.canonical,
      true,
    ),
    row(
      "bytes per post the origin's usage grew by (navigator.storage.estimate(), same run)",
      disk.usagePerPost,
      estimate.canonical,
    ),
    row(
      "the rows' fields counted in JavaScript (blob rows, commit packs, post rows; no index entries, no file format)",
      estimate.blobs + estimate.commitRows + estimate.postRows,
      estimate.canonical,
    ),
  ];
}
