/**
 * Drafts as private state: kept as you type, listed and resumed, cleared by
 * publishing, and shared (sealed, through the hub) with the same pseudonym
 * on another device, where edits made offline on both devices converge.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, onboard, postWithBody, test } from './fixtures.ts';

async function exportBackup(page: Page, folder: string): Promise<string> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Passphrase for the backup').fill('a long backup passphrase');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export backup' }).click(),
  ]);
  const file = join(folder, download.suggestedFilename());
  await download.saveAs(file);
  await page.getByRole('link', { name: 'Home' }).click();
  return file;
}

async function importBackup(page: Page, url: string, file: string): Promise<void> {
  await page.goto(url);
  await page.getByText('Have a backup? Import it instead').click();
  const form = page.getByRole('form', { name: 'Import a backup' });
  await form.getByLabel('Backup file').setInputFiles(file);
  await form.getByLabel('Backup passphrase').fill('a long backup passphrase');
  await form.getByRole('button', { name: 'Import backup' }).click();
}

test('a draft typed on one device is resumed on another; offline edits on both converge; publishing clears it', async ({
  browser,
  hubA,
}) => {
  const folder = await mkdtemp(join(tmpdir(), 'murmur-drafts-'));
  const oneContext = await browser.newContext({ acceptDownloads: true });
  const one = await oneContext.newPage();
  const handle = await onboard(one, hubA, 'Alice', 'alice');
  const file = await exportBackup(one, folder);

  // Kept as typed: survives a reload with no button pressed.
  await one.getByLabel('New post').fill('shared draft');
  await one.reload();
  await expect(one.getByLabel('New post')).toHaveValue('shared draft');

  const twoContext = await browser.newContext();
  const two = await twoContext.newPage();
  await importBackup(two, hubA.url, file);
  await expect(two.getByTestId('current-handle')).toHaveText(handle);
  await two.getByRole('button', { name: 'Drafts' }).click();
  const list = two.getByRole('list', { name: 'Your drafts' });
  await expect(list.getByTestId('draft')).toHaveCount(1); // arrives through the hub, sealed
  await expect(list).toContainText('shared draft');
  await list.getByRole('button', { name: /Resume/ }).click();
  await expect(two.getByLabel('New post')).toHaveValue('shared draft');

  // Both offline, each edits a different end of the same draft.
  await oneContext.setOffline(true);
  await twoContext.setOffline(true);
  await expect(one.getByTestId('sync-status')).toContainText('Offline');
  await expect(two.getByTestId('sync-status')).toContainText('Offline');
  await one.getByLabel('New post').fill('shared draft, finished on one');
  await two.getByLabel('New post').fill('A shared draft');
  await oneContext.setOffline(false);
  await twoContext.setOffline(false);
  const merged = 'A shared draft, finished on one';
  await expect(one.getByLabel('New post')).toHaveValue(merged);
  await expect(two.getByLabel('New post')).toHaveValue(merged);

  // Publishing on one device clears the draft there, and then on the other.
  await one.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(one.getByLabel('New post')).toHaveValue('');
  await expect(postWithBody(one, merged)).toHaveCount(1);
  await one.getByRole('button', { name: 'Drafts' }).click();
  await expect(one.getByText('No drafts.')).toBeVisible();
  await one.keyboard.press('Escape');
  await two.getByRole('button', { name: 'Drafts' }).click();
  await expect(two.getByText('No drafts.')).toBeVisible();
  await rm(folder, { recursive: true, force: true });
});

test('the drafts list: save one aside, resume it, delete another; a reply draft waits under its post', async ({
  page,
  hubA,
}) => {
  await onboard(page, hubA, 'Alice', 'alice');
  const box = page.getByLabel('New post');
  await box.fill('first idea');
  await box.fill(''); // emptied: gone, and the next words start a new draft
  await box.fill('second idea');
  await page.reload();
  await expect(box).toHaveValue('second idea');
  await page.getByRole('button', { name: 'Drafts' }).click();
  const list = page.getByRole('list', { name: 'Your drafts' });
  await expect(list.getByTestId('draft')).toHaveCount(1);
  await page.keyboard.press('Escape');

  // A reply draft is kept under its post and listed too.
  await page.getByLabel('New post').fill('');
  await page.getByLabel('New post').fill('a post to answer');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(box).toHaveValue('');
  await postWithBody(page, 'a post to answer').getByRole('button', { name: 'Reply' }).click();
  await page.getByLabel('Reply text').fill('half a reply');
  await page.keyboard.press('Escape');
  await box.fill('third idea');
  await page.getByRole('button', { name: 'Save draft' }).click(); // kept, and the composer starts afresh
  await expect(box).toHaveValue('');
  await box.fill('fourth idea');
  await page.getByRole('button', { name: 'Drafts' }).click();
  await expect(list.getByTestId('draft')).toHaveCount(3);
  await list.getByRole('button', { name: 'Resume draft: third idea' }).click();
  await expect(box).toHaveValue('third idea');
  await page.getByRole('button', { name: 'Drafts' }).click();
  await list.getByRole('button', { name: 'Delete draft: fourth idea' }).click();
  await expect(list.getByTestId('draft')).toHaveCount(2);
  await expect(list).toContainText('Reply half a reply');
  await list.getByRole('button', { name: 'Delete draft: third idea' }).click();
  await expect(list.getByTestId('draft')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await postWithBody(page, 'a post to answer').getByRole('button', { name: 'Reply' }).click();
  await expect(page.getByLabel('Reply text')).toHaveValue('half a reply');
});
