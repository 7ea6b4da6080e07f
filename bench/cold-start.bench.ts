/**
 * Cold start with a full store (issue 22, point 4), on the BUILT app served
 * by a real hub, in Chromium with profiles on disk: a page opened on a store
 * holding a followed feed of 100,000 posts (synced by the app itself, so the
 * store is as a first catch-up leaves it) until its first timeline page is in
 * the DOM, beside the same app shell opened on an empty store until its empty
 * timeline is, in alternating rounds; online, then offline (the network cut,
 * the service worker serving the shell). The positive control opens the full
 * store with the core worker's messages held until the page has read every
 * post's row or pack (what a first page that waits for the whole store would
 * cost): it must say no.
 *
 *   npm run build && npx vitest run --config bench/vitest.config.ts bench/cold-start.bench.ts && node bench/report.mjs
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { expect, test } from 'vitest';
import { growFeed, pushFeed } from '../src/hub/testing/feed-fixture.ts';
import { put, signedClaim } from '../src/hub/testing/hub-fixture.ts';
import { type HubProcess, spawnHub } from '../src/hub/testing/hub-process.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import { CHROMIUM_ARGS } from './chromium.ts';
import { UNLIMITED_RATES } from './hub/bench-hub-env.ts';
import { type Row, rowOf, writeSection } from './record.ts';
import { SHOWN, followUntilSynced, onboard } from './ui/app-steps.ts';

const APP = join(import.meta.dirname, '..', 'dist', 'app');
const HUB = join(import.meta.dirname, '..', 'dist', 'hub', 'main.js');
const POSTS = Number(process.env.BENCH_COLD_POSTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 5);
const GOAL = 2;

/** Notes, by the page's own clock (ms from its navigation's start), when SHOWN is first in the DOM. */
function observeShown(selector: string): void {
  const w = globalThis as unknown as { __shownMs?: number };
  const seen = () => {
    if (w.__shownMs === undefined && document.querySelector(selector)) w.__shownMs = performance.now();
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributeFilter: ['data-count'] });
}

/**
 * The control, run in the page before the app: every message the page sends a worker waits until the page
 * has read every post the core database holds (a getAll of the post rows, the packs and their bytes), so the
 * app's first call, and so its first page, comes after a read of the whole store.
 */
function holdUntilEveryPostRead(): void {
  const read = new Promise<void>((resolve) => {
    const open = indexedDB.open('murmur');
    open.onerror = () => resolve();
    open.onsuccess = () => {
      const db = open.result;
      const stores = ['posts', 'packs', 'packBytes'].filter((name) => db.objectStoreNames.contains(name));
      if (stores.length === 0) return resolve();
      const tx = db.transaction(stores);
      let rows = 0;
      for (const name of stores)
        tx.objectStore(name).getAll().onsuccess = (e) => {
          rows += ((e.target as IDBRequest<unknown[]>).result ?? []).length;
        };
      tx.oncomplete = tx.onerror = () => {
        (globalThis as unknown as { __controlRead: number }).__controlRead = rows;
        db.close();
        resolve();
      };
    };
  });
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
    void read.then(() => (post as (...a: unknown[]) => void).apply(this, args));
  } as typeof post;
}

/** A new page in `context` at `url`: the milliseconds until its timeline (or empty state) was in the DOM. */
async function shownMs(context: BrowserContext, url: string, control = false): Promise<number> {
  const page = await context.newPage();
  try {
    if (control) await page.addInitScript(holdUntilEveryPostRead);
    await page.addInitScript(observeShown, SHOWN);
    await page.goto(url);
    await page.locator(SHOWN).first().waitFor({ timeout: 120_000 });
    // The control's fault ran: it read the store's rows before the app's first call.
    if (control)
      expect(
        await page.evaluate(() => (globalThis as unknown as { __controlRead: number }).__controlRead),
      ).toBeGreaterThan(0);
    return await page.evaluate(() => (globalThis as unknown as { __shownMs: number }).__shownMs);
  } finally {
    await page.close();
  }
}

test('cold start: first timeline page, 100,000 posts stored, beside an empty store, online and offline', async () => {
  expect(existsSync(join(APP, 'index.html')), 'run `npm run build` first').toBe(true);
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-cold-'));
  const profiles = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'murmur-bench-cold-profile-'))));
  const contexts: BrowserContext[] = [];
  let hub: HubProcess | undefined;
  try {
    // The built hub as its own process, as it runs for real (seeding signs a hundred thousand uploads).
    hub = await spawnHub(HUB, { dataDir, env: UNLIMITED_RATES, args: ['--app', APP] });
    const key = secretKeyFrom(new Uint8Array(32).fill(11));
    let t = performance.now();
    const feed = growFeed(key, undefined, POSTS, 1024);
    await pushFeed(hub.url, feed);
    const host = new URL(hub.url).host;
    expect((await put(`${hub.url}/v1/handles/big`, signedClaim(key, 'big', host).bytes)).status).toBe(201);
    const newest = `post ${POSTS} of ${feed.author.slice(0, 8)}`;
    console.info(`hub seeded with ${POSTS} posts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const [full, empty] = await Promise.all(
      profiles.map((dir) =>
        chromium.launchPersistentContext(dir, {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: CHROMIUM_ARGS,
        }),
      ),
    );
    contexts.push(full!, empty!);
    // Each store made by the app: the full one follows the feed and syncs it whole; the empty one only onboards.
    let catchUpMs = 0;
    for (const [n, context] of [full!, empty!].entries()) {
      const page = await context.newPage();
      await onboard(page, hub.url, n);
      if (context === full) {
        t = performance.now();
        await followUntilSynced(page, host, newest);
        catchUpMs = performance.now() - t;
      }
      // The service worker controls the next page load, so an offline open is served by it.
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
      await page.close();
    }
    console.info(`the app caught up with ${POSTS} posts in ${(catchUpMs / 1000).toFixed(1)} s`);

    type Rounds = { full: number[]; empty: number[]; control: number[] };
    const measured: Record<'online' | 'offline', Rounds> = {
      online: { full: [], empty: [], control: [] },
      offline: { full: [], empty: [], control: [] },
    };
    for (const network of ['online', 'offline'] as const) {
      await Promise.all([full!, empty!].map((c) => c.setOffline(network === 'offline')));
      await shownMs(full!, hub.url); // untimed: the first open after a change of network
      await shownMs(empty!, hub.url);
      for (let round = 0; round < ROUNDS; round++) {
        measured[network].empty.push(await shownMs(empty!, hub.url));
        measured[network].full.push(await shownMs(full!, hub.url));
        measured[network].control.push(await shownMs(full!, hub.url, true));
      }
      console.info(network, JSON.stringify(measured[network]));
    }

    const rows: Row[] = (['online', 'offline'] as const).flatMap((network) => {
      const m = measured[network];
      const row = (scenario: string, values: readonly number[]) =>
        rowOf({
          scenario,
          unit: 'ms',
          baseline: `the same app shell on an empty store, ${network}: its empty timeline shown`,
          better: 'lower',
          rounds: values.map((value, i) => ({ value, base: m.empty[i]! })),
          goal: { text: `<= ${GOAL}x`, met: (ratio) => ratio <= GOAL },
        });
      return [
        row(
          `${network}: first timeline page shown on opening the app with ${POSTS.toLocaleString('en-US')} posts ` +
            'stored (a followed feed, as its first catch-up left it)',
          m.full,
        ),
        row('control: the same, the core worker held until the page has read every post (rows and packs)', m.control),
      ];
    });
    writeSection(
      '11-cold-start',
      'Cold start: the first timeline page with a full store',
      'npm run build && npx vitest run --config bench/vitest.config.ts bench/cold-start.bench.ts',
      rows,
      `The built app (dist/app) served by the built hub (dist/hub/main.js, its own process, embedded store) on ` +
        `127.0.0.1, in Chromium ` +
        `with two profiles on disk (persistent contexts), so IndexedDB is read from files as on a phone or ` +
        `laptop. The full store: a person onboarded, followed big@ (one feed of ${POSTS.toLocaleString('en-US')} ` +
        `one-post commits with its feed log) and waited until the newest post showed and the badge said synced: ` +
        `the app's own catch-up stored it (rows for the newest posts, the rest in commit packs; it took ` +
        `${(catchUpMs / 1000).toFixed(0)} s from the click on Follow). The empty ` +
        `store: a person onboarded, nothing more. Each measure opens a new page at the hub's address (the one ` +
        `before it closed, so one core worker at a time) and reads, by the page's own clock from its ` +
        `navigation's start, when the timeline list with posts, or the empty timeline, is first in the DOM ` +
        `(a MutationObserver). ${ROUNDS} alternating rounds (empty, full, control) after an untimed open of ` +
        `each; online (the hub up: the app also refreshes the feed's head), then offline (the context's network ` +
        `cut: the service worker serves the shell; the worker finds no hub). The control opens the full store ` +
        `with every message from the page to a worker held until the page has read every post once (a getAll ` +
        `of the post rows, the commit packs and their bytes, in the page), so the app's first call waits for ` +
        `a read of the whole store: it must say no.`,
    );
    expect.soft(rows.filter((r) => r.scenario.startsWith('control')).map((r) => r.met)).toEqual([false, false]);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
    await hub?.stop();
    await Promise.all([dataDir, ...profiles].map((dir) => rm(dir, { recursive: true, force: true })));
  }
});
