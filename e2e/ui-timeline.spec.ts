import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

test('the timeline is virtualized and paged, holds arrivals behind "N new posts", filters and reverses', async ({ browser, hubA, hubB }) => {
  test.setTimeout(240_000);
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();

  // 130 posts, sent with Ctrl+Enter: more than two pages of 50.
  const box = alice.getByLabel('New post');
  for (let i = 1; i <= 130; i++) {
    await box.fill(`numbered post ${i}`);
    await box.press('Control+Enter');
    await expect(box).toHaveValue('');
  }
  const list = alice.getByRole('list', { name: 'Timeline' });
  await expect(postWithBody(alice, 'numbered post 130')).toBeVisible();
  // Only the rows near the viewport are in the DOM.
  expect(await list.locator('> li').count()).toBeLessThan(40);

  // Scrolling pages through with the cursor to the very first post.
  await expect(async () => {
    await alice.mouse.wheel(0, 20_000);
    await expect(alice.getByText('You are all caught up.')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 60_000 });
  await expect(list).toHaveAttribute('data-count', '130');
  await expect(postWithBody(alice, 'numbered post 1')).toBeVisible();
  expect(await list.locator('> li').count()).toBeLessThan(40);

  // While reading further down, a followed post waits behind the button.
  await publish(bob, 'live arrival');
  const button = alice.getByRole('button', { name: '1 new post' });
  await expect(button).toBeVisible();
  await expect(postWithBody(alice, 'live arrival')).toHaveCount(0);
  await expect(postWithBody(alice, 'numbered post 1')).toBeVisible(); // nothing moved
  await button.click();
  await expect(postWithBody(alice, 'live arrival')).toBeVisible();
  expect(await alice.evaluate(() => window.scrollY)).toBeLessThan(50);

  // An image post from bob (resized on his device) for the media filter.
  await bob.getByTestId('image-input').setInputFiles('public/icons/icon-512.png');
  await expect(bob.getByTestId('attached-image')).toHaveCount(1);
  await bob.getByLabel('New post').fill('with a picture');
  await bob.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(postWithBody(alice, 'with a picture').getByTestId('post-image')).toBeVisible();

  // Filters: by handle, with media; then reverse order.
  await alice.getByRole('button', { name: 'Filters' }).click();
  await alice.getByLabel('Only from handle').fill(bobHandle);
  await alice.getByRole('button', { name: 'Apply filters' }).click();
  await expect(list.getByTestId('post-body')).toHaveText(['with a picture', 'live arrival']);
  await alice.getByLabel('Only from handle').fill('');
  await alice.getByLabel('With images only').check();
  await alice.getByRole('button', { name: 'Apply filters' }).click();
  await expect(list.getByTestId('post-body')).toHaveText(['with a picture']);
  await alice.getByRole('button', { name: 'Clear filters' }).click();
  await alice.getByRole('button', { name: 'Newest first' }).click();
  await expect(list.getByTestId('post-body').first()).toHaveText('numbered post 1');
});
