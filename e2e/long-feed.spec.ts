/**
 * Following a feed longer than what gets rows at once (workers/store/lazy-posts.ts):
 * its newest posts show at once, its oldest are reached by reversing the
 * order, and its profile counts every post, in the real worker on Chromium.
 */
import { growFeed, pushFeed } from '../src/hub/testing/feed-fixture.ts';
import { put, signedClaim } from '../src/hub/testing/hub-fixture.ts';
import { secretKeyFrom } from '../src/protocol/keys.ts';
import { expect, followHandle, onboard, postWithBody, test } from './fixtures.ts';

const POSTS = 600;

test('a long feed followed: newest posts at once, the oldest reached in reverse order, every post counted', async ({
  browser,
  hubA,
  hubB,
}) => {
  const key = secretKeyFrom(new Uint8Array(32).fill(31));
  const feed = growFeed(key, undefined, POSTS, 256);
  await pushFeed(hubB.url, feed);
  expect((await put(`${hubB.url}/v1/handles/long`, signedClaim(key, 'long', hubB.host).bytes)).status).toBe(201);
  const body = (n: number) => `post ${n} of ${feed.author.slice(0, 8)}`;

  const page = await (await browser.newContext()).newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  await followHandle(page, `long@${hubB.host}`);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(postWithBody(page, body(POSTS))).toBeVisible();
  // Its signatures were checked on the verify workers the core worker starts (workers/verify/verify-pool.ts).
  expect(page.workers().filter((w) => w.url().includes('verify.worker')).length).toBeGreaterThanOrEqual(2);

  // The profile counts every post, most of them still without rows.
  await postWithBody(page, body(POSTS)).getByTestId('post-author').click();
  await expect(page).toHaveURL(/#\/profile\//);
  await expect(page.getByTestId('profile-counts')).toContainText(`Posts${POSTS}`);

  // Oldest first starts at the feed's first post, which the catch-up left without a row.
  await page.getByRole('link', { name: 'Home' }).click();
  const list = page.getByRole('list', { name: 'Timeline' });
  await page.getByRole('button', { name: 'Newest first' }).click();
  await expect(list.getByTestId('post-body').first()).toHaveText(body(1));
  await expect(list.getByTestId('post-body').nth(1)).toHaveText(body(2));
});
