import { aliceAndBob, expect, followHandle, postWithBody, publish, test } from './fixtures.ts';

test('profile: name, bio, handle, counts, a year heatmap with its summary, follow and unfollow', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  await publish(bob, 'bob one');
  await publish(bob, 'bob two');

  // Bob edits his profile.
  await bob.getByRole('link', { name: 'My profile' }).click();
  await bob.getByRole('button', { name: 'Edit profile' }).click();
  await bob.getByLabel('Display name', { exact: true }).fill('Bob Builder');
  await bob.getByLabel('Bio').fill('I *build* things');
  await bob.getByLabel('Topics').fill('Carpentry, #rust');
  await bob.getByRole('button', { name: 'Save profile' }).click();
  await expect(bob.getByRole('heading', { name: 'Bob Builder' })).toBeVisible();

  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();
  const post = postWithBody(alice, 'bob two');
  await expect(post.getByTestId('post-name')).toHaveText('Bob Builder');
  await post.getByTestId('post-author').click();
  await expect(alice).toHaveURL(/#\/profile\//);
  await expect(alice.getByRole('heading', { name: 'Bob Builder' })).toBeVisible();
  await expect(alice.getByTestId('profile-handle')).toHaveText(bobHandle);
  await expect(alice.locator('.profile-bio em')).toHaveText('build');
  await expect(alice.getByRole('list', { name: 'Topics' }).getByRole('link')).toHaveText(['#carpentry', '#rust']);
  const counts = alice.getByTestId('profile-counts');
  await expect(counts).toContainText('Posts2');
  await expect(alice.getByTestId('heatmap').locator('rect')).toHaveCount(364);
  await expect(alice.getByTestId('heatmap-summary')).toContainText('2 posts in the last year, on 1 day');
  await expect(alice.getByRole('list', { name: /Posts by/ }).getByTestId('post-body')).toHaveText([
    'bob two',
    'bob one',
  ]);

  await alice.getByRole('button', { name: 'Unfollow' }).click();
  await expect(alice.getByRole('button', { name: 'Follow', exact: true })).toBeVisible();
  await alice.getByRole('link', { name: 'Home' }).click();
  await expect(postWithBody(alice, 'bob two')).toHaveCount(0);
});
