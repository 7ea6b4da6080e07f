import { resolveHandle, postsOnHub } from './hub-inspect.ts';
import { expect, onboard, publish, test } from './fixtures.ts';

test('settings: another hub gets a copy of the whole feed, then new posts; it can be removed', async ({
  page,
  hubA,
  hubB,
}) => {
  const handle = await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'before the second hub');
  const alice = await resolveHandle(hubA.url, handle);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Also copy my posts to the hub at').fill(hubB.url);
  await page.getByRole('button', { name: 'Add hub' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Added ${hubB.url}` })).toBeVisible();
  await expect(page.getByTestId('hub-list')).toContainText(`${hubA.url} (home)`);
  await expect(page.getByTestId('hub-list')).toContainText(hubB.url);
  await expect
    .poll(async () => (await postsOnHub(hubB.url, alice)).map((p) => p.body))
    .toEqual(['before the second hub']);

  await page.getByRole('link', { name: 'Home' }).click();
  await publish(page, 'after');
  await expect
    .poll(async () => (await postsOnHub(hubB.url, alice)).map((p) => p.body).sort())
    .toEqual(['after', 'before the second hub']);
  await expect(page.getByTestId('sync-status')).toHaveText(/synced/i);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: `Remove ${hubB.url}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Removed ${hubB.url}` })).toBeVisible();
  await expect(page.getByTestId('hub-list')).not.toContainText(hubB.url);
});
