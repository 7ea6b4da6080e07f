/**
 * The e2e fixture: two real hubs per test (separate processes, separate
 * ports, separate data) and helpers that act as a person would, through the
 * labels and texts on screen.
 */
import { type Browser, type Page, test as base, expect } from '@playwright/test';
import { type HubProcess, startHubProcess } from './hubs.ts';

export { expect };

export const test = base.extend<{ hubA: HubProcess; hubB: HubProcess; closeOwnContexts: undefined }>({
  // Playwright closes only the contexts it made; one a test opens with browser.newContext() lives on with the
  // worker's browser, its app pages still syncing, retrying dead hubs and rendering beside every later test of
  // that worker (a whole run's worth of them made the last tests of the official CI two to five times slower).
  closeOwnContexts: [
    async ({ browser }, use) => {
      await use(undefined);
      await Promise.all(browser.contexts().map((context) => context.close()));
    },
    { auto: true },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a pattern as a fixture's first parameter.
  hubA: async ({}, use) => {
    const hub = await startHubProcess('a');
    await use(hub);
    await hub.stop();
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a pattern as a fixture's first parameter.
  hubB: async ({}, use) => {
    const hub = await startHubProcess('b');
    await use(hub);
    await hub.stop();
  },
});

/**
 * Alice (handle alice) on hub A and Bob (handle bob) on hub B, each in a browser context of their own (a test
 * that takes Alice offline reaches hers by alice.context()), onboarded one after the other, Alice first, under
 * the display names given; their full handles, to follow them by.
 */
export async function aliceAndBob(
  browser: Browser,
  hubA: HubProcess,
  hubB: HubProcess,
  names: { readonly alice?: string; readonly bob?: string } = {},
) {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const aliceHandle = await onboard(alice, hubA, names.alice ?? 'Alice', 'alice');
  const bobHandle = await onboard(bob, hubB, names.bob ?? 'Bob', 'bob');
  return { alice, bob, aliceHandle, bobHandle };
}

/** Creates a pseudonym and claims `handle` on the hub serving the page; returns the full handle. */
export async function onboard(
  page: Page,
  hub: Pick<HubProcess, 'url' | 'host'>,
  name: string,
  handle: string,
): Promise<string> {
  await page.goto(hub.url);
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Handle', { exact: true }).fill(handle);
  await page.getByRole('button', { name: 'Create pseudonym' }).click();
  const full = `${handle}@${hub.host}`;
  await expect(page.getByTestId('current-handle')).toHaveText(full);
  // Onboarding's own commits (the published name, the messages key) are out before a test counts what it queues.
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  return full;
}

export async function publish(page: Page, body: string): Promise<void> {
  await page.getByLabel('New post').fill(body);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByLabel('New post')).toHaveValue('');
}

export async function followHandle(page: Page, handle: string): Promise<void> {
  await page.getByRole('button', { name: 'Follow someone' }).click();
  await page.getByLabel('Handle to follow').fill(handle);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Following ${handle}` })).toBeVisible();
}

/** The timeline entry whose body is exactly `body`. */
export function postWithBody(page: Page, body: string) {
  return page
    .getByRole('list', { name: 'Timeline' })
    .getByTestId('post')
    .filter({
      has: page.getByTestId('post-body').getByText(body, { exact: true }),
    });
}

/** Resolves once the service worker controls the page (after one reload if needed). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
  }
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}
