/**
 * Retiring a pseudonym for good, in real Chromium against a real hub: its
 * hub releases the handle (WebFinger names no one), the device forgets it,
 * and a new pseudonym can claim the same name there.
 */
import type { Page } from '@playwright/test';
import { expect, onboard, test } from './fixtures.ts';

const idOf = async (page: Page) =>
  (await page.getByRole('link', { name: 'My profile' }).getAttribute('href'))!.split('/').at(-1)!;

test('retiring for good frees the handle on the hub for a new pseudonym', async ({ browser, hubA }) => {
  const page = await (await browser.newContext()).newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  const first = await idOf(page);
  const finger = () => fetch(`${hubA.url}/.well-known/webfinger?resource=acct:alice@${hubA.host}`);
  expect(JSON.stringify(await (await finger()).json())).toContain(first);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Retire for good' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retire this pseudonym for good?' });
  await expect(dialog).toContainText('This cannot be undone.');
  await dialog.getByRole('button', { name: 'Retire for good' }).click();

  // Onboarding's own heading: Settings has a "Display name" field too, so that label proves nothing.
  await expect(page.getByRole('heading', { name: 'Welcome to Murmur' })).toBeVisible(); // no pseudonym left
  expect((await finger()).status).toBe(404);

  await onboard(page, hubA, 'Alice again', 'alice');
  const second = await idOf(page);
  expect(second).not.toBe(first);
  expect(JSON.stringify(await (await finger()).json())).toContain(second);
});
