/**
 * The home timeline in Chromium: virtualized rows, paging by cursor, arrivals
 * held behind "N new posts", filters and order. The long feed is built on a
 * hub by the feed fixture (130 posts through the composer took most of this
 * test's time on a slow machine, and paging does not care who wrote them).
 */
import { growFeed, pushFeed } from '../src/hub/testing/feed-fixture.ts';
import { put, signedClaim } from '../src/hub/testing/hub-fixture.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import { aliceAndBob, expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

const POSTS = 130; // more than two pages of 50

test('the timeline is virtualized and paged to the first post, and holds an arrival behind "1 new post"', async ({
  browser,
  hubA,
  hubB,
}) => {
  const key = secretKeyFrom(new Uint8Array(32).fill(47));
  const feed = growFeed(key, undefined, POSTS);
  await pushFeed(hubB.url, feed);
  expect((await put(`${hubB.url}/v1/handles/numbers`, signedClaim(key, 'numbers', hubB.host).bytes)).status).toBe(201);
  const body = (n: number) => `post ${n} of ${feed.author.slice(0, 8)}`;

  const alice = await (await browser.newContext()).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  await followHandle(alice, `numbers@${hubB.host}`);
  await alice.getByRole('button', { name: 'Done' }).click();
  const list = alice.getByRole('list', { name: 'Timeline' });
  await expect(postWithBody(alice, body(POSTS))).toBeVisible();
  // Only the rows near the viewport are in the DOM.
  expect(await list.locator('> li').count()).toBeLessThan(40);

  // Scrolling pages through with the cursor to the very first post.
  await expect(async () => {
    await alice.mouse.wheel(0, 20_000);
    // In the viewport: the line is in the DOM as soon as the last page is read, wherever the reader is.
    await expect(alice.getByText('You are all caught up.')).toBeInViewport({ timeout: 1_000 });
  }).toPass();
  await expect(list).toHaveAttribute('data-count', String(POSTS));
  await expect(postWithBody(alice, body(1))).toBeVisible();
  expect(await list.locator('> li').count()).toBeLessThan(40);

  // While reading further down, a followed post waits behind the button.
  const grown = growFeed(key, feed, 1);
  await pushFeed(hubB.url, grown, feed);
  const button = alice.getByRole('button', { name: '1 new post' });
  await expect(button).toBeVisible();
  await expect(postWithBody(alice, body(POSTS + 1))).toHaveCount(0);
  await expect(postWithBody(alice, body(1))).toBeVisible(); // nothing moved
  await button.click();
  await expect(postWithBody(alice, body(POSTS + 1))).toBeVisible();
  expect(await alice.evaluate(() => window.scrollY)).toBeLessThan(50);
});

test('the timeline filters by handle and by media, and reverses its order; Ctrl+Enter posts', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();

  const box = alice.getByLabel('New post');
  for (let i = 1; i <= 3; i++) {
    await box.fill(`numbered post ${i}`);
    await box.press('Control+Enter');
    await expect(box).toHaveValue('');
  }
  await publish(bob, 'from bob');
  await expect(postWithBody(alice, 'from bob')).toBeVisible();

  // An image post from bob (resized on his device) for the media filter.
  await bob.getByTestId('image-input').setInputFiles('public/icons/icon-512.png');
  await expect(bob.getByTestId('attached-image')).toHaveCount(1);
  await bob.getByLabel('New post').fill('with a picture');
  await bob.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(postWithBody(alice, 'with a picture').getByTestId('post-image')).toBeVisible();

  // Filters: by handle, with media; then reverse order.
  const list = alice.getByRole('list', { name: 'Timeline' });
  await alice.getByRole('button', { name: 'Filters' }).click();
  await alice.getByLabel('Only from handle').fill(bobHandle);
  await alice.getByRole('button', { name: 'Apply filters' }).click();
  await expect(list.getByTestId('post-body')).toHaveText(['with a picture', 'from bob']);
  await alice.getByLabel('Only from handle').fill('');
  await alice.getByLabel('With images only').check();
  await alice.getByRole('button', { name: 'Apply filters' }).click();
  await expect(list.getByTestId('post-body')).toHaveText(['with a picture']);
  await alice.getByRole('button', { name: 'Clear filters' }).click();
  await expect(list.getByTestId('post-body')).toHaveText([
    'with a picture',
    'from bob',
    'numbered post 3',
    'numbered post 2',
    'numbered post 1',
  ]);
  await alice.getByRole('button', { name: 'Newest first' }).click();
  await expect(list.getByTestId('post-body')).toHaveText([
    'numbered post 1',
    'numbered post 2',
    'numbered post 3',
    'from bob',
    'with a picture',
  ]);
});
