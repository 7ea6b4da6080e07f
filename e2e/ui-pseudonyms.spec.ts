import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

test('two pseudonyms on one device: posts go out under the chosen one and views never mix', async ({ page, hubA }) => {
  await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'from alice');
  await page.getByLabel('New post').fill('alice draft');

  await page.getByRole('button', { name: 'New pseudonym' }).click();
  await page.getByLabel('Display name').fill('Nightowl');
  await page.getByLabel('Handle', { exact: true }).fill('owl');
  await page.getByRole('button', { name: 'Create pseudonym' }).click();
  await expect(page.getByTestId('current-handle')).toHaveText(`owl@${hubA.host}`);

  // The new pseudonym's timeline and draft are its own.
  await expect(page.getByLabel('New post')).toHaveValue('');
  await expect(postWithBody(page, 'from alice')).toHaveCount(0);
  await publish(page, 'from owl');
  const owlPost = postWithBody(page, 'from owl');
  await expect(owlPost.getByTestId('post-author')).toHaveText(`owl@${hubA.host}`);

  // One step back to alice: her post, her draft, none of owl's.
  await page.getByLabel('Pseudonym', { exact: true }).selectOption({ label: `alice@${hubA.host}` });
  await expect(page.getByTestId('current-handle')).toHaveText(`alice@${hubA.host}`);
  await expect(postWithBody(page, 'from alice')).toHaveCount(1);
  await expect(postWithBody(page, 'from owl')).toHaveCount(0);
  await expect(page.getByLabel('New post')).toHaveValue('alice draft');
  await expect(page.getByRole('list', { name: 'Timeline' }).getByTestId('post-author')).toHaveText([
    `alice@${hubA.host}`,
  ]);

  // Settings show the pseudonym on screen only.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByText(`alice@${hubA.host}`, { exact: true }).last()).toBeVisible();
  await expect(page.getByTestId('hub-list')).toContainText(hubA.url);
  await page.getByLabel('Pseudonym', { exact: true }).selectOption({ label: `owl@${hubA.host}` });
  await expect(page.locator('.settings-facts').first()).toContainText(`owl@${hubA.host}`);
  await expect(page.locator('.settings-facts').first()).not.toContainText(`alice@${hubA.host}`);
});
