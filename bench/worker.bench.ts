/**
 * The core worker in Chromium, each scenario beside its baseline in the same
 * page, in alternating rounds (record.ts):
 * (a) ingest of a 10,000-commit feed (with its feed log) from a real local
 *     hub, commits/s, beside raw WebCrypto Ed25519 verifies/s on one thread
 *     and on as many workers as ingest verifies on (the goal's baseline);
 * (b) the first timeline page of 50, in an easy store (200 feeds, all
 *     followed, 100,000 posts) and a realistic one (1,000 feeds stored, 200
 *     followed, some muted, lazy rows), beside a raw 50-record getAll on a
 *     plain object store;
 * (c) bytes stored per post on disk (the profile's IndexedDB folder) beside
 *     its canonical bytes.
 * Each goal row has a positive control that must say no (rows.ts).
 *
 *   npx vitest run --config bench/vitest.config.ts bench/worker.bench.ts && node bench/report.mjs
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { growFeed, pushFeed } from '../src/hub/testing/feed-fixture.ts';
import { buildHub } from '../src/hub/testing/hub-build.ts';
import { spawnHub } from '../src/hub/testing/hub-process.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from './chromium.ts';
import { type Row, writeSection } from './record.ts';
import { UNLIMITED_RATES } from './hub/bench-hub-env.ts';
import { diskBytesPerPost } from './worker/disk-bytes.ts';
import { workerNotes } from './worker/notes.ts';
import {
  type IngestRound,
  type Paired,
  type Realistic,
  type Seeded,
  bytesRows,
  firstPages,
  ingestRows,
  timelineRows,
} from './worker/rows.ts';
import { abIngest, profileIngest } from './worker/tuning.ts';

const INGEST_COMMITS = Number(process.env.BENCH_INGEST ?? 10_000);
/** The untimed ingest before each timed one. */
const WARM_COMMITS = 1000;
const FEEDS = 200;
const PER_FEED = Number(process.env.BENCH_PER_FEED ?? 500);
/** The realistic first page's store (issue 23): most feeds stored are not followed; long feeds have lazy rows. */
const REALISTIC: Realistic = {
  stored: 1000,
  followed: 200,
  perFeed: Number(process.env.BENCH_REALISTIC_PER_FEED ?? 100),
  long: 20,
  longPerFeed: 1000,
};
/** The disk measure's store (bytes-page.ts seedDisk; BENCH_DISK_FEEDS while tuning). */
const DISK = { feeds: Number(process.env.BENCH_DISK_FEEDS ?? 40), perFeed: 250 };
/** Ingest rounds (BENCH_ROUNDS while tuning). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** While tuning: BENCH_ONLY=ingest or =timeline runs that part alone (nothing is recorded then). */
const ONLY = process.env.BENCH_ONLY;
/** While tuning: BENCH_AB=<another checkout> times this tree's ingest against that one's, round by round. */
const AB = process.env.BENCH_AB;

/**
 * As chromium.ts pageWith, but the page's origin is the hub's own (a route
 * under it, intercepted): Chromium's Local Network Access refuses a page at
 * http://localhost served by interception any fetch to a loopback port, and
 * a same-origin page needs no permission.
 */
async function pageAt(browser: Browser, url: string, code: string): Promise<Page> {
  const page = await browser.newPage();
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title>' }),
  );
  await page.goto(url);
  await page.addScriptTag({ content: code });
  return page;
}

/** `entry` and what it imports as one classic script. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      minify: !process.env.BENCH_PROFILE,
      lib: { entry, formats: ['iife'], name: 'bench' },
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  });
  const output = (Array.isArray(result) ? result[0]! : result) as { output: { code?: string }[] };
  return output.output[0]!.code!;
}

test('worker: ingest, timeline page and storage per post, in Chromium', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-hub-'));
  // The hub as its own process, as it runs for real (in this process its GC would pay for the bench's heap).
  const built = await buildHub();
  // Seeding signs some 30,000 uploads of one author within the hub's 5-minute window for signed requests.
  const hub = await spawnHub(built.main, { dataDir, env: UNLIMITED_RATES });
  const t = performance.now();
  const feed = growFeed(secretKeyFrom(new Uint8Array(32).fill(5)), undefined, INGEST_COMMITS, 1024);
  await pushFeed(hub.url, feed);
  // Another author's shorter feed, ingested untimed first in each page (worker-page.ts warmIngest).
  const warm = growFeed(secretKeyFrom(new Uint8Array(32).fill(6)), undefined, WARM_COMMITS, 1024);
  await pushFeed(hub.url, warm);
  console.info(`seeded the hub with ${INGEST_COMMITS} commits in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const browser = await launchChromium();
  const pageCode = await bundle(join(import.meta.dirname, 'browser', 'worker-page.ts'));
  const verifyWorkerCode = await bundle(join(import.meta.dirname, '..', 'workers', 'verify', 'verify.worker.ts'));
  /** A fresh page (its own context, so its own IndexedDB and heap) with the bench's code in it. */
  const openPage = async (code = pageCode, workerCode = verifyWorkerCode) => {
    const page = await pageAt(browser, `${hub.url}/bench`, code);
    const call = <T>(fn: string, ...args: unknown[]) =>
      page.evaluate(
        ([f, a]) =>
          (globalThis as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>)[f as string]!(
            ...(a as unknown[]),
          ),
        [fn, args] as const,
      ) as Promise<T>;
    // Ingest verifies on verify workers, as the core worker does (workers/verify/verify-pool.ts).
    await call('setVerifyWorker', workerCode, Number(process.env.BENCH_VERIFY_WORKERS ?? 0) || undefined);
    return { page, call };
  };
  try {
    if (process.env.BENCH_PROFILE) await profileIngest(openPage, hub, feed, warm);
    if (AB) {
      await abIngest(openPage, bundle, {
        hub,
        feed: feed.author,
        warm: warm.author,
        ab: AB,
        rounds: ROUNDS,
        commits: INGEST_COMMITS,
      });
      return;
    }
    // (a) ingest beside raw verification on one thread and on as many workers as ingest verifies on, each
    // round in a fresh page: rounds in one page slowed down one after another (ingest, raw verify and the floor
    // alike). Then the positive control: an ingest whose verify is slowed on purpose.
    const ingest: IngestRound[] = [];
    let workers = 0;
    for (let i = 0; i < (ONLY === 'timeline' ? 0 : ROUNDS); i++) {
      const { page, call } = await openPage();
      workers = await call<number>('verifyWorkerCount');
      await call('rawVerifyRound');
      await call('rawWorkersRound');
      await call('warmIngest', hub.url, warm.author);
      const raw = await call<number>('rawVerifyRound');
      const rawWorkers = await call<number>('rawWorkersRound');
      const round = await call<{
        added: number;
        rows: number;
        packed: number;
        shown: number;
        perSecond: number;
        readPerSecond: number;
      }>('ingestRound', hub.url, feed.author);
      // Every post is held (with a row, or in a pack until read), and reading to the end shows each once.
      expect(round).toMatchObject({ added: INGEST_COMMITS, shown: INGEST_COMMITS });
      expect(round.rows + round.packed).toBe(INGEST_COMMITS);
      const floor = await call<number>('storeFloorRound');
      const slowed = await call<number>('slowedIngestRound', hub.url, feed.author);
      ingest.push({ raw, rawWorkers, value: round.perSecond, floor, read: round.readPerSecond, slowed });
      if (process.env.BENCH_PROFILE) console.info('floor parts', JSON.stringify(await call('floorParts')));
      await page.context().close();
    }
    console.info(
      'ingest rounds (commits/s, raw verify/s on 1 thread, on the workers, floor commits/s, reading posts/s, ' +
        'slowed control commits/s):',
      JSON.stringify(ingest.map((r) => [r.value, r.raw, r.rawWorkers, r.floor, r.read, r.slowed].map(Math.round))),
    );
    if (ONLY === 'ingest') {
      console.table(ingestRows(ingest, INGEST_COMMITS, workers));
      return;
    }
    // (b) first timeline page beside a plain getAll: the easy store, then the realistic one in a fresh page.
    const pages: Record<'easy' | 'realistic', { paged: Paired; scanned: Paired; seeded: Seeded }> = {
      easy: await firstPages(await openPage(), 'easy', ['seedTimeline', FEEDS, PER_FEED]),
      realistic: await firstPages(await openPage(), 'realistic', ['seedRealistic', REALISTIC]),
    };
    // Tuning runs record nothing: a profiled (unminified, one-round) run's figures are not the bench's.
    if (ONLY === 'timeline' || process.env.BENCH_PROFILE) return;

    // (c) bytes per post: the rows' fields counted in JavaScript, and the folder on disk in a fresh profile.
    const diskRun = (extraIndex: boolean) =>
      diskBytesPerPost({ url: `${hub.url}/bench`, code: pageCode, ...DISK, sample: 2000, extraIndex });
    const disk = await diskRun(false);
    const diskControl = await diskRun(true);
    console.info('bytes per post:', JSON.stringify({ disk, diskControl }));

    const rows: Row[] = [
      ...ingestRows(ingest, INGEST_COMMITS, workers),
      ...timelineRows(pages, FEEDS, REALISTIC),
      ...bytesRows(disk, diskControl),
    ];
    writeSection(
      '3-worker',
      'Core worker in Chromium: ingest, timeline, storage',
      'npx vitest run --config bench/vitest.config.ts bench/worker.bench.ts',
      rows,
      workerNotes({ workers, commits: INGEST_COMMITS, warm: WARM_COMMITS, feeds: FEEDS, perFeed: PER_FEED, disk }),
    );
    console.table(rows);
  } finally {
    await browser.close();
    await hub.stop();
    await Promise.all([rm(dataDir, { recursive: true, force: true }), built.remove()]);
  }
});
