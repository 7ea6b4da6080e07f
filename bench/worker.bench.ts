/**
 * The core worker in Chromium, each scenario beside its baseline in the same
 * page, in alternating rounds (record.ts):
 * (a) ingest of a 10,000-commit feed (with its feed log) from a real local
 *     hub, commits/s, beside raw WebCrypto Ed25519 verifies/s;
 * (b) the first timeline page of 50 with 200 followed feeds and 100,000
 *     posts stored, beside a raw 50-record getAll on a plain object store;
 * (c) bytes stored per post (every store) beside its canonical bytes.
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
import { allocProfile, cpuProfile, processCpu } from './profiles.ts';
import { type Row, median, writeSection } from './record.ts';
import { UNLIMITED_RATES } from './hub/bench-hub-env.ts';

const INGEST_COMMITS = Number(process.env.BENCH_INGEST ?? 10_000);
/** The untimed ingest before each timed one. */
const WARM_COMMITS = 1000;
const FEEDS = 200;
const PER_FEED = Number(process.env.BENCH_PER_FEED ?? 500);
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
  let t = performance.now();
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
    if (process.env.BENCH_PROFILE) {
      const { page, call } = await openPage();
      console.info('ingest profile (ms):', JSON.stringify(await call('ingestProfile', hub.url, feed.author)));
      await call('prepareIngest', hub.url, feed.author);
      console.info(
        'ingest, CPU of the page thread (self ms by function):',
        JSON.stringify(await cpuProfile(page, () => call('runIngest', hub.url, feed.author))),
      );
      await page.context().close();
      const again = await openPage();
      // Raw verifies run on the page's thread; an ingest's run on the verify workers (DedicatedWorker).
      console.info(
        'raw verify round, CPU ms by process:',
        JSON.stringify(await processCpu(hub.child.pid!, () => again.call('rawVerifyRound'))),
      );
      await again.call('warmIngest', hub.url, warm.author);
      if (process.env.BENCH_PROFILE === 'alloc') {
        await again.call('prepareIngest', hub.url, feed.author);
        console.info(
          'ingest, KiB allocated by function:',
          JSON.stringify(await allocProfile(again.page, () => again.call('runIngest', hub.url, feed.author))),
        );
      }
      await again.call('prepareIngest', hub.url, feed.author);
      console.info(
        'ingest, CPU ms by process:',
        JSON.stringify(await processCpu(hub.child.pid!, () => again.call('runIngest', hub.url, feed.author))),
      );
      await again.call('walkOnly', hub.url, feed.author);
      console.info(
        'apply alone, CPU of the page thread (self ms by function):',
        JSON.stringify(
          await cpuProfile(again.page, async () => console.info('apply alone (ms):', await again.call('applyOnly'))),
        ),
      );
      await again.page.context().close();
    }
    if (AB) {
      // Tuning: this tree's ingest against another tree's (a git worktree), in alternating fresh pages.
      const other = [
        await bundle(join(AB, 'bench', 'browser', 'worker-page.ts')),
        await bundle(join(AB, 'workers', 'verify.worker.ts')),
      ] as const;
      const rates: { here: number; there: number }[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const one = async (code?: readonly [string, string]) => {
          const { call, page } = await (code ? openPage(...code) : openPage());
          await call('rawVerifyRound'); // as the recorded rounds do first
          await call('warmIngest', hub.url, warm.author);
          await call('prepareIngest', hub.url, feed.author);
          const seconds = await call<number>('runIngest', hub.url, feed.author);
          await page.context().close();
          return INGEST_COMMITS / seconds;
        };
        const [here, there] =
          i % 2 === 0
            ? [await one(), await one(other)]
            : ([await one(other), await one()].reverse() as [number, number]);
        rates.push({ here: here!, there: there! });
      }
      console.info(
        'A/B ingest commits/s, this tree then',
        AB,
        JSON.stringify(rates.map((r) => [Math.round(r.here), Math.round(r.there)])),
      );
      console.info(
        'medians',
        Math.round(median(rates.map((r) => r.here))),
        Math.round(median(rates.map((r) => r.there))),
        'median of here/there',
        median(rates.map((r) => r.here / r.there)).toFixed(3),
      );
      return;
    }
    // (a) ingest beside raw verification, each round in a fresh page: rounds in one page slowed down
    // one after another (ingest, raw verify and the floor alike).
    const ingest: { raw: number; value: number; floor: number; read: number }[] = [];
    for (let i = 0; i < (ONLY === 'timeline' ? 0 : ROUNDS); i++) {
      const { page, call } = await openPage();
      await call('rawVerifyRound');
      await call('warmIngest', hub.url, warm.author);
      const raw = await call<number>('rawVerifyRound');
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
      ingest.push({
        raw,
        value: round.perSecond,
        floor: await call<number>('storeFloorRound'),
        read: round.readPerSecond,
      });
      if (process.env.BENCH_PROFILE) console.info('floor parts', JSON.stringify(await call('floorParts')));
      await page.context().close();
    }

    console.info(
      'ingest rounds (commits/s, raw verify/s, storage floor commits/s, reading it all posts/s):',
      JSON.stringify(ingest.map((r) => [r.value, r.raw, r.floor, r.read].map(Math.round))),
    );
    if (ONLY === 'ingest') return;
    // (b) first timeline page beside a plain getAll.
    const { call } = await openPage();
    t = performance.now();
    const seeded = await call<{ rows: number; posts: number }>('seedTimeline', FEEDS, PER_FEED);
    console.info(
      `seeded ${seeded.posts} posts (${seeded.rows} timeline rows) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    if (ONLY === 'timeline') {
      console.info('timeline profile (ms):', JSON.stringify(await call('timelineProfile', 20)));
      return;
    }
    await call('timelineRound', 5);
    await call('plainRound', 5);
    const pages: { raw: number; value: number }[] = [];
    for (let i = 0; i < 11; i++) {
      const raw = await call<number>('plainRound', 20);
      const value = await call<number>('timelineRound', 20);
      pages.push({ raw, value });
    }

    // (c) bytes per post.
    const bytes = await call<{
      canonical: number;
      blobs: number;
      commitRows: number;
      postRows: number;
      viewers: number;
    }>('bytesPerPost', 2000);
    const stored = bytes.blobs + bytes.commitRows + bytes.postRows;

    const ingestRatio = median(ingest.map((r) => r.value / r.raw));
    const pageRatio = median(pages.map((r) => r.value / r.raw));
    const rows: Row[] = [
      {
        scenario:
          `Chromium: ingest of ${INGEST_COMMITS.toLocaleString('en-US')} commits from a local hub (log, ` +
          `batches, verify, store; rows for the newest posts, packs for the rest)`,
        value: median(ingest.map((r) => r.value)),
        unit: 'commits/s',
        baseline: 'raw WebCrypto Ed25519 verify',
        baselineValue: median(ingest.map((r) => r.raw)),
        ratio: ingestRatio,
        better: 'higher',
        goal: '>= 0.5x',
        met: ingestRatio >= 0.5,
      },
      {
        scenario:
          'Chromium: the floor under it: writing the same packs and post rows alone (one transaction; nothing ' +
          'fetched, verified or read)',
        value: median(ingest.map((r) => r.floor)),
        unit: 'commits/s',
        baseline: 'raw WebCrypto Ed25519 verify',
        baselineValue: median(ingest.map((r) => r.raw)),
        ratio: median(ingest.map((r) => r.floor / r.raw)),
        better: 'higher',
      },
      {
        scenario:
          `Chromium: then reading all ${INGEST_COMMITS.toLocaleString('en-US')} posts, 50 a page, to the ` +
          `end (the rows left for later given on the way)`,
        value: median(ingest.map((r) => r.read)),
        unit: 'posts/s',
        baseline: 'raw WebCrypto Ed25519 verify',
        baselineValue: median(ingest.map((r) => r.raw)),
        ratio: median(ingest.map((r) => r.read / r.raw)),
        better: 'higher',
      },
      {
        scenario:
          `Chromium: first timeline page of 50, ${FEEDS} followed feeds, ` +
          `${seeded.posts.toLocaleString('en-US')} posts stored`,
        value: median(pages.map((r) => r.value)),
        unit: 'ms',
        baseline: 'raw 50-record getAll on a plain store',
        baselineValue: median(pages.map((r) => r.raw)),
        ratio: pageRatio,
        better: 'lower',
        goal: '<= 1.5x',
        met: pageRatio <= 1.5,
      },
      {
        scenario:
          'bytes stored per post (blob rows, commit packs and post rows; the timeline is the post store itself)',
        value: stored,
        unit: 'B',
        baseline: 'canonical bytes (post object + its commit)',
        baselineValue: bytes.canonical,
        ratio: stored / bytes.canonical,
        better: 'lower',
        goal: '<= 1.5x',
        met: stored / bytes.canonical <= 1.5,
      },
    ];
    writeSection(
      '3-worker',
      'Core worker in Chromium: ingest, timeline, storage',
      'npx vitest run --config bench/vitest.config.ts bench/worker.bench.ts',
      rows,
      `Ingest: the hub is the built hub in its own process (as it runs for real; in the bench's own process its ` +
        `garbage collection paid for the bench's heap), on 127.0.0.1, sharing the 2 cores with Chromium. Each ` +
        `round runs in a fresh page (its own context; rounds in one page slowed down one after another), which ` +
        `verifies 2,000 commit signatures raw untimed, ingests another author's ` +
        `${WARM_COMMITS.toLocaleString('en-US')}-commit feed untimed (so the timed ingest runs compiled code, as ` +
        `the timed raw verify does), verifies 2,000 signatures raw again (the baseline, on the page's thread) and ` +
        `then ingests into a fresh database whose one pseudonym follows the feed, so timeline rows are built ` +
        `during ingest; the feed is one chain of one-post commits with a feed log (1,024 ids per segment). Ingest ` +
        `checks signatures as the core worker does, on verify workers (workers/verify/verify-pool.ts: two on this ` +
        `2-core machine) while the page's thread fetches, hashes and decodes; the baseline is one thread's ` +
        `verifies. A first catch-up gives rows to the newest 256 posts and keeps the older ones in the commit ` +
        `packs until a read reaches them (workers/store/lazy-posts.ts); each round checks that rows and packed ` +
        `posts add up to every post, and then reads the whole feed back to its end (the reading row), which must ` +
        `show every post once. The floor row writes the rows the round's ingest stored (its packs, and its post ` +
        `rows with the post store's indexes) into a fresh database in one relaxed transaction: what storage alone ` +
        `costs. ` +
        `Timeline: ${FEEDS} feeds x ${PER_FEED} posts stored through applyCommits (signatures not made for the ` +
        `seed: the store never reads them); 20 calls per round, 11 alternating rounds. ` +
        `Storage: summed per post over a sample of 2,000 posts: blob rows under the post's or its commit's id ` +
        `${bytes.blobs.toFixed(0)} B (their bytes live in their own rows), commit's share of its pack (signed ` +
        `bytes and where they end; id, seq and the pack's key) ${bytes.commitRows.toFixed(0)} B, post row (key ` +
        `[-ts, tie], id, object bytes, publishing commit and author as base64url, view, viewer tags) ` +
        `${bytes.postRows.toFixed(0)} B, of which the viewers seeing it ${bytes.viewers.toFixed(0)} B; strings ` +
        `counted as UTF-8, raw ids as their bytes, numbers as 8 bytes, field names and keys included. Not visible ` +
        `from the page and not counted: IndexedDB's own overhead, including its copies of index keys (byId, ` +
        `byAuthorTs, byReplyTo, media).`,
    );
  } finally {
    await browser.close();
    await hub.stop();
    await Promise.all([rm(dataDir, { recursive: true, force: true }), built.remove()]);
  }
});
