/**
 * The UI budgets of issues 6 and 22, on the BUILT app (dist/app, made by `npm run
 * build`) served by a real hub, in Chromium:
 * (a) initial JS: the scripts index.html loads (entry and modulepreloads),
 *     gzipped, beside React + ReactDOM alone bundled and gzipped the same way;
 * (b) main-thread responsiveness while the app catches up on a followed feed
 *     of 10,000 commits: the longest stall of a 5 ms timer chain and every
 *     Long Tasks API entry (tasks over 50 ms), beside the same page idle for
 *     as long, in alternating rounds on fresh browser contexts.
 * Each goal has a positive control that must say no: (a) the same app with
 * one more module forced into its entry; (b) the same sync with a busy loop
 * run on the main thread on purpose (bench/ui/main-thread.ts).
 *
 *   npm run build && npx vitest run --config bench/vitest.config.ts bench/ui.bench.ts && node bench/report.mjs
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { growFeed, pushFeed } from '../src/hub/testing/feed-fixture.ts';
import { put, signedClaim } from '../src/hub/testing/hub-fixture.ts';
import { startHub } from '../src/hub/server.ts';
import { fileHubStore } from '../src/hub/store/files/file-hub-store.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import { launchChromium } from './chromium.ts';
import { type Row, median, writeSection } from './record.ts';
import { followUntilSynced, onboard } from './ui/app-steps.ts';
import { FORCED_MODULE, type InitialJs, buildForced, initialJsOf, reactFloorKb } from './ui/initial-js.ts';
import { type Watch, injectLongTasks, readWatch, watchMainThread } from './ui/main-thread.ts';

const APP = join(import.meta.dirname, '..', 'dist', 'app');
const SYNC_COMMITS = Number(process.env.BENCH_UI_COMMITS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_UI_ROUNDS ?? 3);
/** Issue 22: the initial JS stays at most 100 KB gzipped (issue 6 had asked 150). */
const BUDGET_KB = 100;
const LONG_TASK_MS = 50;
/** The control's busy loop on the main thread, and how often it runs while the sync does. */
const INJECTED_MS = 100;
const INJECTED_EVERY_MS = 1000;
/**
 * BENCH_UI_TRACE explains the long tasks instead of only counting them. `events` prints, for each sync round,
 * when each long task started beside the badge and timeline changes (a MutationObserver: cheap). `profile`
 * also records a Chromium trace with V8's sampling profiler, written to bench/results/traces/ui-trace-N.json (read it
 * with `node bench/long-tasks.mjs FILE`); tracing costs main-thread time itself (starting the profiler is a
 * long task of its own), so a run with either is not recorded in bench/results.
 */
const TRACE = process.env.BENCH_UI_TRACE ?? '';
if (!['', 'events', 'profile'].includes(TRACE))
  throw new RangeError(`BENCH_UI_TRACE is events or profile, not ${TRACE}`);

// Main-thread tasks and their parts, and V8's sampling profiler (so a long task's JavaScript can be named).
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.gc',
];

/**
 * A returning person, for the initial-JS measure: onboarded, with a post of their own on the timeline and a
 * muted word (private state, which the first page applies), so the first page has a row and reads both.
 */
async function returning(browser: Browser, hubUrl: string, n: number): Promise<Page> {
  const page = await onboarded(browser, hubUrl, n);
  await page.getByLabel('New post').fill('a first post, shown on the first page');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByTestId('post').first().waitFor();
  await page.goto(`${hubUrl}/#/settings`);
  await page.getByLabel('Mute a word, phrase or #tag').fill('spoiler');
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await page.getByRole('list', { name: 'Muted words' }).waitFor();
  return page;
}

/** A fresh context with a new pseudonym on the hub, ready on its (empty) timeline. */
async function onboarded(browser: Browser, hubUrl: string, n: number): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await onboard(page, hubUrl, n);
  return page;
}

test('ui: initial JS and the main thread during a 10,000-commit sync, in Chromium', async () => {
  expect(existsSync(join(APP, 'index.html')), 'run `npm run build` first').toBe(true);
  const floorKb = await reactFloorKb();
  // The control: the same app with one more module forced into its entry, served by a hub of its own.
  const forcedDir = await mkdtemp(join(tmpdir(), 'murmur-bench-forced-app-'));
  const forcedData = await mkdtemp(join(tmpdir(), 'murmur-bench-forced-hub-'));
  await buildForced(join(import.meta.dirname, '..'), forcedDir);
  const forcedHub = await startHub({ host: '127.0.0.1', port: 0, store: fileHubStore(forcedData), appDir: forcedDir });

  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-ui-'));
  const hub = await startHub({
    host: '127.0.0.1',
    port: 0,
    store: fileHubStore(dataDir),
    appDir: APP,
    limits: {
      perPseudonym: { perSecond: 0, burst: 1 },
      perIp: { perSecond: 0, burst: 1 },
      // Seeding signs tens of thousands of uploads of one author within the 5-minute window for signed requests.
      seenRequests: { total: 1e9, perSigner: 1e9 },
    },
  });
  const key = secretKeyFrom(new Uint8Array(32).fill(9));
  const feed = growFeed(key, undefined, SYNC_COMMITS, 1024);
  await pushFeed(hub.url, feed);
  const host = new URL(hub.url).host;
  expect((await put(`${hub.url}/v1/handles/big`, signedClaim(key, 'big', host).bytes)).status).toBe(201);
  const newest = `post ${SYNC_COMMITS} of ${feed.author.slice(0, 8)}`;

  const browser = await launchChromium();
  const sync = { stall: [] as number[], longest: [] as number[], count: [] as number[], ms: [] as number[] };
  const idle = { stall: [] as number[], longest: [] as number[], count: [] as number[] };
  const control = { longest: [] as number[], count: [] as number[] };
  let initial: InitialJs;
  let forced: InitialJs;
  try {
    // Initial JS: a returning person's page load, from the request to the first timeline page on screen.
    initial = await initialJsOf((await returning(browser, hub.url, 1000)).context(), hub.url, APP);
    forced = await initialJsOf((await returning(browser, forcedHub.url, 1001)).context(), forcedHub.url, forcedDir);
    // A measure that missed the core worker would count the page alone, as this row once did.
    expect(initial.scripts.some((s) => s.includes('core.worker'))).toBe(true);
    console.info('initial JS:', JSON.stringify(initial), 'control:', JSON.stringify(forced));
    for (let round = 0; round < ROUNDS; round++) {
      // The scenario: follow the big feed and wait until its newest post shows and the badge says synced.
      const page = await onboarded(browser, hub.url, round);
      await watchMainThread(page, TRACE !== '');
      if (TRACE === 'profile') await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const clickedAt = TRACE ? await page.evaluate(() => performance.now()) : 0;
      const started = performance.now();
      // With BENCH_UI_TRACE, each step the bench takes is marked
      // beside the long tasks (the steps run on the main thread too).
      const step = (what: string) =>
        TRACE
          ? page.evaluate(
              (what) =>
                (globalThis as unknown as { __watch: Watch }).__watch.events.push({
                  t: performance.now(),
                  what: `bench: ${what}`,
                }),
              what,
            )
          : undefined;
      await followUntilSynced(page, host, newest, step);
      const took = performance.now() - started;
      const busy = await readWatch(page);
      if (TRACE === 'profile') {
        // not beside the results: report.mjs reads every .json there
        const file = join(import.meta.dirname, 'results', 'traces', `ui-trace-${round}.json`);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, await browser.stopTracing());
        console.info(`round ${round} trace: ${file}`);
      }
      if (TRACE) {
        const events = busy.events.toSorted((a, b) => a.t - b.t);
        console.info(
          `round ${round}, ms after the first ` +
            `click:\n${events.map((e) => `  ${(e.t - clickedAt).toFixed(0).padStart(6)}  ${e.what}`).join('\n')}`,
        );
      }
      await page.context().close();
      sync.ms.push(took);
      sync.stall.push(busy.stall);
      sync.longest.push(Math.max(0, ...busy.longTasks));
      sync.count.push(busy.longTasks.length);

      // The budget's positive control: the same sync with long tasks run on the main thread on purpose.
      const slowed = await onboarded(browser, hub.url, 200 + round);
      await watchMainThread(slowed);
      await injectLongTasks(slowed, INJECTED_MS, INJECTED_EVERY_MS);
      await followUntilSynced(slowed, host, newest);
      const broken = await readWatch(slowed);
      await slowed.context().close();
      control.longest.push(Math.max(0, ...broken.longTasks));
      control.count.push(broken.longTasks.length);

      // The baseline: the same app, onboarded, idle for as long.
      const still = await onboarded(browser, hub.url, 100 + round);
      await watchMainThread(still);
      await still.waitForTimeout(took);
      const rest = await readWatch(still);
      await still.context().close();
      idle.stall.push(rest.stall);
      idle.longest.push(Math.max(0, ...rest.longTasks));
      idle.count.push(rest.longTasks.length);
      console.info(
        `round ${round}: sync ${(took / 1000).toFixed(1)} s, stall ${busy.stall.toFixed(1)} ms, long tasks ` +
          `${busy.longTasks.map((d) => d.toFixed(0)).join(' ') || 'none'}; idle stall ${rest.stall.toFixed(1)} ms; ` +
          `control: ${broken.longTasks.length} long tasks, longest ${Math.max(0, ...broken.longTasks).toFixed(0)} ms`,
      );
    }
  } finally {
    await browser.close();
    await Promise.all([hub.close(), forcedHub.close()]);
    await Promise.all([dataDir, forcedDir, forcedData].map((dir) => rm(dir, { recursive: true, force: true })));
  }

  const stall = median(sync.stall);
  const idleStall = median(idle.stall);
  const rows: Row[] = [
    ...[
      [
        `initial JS before the first timeline page shows (${initial.scripts.length} scripts, page and workers)`,
        initial,
      ],
      [
        `control: the same with all of ${FORCED_MODULE} forced into the entry (${forced.scripts.length} scripts)`,
        forced,
      ],
    ].map(
      ([scenario, js]): Row => ({
        scenario: `${scenario as string}, gzipped`,
        value: (js as typeof initial).kb,
        unit: 'KB',
        baseline: 'React + ReactDOM alone, gzipped',
        baselineValue: floorKb,
        ratio: (js as typeof initial).kb / floorKb,
        better: 'lower',
        goal: `<= ${BUDGET_KB} KB`,
        met: (js as typeof initial).kb <= BUDGET_KB,
      }),
    ),
    {
      // Not the budget's measure: a late timer also counts back-to-back short tasks and time the OS gave the
      // worker thread and the hub (2 cores for all three), so it is shown beside the idle page, without a goal.
      scenario:
        `longest main-thread stall while ${SYNC_COMMITS.toLocaleString('en-US')} commits sync (5 ms timer ` +
        `chain lateness)`,
      value: stall,
      unit: 'ms',
      baseline: 'the same page idle for as long',
      baselineValue: idleStall,
      ratio: stall / idleStall,
      better: 'lower',
    },
    ...[
      ['the budget: main-thread tasks over 50 ms during the sync (Long Tasks API; longest of all rounds)', sync],
      [
        `control: the same sync with a ${INJECTED_MS} ms busy loop run on the main thread at once and every ` +
          `${INJECTED_EVERY_MS / 1000} s (longest of all rounds)`,
        control,
      ],
    ].map(([scenario, seen]): Row => {
      const worst = Math.max(...(seen as typeof control).longest);
      return {
        scenario: scenario as string,
        value: worst,
        unit: 'ms',
        baseline: 'the same page idle for as long',
        baselineValue: Math.max(...idle.longest),
        ratio: worst === 0 ? 1 : worst / LONG_TASK_MS,
        better: 'lower',
        goal: `no task over ${LONG_TASK_MS} ms`,
        met: (seen as typeof control).count.every((n) => n === 0),
      };
    }),
  ];
  if (!TRACE)
    writeSection(
      'ui',
      'UI in Chromium: initial JS and the main thread during a long sync',
      'npm run build && npx vitest run --config bench/vitest.config.ts bench/ui.bench.ts',
      rows,
      `The stall row is the lateness of a 5 ms timer chain: it also counts short tasks run back to back and time ` +
        `the OS gave the worker thread and the hub, so it has no goal; it is what a tap could wait during a ` +
        `catch-up. Initial JS: a returning person (a pseudonym made, a post of theirs and a muted word stored) ` +
        `opens the app in a new page, and every script it or its workers ask for before the timeline's first ` +
        `page is in the DOM is counted (that moment read by the page's own clock, from a MutationObserver; each ` +
        `request's start from the browser), each built file gzipped at level 9: ${initial.scripts.join(', ')}. ` +
        `Asked for after the page showed, not counted: ${initial.later.join(', ') || 'none'} (the core's second ` +
        `stage, workers/api/staged-api.ts). The service worker's own fetches (its precache) are not counted. ` +
        `The control is the same app built with all of ${FORCED_MODULE} imported by its entry (kept: ` +
        `its namespace escapes), served by a hub of its own and measured the same way; it must say no. Sync: ` +
        `${ROUNDS} rounds; each onboards a fresh context, follows a feed of ` +
        `${SYNC_COMMITS.toLocaleString('en-US')} one-post commits (with its feed log) on the same hub by handle, ` +
        `and ends when the newest post is on screen and the badge says synced (median ` +
        `${(median(sync.ms) / 1000).toFixed(1)} s); the baseline page is onboarded the same way and left idle for ` +
        `as long. The budget is the Long Tasks row (the browser's own report of every main-thread task over 50 ` +
        `ms; goal, from issue 6: none in any round); it reports 0 ms when none was seen in any round (its ratio ` +
        `is then 1; otherwise the longest task over 50 ms). Its control runs the same sync, in each round beside ` +
        `it, on a page where the bench runs a ${INJECTED_MS} ms busy loop on the main thread (a timer task, ` +
        `bench/ui/main-thread.ts) at once and then every ${INJECTED_EVERY_MS / 1000} s until the sync ends; ` +
        `every one of its rounds must see long tasks, and its row must say no.`,
    );
  console.table(rows);
  // The positive control: every round with long tasks on purpose saw them, so the budget row can say no.
  expect(control.count.every((n) => n > 0)).toBe(true);
});
