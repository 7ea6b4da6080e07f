import { readFile } from 'node:fs/promises';
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

test('settings: an exported backup imports on another device; storage shows; onboarding imports', async ({
  browser,
  hubA,
}) => {
  const page = await (await browser.newContext()).newPage();
  const handle = await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'before the backup');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('hub-list')).toContainText(hubA.url);
  await expect(page.getByTestId('storage-info')).toContainText('Posts held');
  // No image was attached: the other objects held (the text post's feed log) are not called media.
  await expect(page.getByTestId('storage-info')).toContainText('Other objects held');
  await expect(page.getByTestId('storage-info')).not.toContainText('Media');

  await page.getByLabel('Passphrase for the backup').fill('correct horse battery');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export backup' }).click();
  const download = await downloading;
  const path = test.info().outputPath('backup.murmur');
  await download.saveAs(path);
  expect((await readFile(path)).length).toBeGreaterThan(32);
  await expect(page.getByTestId('backup-status')).toContainText('Saved');

  // A fresh device: import from onboarding, wrong passphrase first.
  const other = await (await browser.newContext()).newPage();
  await other.goto(hubA.url);
  await other.getByText('Have a backup? Import it instead').click();
  await other.getByLabel('Backup file').setInputFiles(path);
  await other.getByLabel('Backup passphrase').fill('wrong passphrase');
  await other.getByRole('button', { name: 'Import backup' }).click();
  await expect(other.getByRole('alert').filter({ hasText: /passphrase|not/i })).toBeVisible();
  await other.getByLabel('Backup passphrase').fill('correct horse battery');
  await other.getByRole('button', { name: 'Import backup' }).click();
  await expect(other.getByTestId('current-handle')).toHaveText(handle);
  await expect(postWithBody(other, 'before the backup')).toHaveCount(1);
});

test('settings: a passphrase lock locks the keys until unlocked', async ({ page, hubA }) => {
  await onboard(page, hubA, 'Alice', 'alice');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('New lock passphrase').fill('lock me please');
  await page.getByRole('button', { name: 'Set lock' }).click();
  await expect(page.getByTestId('lock-state')).toContainText('Locked with a passphrase');
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Murmur is locked' })).toBeVisible();
  // Locked, the page names no pseudonym and offers no switch or new one: whoever unlocks chooses.
  await expect(page.getByTestId('current-handle')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New pseudonym' })).toHaveCount(0);
  await expect(page.getByText('alice', { exact: false })).toHaveCount(0);
  await page.getByLabel('Lock passphrase').fill('not it');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /passphrase|not/i })).toBeVisible();
  await page.getByLabel('Lock passphrase').fill('lock me please');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
});
