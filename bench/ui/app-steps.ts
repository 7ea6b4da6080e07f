/** Steps a person takes in the built app, shared by the benches that drive it (ui.bench.ts, cold-start.bench.ts). */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** What shows once the timeline's first page (or its empty state) is in the DOM. */
export const SHOWN = '.timeline-list:not([data-count="0"]), .timeline-empty';

/** Onboards a new pseudonym on the hub in `page` and waits until its (empty) timeline says synced. */
export async function onboard(page: Page, hubUrl: string, n: number): Promise<void> {
  await page.goto(hubUrl);
  await page.getByLabel('Display name').fill(`Reader ${n}`);
  await page.getByLabel('Handle', { exact: true }).fill(`reader${n}`);
  await page.getByRole('button', { name: 'Create pseudonym' }).click();
  await page.getByTestId('current-handle').waitFor();
  await page.getByTestId('sync-status').and(page.locator('.sync-synced')).waitFor({ timeout: 30_000 });
  expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('longtask'))).toBe(true);
}

/**
 * The sync: follows big@`host` by handle and waits until its newest post (`newest`) is on screen and the badge
 * says synced. `step` marks each step beside the long tasks when tracing.
 */
export async function followUntilSynced(
  page: Page,
  host: string,
  newest: string,
  step: (what: string) => Promise<unknown> | undefined = () => undefined,
): Promise<void> {
  await page.getByRole('button', { name: 'Follow someone' }).click();
  await step('clicked "Follow someone"');
  await page.getByLabel('Handle to follow').fill(`big@${host}`);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await step('clicked "Follow"');
  await page
    .getByRole('status')
    .filter({ hasText: `Following big@${host}` })
    .waitFor({ timeout: 60_000 });
  await step('saw "Following"');
  await page.getByRole('button', { name: 'Done' }).click();
  await step('clicked "Done"');
  await page.getByTestId('post-body').getByText(newest, { exact: true }).waitFor({ timeout: 600_000 });
  await page.getByTestId('sync-status').and(page.locator('.sync-synced')).waitFor({ timeout: 600_000 });
}
