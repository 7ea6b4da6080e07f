/**
 * Posts survive the tab dying while they sync: each round posts (the UI has
 * said "posted": the composer cleared), then at once crashes the renderer
 * (CDP Page.crash), closes the page, or closes the whole browser profile
 * (one test for each way), and opens it again. At the end every acknowledged post is on the hub and in
 * the timeline exactly once: 0 lost, 0 duplicated. The profile is a
 * persistent one on disk, as a person's browser is, so closing it keeps
 * IndexedDB. None of these endings loses the machine's page cache, so this
 * says nothing of power loss: IndexedDB's flush to disk is Chromium's
 * (ARCHITECTURE.md, "What the crash tests prove, and what they do not").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, onboard, postWithBody, publish, test, waitForServiceWorker } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';

/** Rounds per ending (each test ends the tab one way, so each fits its timeout alone). */
const ROUNDS = 2;

/**
 * Holds every PUT of a head (the last step of a push) until released, so the
 * tab dies with its post's sync in flight: blobs sent, head not yet.
 */
async function stallHeadPuts(context: BrowserContext) {
  const stalled = { seen: 0, on: true, waiting: [] as (() => void)[] };
  await context.route(/\/v1\/heads\//, async (route) => {
    if (route.request().method() !== 'PUT' || !stalled.on) return route.continue().catch(() => undefined);
    stalled.seen++;
    await new Promise<void>((resolve) => stalled.waiting.push(resolve));
    await route.continue().catch(() => undefined); // the page may be gone by then
  });
  return {
    stalled,
    release() {
      stalled.on = false;
      for (const go of stalled.waiting.splice(0)) go();
    },
  };
}
const ENDINGS = ['crash', 'close page', 'close browser'] as const;
const WORDS: Record<(typeof ENDINGS)[number], string> = {
  crash: 'crashing the tab',
  'close page': 'closing the tab',
  'close browser': 'closing the browser',
};

/** Counts calls of navigator.storage.persist (to see that the app asks for persistence). */
const spyOnPersist = () => {
  const storage = navigator.storage as StorageManager & { persistCalls?: number };
  const persist = storage.persist.bind(storage);
  storage.persistCalls = 0;
  storage.persist = () => {
    storage.persistCalls! += 1;
    return persist();
  };
};

for (const ending of ENDINGS) {
  test(`posting then ${WORDS[ending]}, round after round: 0 lost, 0 duplicated, on the hub and on screen`, async ({
    playwright,
    launchOptions,
    hubA,
  }) => {
    const profile = await mkdtemp(join(tmpdir(), 'murmur-durability-'));
    let stalledInFlight = 0;
    const launch = async () => {
      const context = await playwright.chromium.launchPersistentContext(profile, launchOptions);
      await context.addInitScript(spyOnPersist);
      const stall = await stallHeadPuts(context);
      stall.stalled.on = false;
      return { context, stall };
    };
    let { context, stall } = await launch();
    const open = async (): Promise<Page> => {
      const page = await context.newPage();
      await page.goto(hubA.url);
      return page;
    };

    let page = await open();
    const handle = await onboard(page, hubA, 'Alice', 'alice');
    const me = await resolveHandle(hubA.url, handle);
    // Persistent storage: asked for at start (or already granted).
    expect(
      await page.evaluate(
        async () =>
          (await navigator.storage.persisted()) ||
          ((navigator.storage as { persistCalls?: number }).persistCalls ?? 0) > 0,
      ),
    ).toBe(true);

    const acknowledged: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const body = `round ${round} before the ${ending}`;
      await expect(page.getByTestId('sync-status')).toHaveText('Synced'); // the earlier rounds are in
      stall.stalled.on = true;
      const seen = stall.stalled.seen;
      await publish(page, body); // resolves once the UI shows it posted
      acknowledged.push(body);
      await expect.poll(() => stall.stalled.seen).toBeGreaterThan(seen); // its push is under way, its head held back
      stalledInFlight++;
      if (ending === 'crash') {
        const cdp = await context.newCDPSession(page);
        const crashed = page.waitForEvent('crash');
        void cdp.send('Page.crash').catch(() => undefined); // never answered: the renderer is gone
        await crashed;
        await page.close();
      } else if (ending === 'close page') {
        await page.close();
      } else {
        await context.close();
        ({ context, stall } = await launch());
      }
      stall.release();
      page = await open();
      await expect(page.getByTestId('current-handle')).toHaveText(handle);
    }
    expect(stalledInFlight).toBe(ROUNDS);

    await expect(page.getByTestId('sync-status')).toHaveText('Synced');
    const onHub = (await postsOnHub(hubA.url, me)).map((p) => p.body).sort();
    expect(onHub).toEqual([...acknowledged].sort());
    for (const body of acknowledged) await expect(postWithBody(page, body)).toHaveCount(1);
    await expect(page.getByRole('list', { name: 'Timeline' }).getByTestId('post')).toHaveCount(acknowledged.length);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
}

test('while posts wait offline, the page registers the murmur-outbox Background Sync tag; online, they go out', async ({
  browser,
  hubA,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const handle = await onboard(page, hubA, 'Alice', 'alice');
  await waitForServiceWorker(page);
  const tags = () =>
    page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
        sync?: { getTags(): Promise<string[]> };
      };
      return registration.sync ? await registration.sync.getTags() : ['(no SyncManager)'];
    });
  // Onboarding's own commits go out first, so the one queued below is the only one.
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  await context.setOffline(true);
  await publish(page, 'waiting for the network');
  await expect(page.getByTestId('sync-status')).toContainText('1 queued');
  await expect.poll(tags).toContain('murmur-outbox');

  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  // Chromium fired the 'sync' event (the service worker woke the page) and dropped the tag.
  await expect.poll(tags).not.toContain('murmur-outbox');
  const me = await resolveHandle(hubA.url, handle);
  expect((await postsOnHub(hubA.url, me)).map((p) => p.body)).toEqual(['waiting for the network']);
  await context.close();
});
