/**
 * Many tabs of one pseudonym, on the BUILT app (dist/app) served by a real
 * hub, in Chromium: what 24 posts cost the whole browser (CPU of every
 * Chromium process: pages, workers, GPU and browser process) when one tab
 * posts and seven more of the same pseudonym are open in the background,
 * beside the same 24 posts from one tab alone, and the same eight tabs all on
 * screen. No goal: it tells what each open tab adds (issue 14 asked why a post
 * took over 15 s with eight tabs; in the e2e suite most of that was
 * Playwright's trace screencast of eight pages, see playwright.config.ts).
 *
 * Headless Chromium shows every page (no tab is ever in the background, and
 * DevTools cannot hide one), so a background tab is made as the app sees one:
 * document.hidden and visibilityState say hidden, and a visibilitychange is
 * fired. The browser's own savings for real background tabs (no frames, no
 * paint, slower timers) come on top in a real browser and are not counted.
 *
 *   npm run build && npx vitest run --config bench/vitest.config.ts bench/tabs.bench.ts && node bench/report.mjs
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { childrenOf, treeCpuMs } from '../src/hub/testing/proc-stats.ts';
import { startHub } from '../src/hub/server.ts';
import { fileHubStore } from '../src/hub/store/files/file-hub-store.ts';
import { WEBFINGER_PSEUDONYM } from '../src/protocol/routes.ts';
import { launchChromium } from './chromium.ts';
import { type Row, median, writeSection } from './record.ts';

const APP = join(import.meta.dirname, '..', 'dist', 'app');
const TABS = 8;
const POSTS = 24;
const ROUNDS = Number(process.env.BENCH_TABS_ROUNDS ?? 3);
/** The seq of `author`'s head on the hub (0 with none): each post is one commit. */
async function seqOnHub(hubUrl: string, author: string): Promise<number> {
  const answer = (await (await fetch(`${hubUrl}/v1/heads?authors=${author}`)).json()) as {
    heads: Record<string, { seq: number }>;
  };
  return answer.heads[author]?.seq ?? 0;
}

async function pseudonymOf(hubUrl: string, handle: string): Promise<string> {
  const jrd = (await (
    await fetch(`${hubUrl}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${handle}`)}`)
  ).json()) as { properties: Record<string, string> };
  return jrd.properties[WEBFINGER_PSEUDONYM]!;
}

/** Posts through the composer, as a person does, and waits for it to clear (the post is stored). */
async function publish(page: Page, body: string): Promise<void> {
  const box = page.getByLabel('New post');
  await box.fill(body);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  while ((await box.inputValue()) !== '') await new Promise((resolve) => setTimeout(resolve, 10));
}

/** As the app sees a tab in the background (see the header). */
function sendToBackground(page: Page): Promise<void> {
  return page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

/**
 * One round: a fresh context onboards a pseudonym, opens `tabs` tabs of it (the others in the background or not),
 * and the first tab posts POSTS times; returns the CPU seconds every Chromium process spent from the first post
 * until the hub holds the last.
 */
async function round(
  browser: Browser,
  browserPid: number,
  hubUrl: string,
  n: number,
  tabs: number,
  background: boolean,
): Promise<number> {
  const context = await browser.newContext();
  const first = await context.newPage();
  await first.goto(hubUrl);
  await first.getByLabel('Display name').fill(`Poster ${n}`);
  await first.getByLabel('Handle', { exact: true }).fill(`poster${n}`);
  await first.getByRole('button', { name: 'Create pseudonym' }).click();
  const handle = await first.getByTestId('current-handle').textContent();
  await first.getByTestId('sync-status').and(first.locator('.sync-synced')).waitFor({ timeout: 60_000 });
  const me = await pseudonymOf(hubUrl, handle!);
  for (let i = 1; i < tabs; i++) {
    const page = await context.newPage();
    await page.goto(hubUrl);
    await page.getByTestId('current-handle').waitFor();
    if (background) await sendToBackground(page);
  }
  await first.bringToFront();
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // every tab settled (their first reads done)

  const seq = await seqOnHub(hubUrl, me);
  const before = treeCpuMs(browserPid);
  for (let i = 0; i < POSTS; i++) await publish(first, `post ${i}`);
  for (let i = 0; (await seqOnHub(hubUrl, me)) < seq + POSTS; i++) {
    if (i > 6_000) throw new Error('the posts did not reach the hub within 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cpu = (treeCpuMs(browserPid) - before) / 1000;
  await context.close();
  return cpu;
}

test(`tabs: ${POSTS} posts with ${TABS} tabs of one pseudonym open, in Chromium`, async () => {
  expect(existsSync(join(APP, 'index.html')), 'run `npm run build` first').toBe(true);
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-tabs-'));
  const hub = await startHub({
    host: '127.0.0.1',
    port: 0,
    store: fileHubStore(dataDir),
    appDir: APP,
    limits: { perPseudonym: { perSecond: 0, burst: 1 }, perIp: { perSecond: 0, burst: 1 } },
  });
  const browser = await launchChromium();
  const [pid] = childrenOf(process.pid, 'chrom'); // Playwright starts the browser as a child of this process
  expect(pid, 'the Chromium process under this one').toBeDefined();
  const one: number[] = [];
  const hidden: number[] = [];
  const shown: number[] = [];
  try {
    let n = 0;
    for (let r = 0; r < ROUNDS; r++) {
      one.push(await round(browser, pid!, hub.url, n++, 1, false));
      hidden.push(await round(browser, pid!, hub.url, n++, TABS, true));
      shown.push(await round(browser, pid!, hub.url, n++, TABS, false));
      console.info(
        `round ${r}: one tab ${one.at(-1)!.toFixed(2)} s, ${TABS} tabs (${TABS - 1} in the background) ` +
          `${hidden.at(-1)!.toFixed(2)} s, ${TABS} tabs on screen ${shown.at(-1)!.toFixed(2)} s`,
      );
    }
  } finally {
    await browser.close();
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const perPost = (seconds: number) => (seconds / POSTS) * 1000;
  const base = perPost(median(one));
  const ratios = (values: number[]) => median(values.map((v, i) => v / one[i]!));
  const rows: Row[] = [
    {
      scenario:
        `${TABS} tabs of one pseudonym, ${TABS - 1} in the background, one posting: Chromium CPU per post ` +
        `(every process)`,
      value: perPost(median(hidden)),
      unit: 'ms',
      baseline: 'the same posts from one tab alone',
      baselineValue: base,
      ratio: ratios(hidden),
      better: 'lower',
    },
    {
      scenario: `the same ${TABS} tabs all on screen`,
      value: perPost(median(shown)),
      unit: 'ms',
      baseline: 'the same posts from one tab alone',
      baselineValue: base,
      ratio: ratios(shown),
      better: 'lower',
    },
  ];
  writeSection(
    'tabs',
    `Many tabs: ${POSTS} posts with ${TABS} tabs of one pseudonym open`,
    'npm run build && npx vitest run --config bench/vitest.config.ts bench/tabs.bench.ts',
    rows,
    `CPU seconds of every Chromium process (read from /proc) from the first post until the hub holds the last, per ` +
      `post; ${ROUNDS} rounds of (one tab, eight with seven in the background, eight on screen), each in a fresh ` +
      `context; ratios are medians of each round's ratio. A background tab is made as the app sees one ` +
      `(document.hidden, visibilityState, a visibilitychange event): headless Chromium shows every page, so the ` +
      `browser's own savings for background tabs are not in these figures.`,
  );
  console.table(rows);
});
