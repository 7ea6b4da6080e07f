/**
 * The first screen needs only the worker's first stage (workers/api/
 * staged-api.ts): with the full core's chunk held back, a returning person's
 * timeline still shows, its muted post hidden (the private view, no Yjs), and
 * the composer's drafts listed; once the page has shown it, the chunk is asked
 * for, and when it arrives syncing starts and the badge says so in words.
 */
import type { Route } from '@playwright/test';
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

test('the timeline shows, mutes applied, before the full core is loaded; then it loads and syncs', async ({
  browser,
  hubA,
}) => {
  // No service worker: its precache would answer the chunk without the route seeing it.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'a post about the weather');
  await publish(page, 'a post with a spoiler in it');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Mute a word, phrase or #tag').fill('spoiler');
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect(page.getByTestId('privacy-section').getByRole('list', { name: 'Muted words' })).toContainText('spoiler');
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('sync-status')).toHaveText(/synced/i);

  // Hold the full core's chunk (asked by the core worker) until released.
  const held: Route[] = [];
  await context.route(/\/assets\/full-core-[^/]*\.js$/, (route) => void held.push(route));
  const again = await context.newPage();
  await again.goto(hubA.url);
  await expect(postWithBody(again, 'a post about the weather')).toHaveCount(1);
  await expect(postWithBody(again, 'a post with a spoiler in it')).toHaveCount(0);
  await expect(again.getByTestId('current-handle')).toBeVisible();
  // The list on screen, the page asked for the rest: it waits here, held.
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(again.getByTestId('sync-status')).not.toHaveText(/synced/i);

  for (const route of held) await route.continue();
  await context.unroute(/\/assets\/full-core-[^/]*\.js$/);
  await expect(again.getByTestId('sync-status')).toHaveText(/synced/i);
  await expect(postWithBody(again, 'a post with a spoiler in it')).toHaveCount(0);
  await context.close();
});
