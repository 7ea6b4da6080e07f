/**
 * People by name (issue 18, point 4): the name typed at onboarding is the
 * published profile name, shown to others beside the handle; one rename in
 * Settings changes it on this device and for everyone, in the same words.
 */
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

test('the onboarding name is the published name, handle beside it; a rename in Settings reaches followers', async ({
  browser,
  hubA,
  hubB,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  const bobHandle = await onboard(bob, hubB, 'Bob Stone', 'bob');
  await publish(bob, 'a post by name');
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();

  const post = postWithBody(alice, 'a post by name');
  await expect(post.getByTestId('post-name')).toHaveText('Bob Stone');
  await expect(post.getByTestId('post-author')).toHaveText(bobHandle);
  await post.getByTestId('post-author').click();
  await expect(alice.getByRole('heading', { name: 'Bob Stone' })).toBeVisible();
  await expect(alice.getByTestId('profile-handle')).toHaveText(bobHandle);
  await alice.getByRole('link', { name: 'Home' }).click();

  // Settings says what the name is, in the words onboarding used, and its rename is the published one.
  await bob.getByRole('link', { name: 'Settings' }).click();
  const field = bob.getByLabel('Display name', { exact: true });
  await expect(field).toHaveValue('Bob Stone');
  await expect(field).toHaveAccessibleDescription(/Published on your profile/);
  await field.fill('Bobby Stone');
  await bob.getByRole('button', { name: 'Rename' }).click();
  await expect(bob.getByRole('status').filter({ hasText: 'Renamed' })).toBeVisible();
  await expect(bob.locator('.identity-name')).toHaveText('Bobby Stone');
  await expect(postWithBody(alice, 'a post by name').getByTestId('post-name')).toHaveText('Bobby Stone');
});
