/**
 * Keys as a person handles them: an encrypted backup exported on one device
 * and imported on another (a wrong passphrase refused in words), and the
 * passphrase lock at rest (locked across a reload, opened by the passphrase
 * only, posting again once open). A restored pseudonym's Home opens at the
 * top, where its follows' new posts arrive live.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aliceAndBob, expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';
import type { HubProcess } from './hubs.ts';

const PASSPHRASE = 'a long backup passphrase';

/** Exports the pseudonym on screen from Settings into `folder`; the backup's download and where it was saved. */
async function exportBackup(page: Page, folder: string) {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Passphrase for the backup').fill(PASSPHRASE);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export backup' }).click(),
  ]);
  const file = join(folder, download.suggestedFilename());
  await download.saveAs(file);
  return { download, file };
}

/** A fresh device's import form with `file` chosen: the form, to fill the passphrase in and submit. */
async function importForm(browser: Browser, hub: HubProcess, file: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(hub.url);
  await page.getByText('Have a backup? Import it instead').click();
  const form = page.getByRole('form', { name: 'Import a backup' });
  await form.getByLabel('Backup file').setInputFiles(file);
  return { page, form };
}

test('a backup file carries a pseudonym to another device; a wrong passphrase is refused in words', async ({
  browser,
  hubA,
}) => {
  const folder = await mkdtemp(join(tmpdir(), 'murmur-backup-'));
  const first = await (await browser.newContext({ acceptDownloads: true })).newPage();
  const handle = await onboard(first, hubA, 'Alice', 'alice');
  await publish(first, 'before the backup');
  // "Synced" can still be the status from before the post for a moment, so the hub itself is asked.
  const me = await resolveHandle(hubA.url, handle);
  const onHub = async () => (await postsOnHub(hubA.url, me)).map((p) => p.body).sort();
  await expect.poll(onHub).toEqual(['before the backup']);
  await expect(first.getByTestId('sync-status')).toHaveText('Synced');

  const { download, file } = await exportBackup(first, folder);
  expect(download.suggestedFilename()).toMatch(/^murmur-Alice-\d{4}-\d\d-\d\d\.murmur$/);
  await expect(first.getByTestId('backup-status')).toContainText('Saved');

  const { page: second, form } = await importForm(browser, hubA, file);
  await form.getByLabel('Backup passphrase').fill('not the passphrase');
  await form.getByRole('button', { name: 'Import backup' }).click();
  await expect(form.getByRole('alert')).toContainText(/passphrase/i);

  await form.getByLabel('Backup passphrase').fill(PASSPHRASE);
  await form.getByRole('button', { name: 'Import backup' }).click();
  await expect(second.getByTestId('current-handle')).toHaveText(handle);
  await expect(postWithBody(second, 'before the backup')).toHaveCount(1); // its own feed, pulled from the hub
  await publish(second, 'from the second device');
  await expect.poll(onHub).toEqual(['before the backup', 'from the second device']);
  await expect(second.getByTestId('sync-status')).toHaveText('Synced');
  await rm(folder, { recursive: true, force: true });
});

test('a restored pseudonym opens Home at the top, and what its follows post arrives there live', async ({
  browser,
  hubA,
  hubB,
}) => {
  const folder = await mkdtemp(join(tmpdir(), 'murmur-backup-'));
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  // Enough of Bob's posts that Home is taller than the page the import form scrolled to.
  for (let i = 1; i <= 12; i++) await publish(bob, `Bob's post ${i}`);
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();
  await expect(postWithBody(alice, "Bob's post 12")).toHaveCount(1);
  const { file } = await exportBackup(alice, folder);

  const { page: restored, form } = await importForm(browser, hubA, file);
  await form.getByLabel('Backup passphrase').fill(PASSPHRASE);
  // The form lies below the explanation: reaching its button scrolls the page down.
  await form.getByRole('button', { name: 'Import backup' }).scrollIntoViewIfNeeded();
  expect(await restored.evaluate(() => window.scrollY)).toBeGreaterThan(0);
  await form.getByRole('button', { name: 'Import backup' }).click();
  const newest = restored.getByTestId('post-body').first();
  await expect(newest).toHaveText("Bob's post 12");
  await expect(restored.getByTestId('sync-status')).toHaveText('Synced');
  // Home kept the form's scroll once, and a timeline off its top holds new posts behind "N new posts".
  expect(await restored.evaluate(() => window.scrollY)).toBe(0);
  await publish(bob, 'after the restore');
  await expect(newest).toHaveText('after the restore');
  await rm(folder, { recursive: true, force: true });
});

test('the passphrase lock: locked now and after a reload, opened by the passphrase only, then posting again', async ({
  page,
  hubA,
}) => {
  await onboard(page, hubA, 'Alice', 'alice');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('lock-state')).toContainText('Not locked');
  await page.getByLabel('New lock passphrase').fill('my lock passphrase');
  await page.getByRole('button', { name: 'Set lock' }).click();
  await expect(page.getByTestId('lock-state')).toHaveText('Locked with a passphrase.');
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Murmur is locked' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Murmur is locked' })).toBeVisible();
  await page.getByLabel('Lock passphrase').fill('wrong passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText(/passphrase/i);
  await page.getByLabel('Lock passphrase').fill('my lock passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Murmur is locked' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Home' }).click();
  await publish(page, 'posted after unlocking');
  await expect(postWithBody(page, 'posted after unlocking')).toHaveCount(1);
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
});
