/**
 * Mutes and blocks as a person uses them: a muted word and a muted feed
 * vanish from the timeline and come back on undo in Settings; a blocked
 * feed's posts and replies are hidden, and while it is blocked no request
 * the app makes (page, workers, service worker) names it or fetches its new
 * commits and posts; unblocking brings everything back.
 */
import type { Request } from '@playwright/test';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';

test('a muted word and a muted feed vanish, and come back from Settings', async ({ browser, hubA, hubB }) => {
  const bob = await (await browser.newContext()).newPage();
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await publish(bob, 'no spoilers: the butler did it');
  await publish(bob, 'a plain post from bob');

  const page = await (await browser.newContext()).newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  await followHandle(page, bobHandle);
  await page.getByRole('button', { name: 'Done' }).click();
  await publish(page, 'alice writes');
  const spoiler = postWithBody(page, 'no spoilers: the butler did it');
  const plain = postWithBody(page, 'a plain post from bob');
  await expect(spoiler).toHaveCount(1);
  await expect(plain).toHaveCount(1);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Mute a word, phrase or #tag').fill('Butler');
  await page.getByRole('button', { name: 'Mute', exact: true }).click();
  const section = page.getByTestId('privacy-section');
  await expect(section.getByRole('list', { name: 'Muted words' })).toContainText('butler');
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(plain).toHaveCount(1);
  await expect(spoiler).toHaveCount(0);

  // Muting the feed from a post's menu, by keyboard.
  await plain.getByRole('button', { name: 'More actions' }).click();
  await expect(page.getByRole('button', { name: 'Mute Bob' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(plain).toHaveCount(0);
  await expect(postWithBody(page, 'alice writes')).toHaveCount(1);

  await page.getByRole('link', { name: 'Settings' }).click();
  await section.getByRole('button', { name: 'Unmute butler' }).click();
  await section.getByRole('button', { name: 'Unmute Bob' }).click();
  await expect(section.getByRole('list', { name: 'Muted feeds' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(spoiler).toHaveCount(1);
  await expect(plain).toHaveCount(1);
});

test('a blocked feed: its posts and replies are hidden, nothing is requested for it; unblocking undoes it', async ({
  browser,
  hubA,
  hubB,
}) => {
  const bob = await (await browser.newContext()).newPage();
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await publish(bob, 'bob before the block');

  const context = await browser.newContext();
  const page = await context.newPage();
  const aliceHandle = await onboard(page, hubA, 'Alice', 'alice');
  await followHandle(page, bobHandle);
  await page.getByRole('button', { name: 'Done' }).click();
  await publish(page, 'alice asks a question');
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');

  await followHandle(bob, aliceHandle);
  await bob.getByRole('button', { name: 'Done' }).click();
  await postWithBody(bob, 'alice asks a question').getByRole('button', { name: 'Reply' }).click();
  await bob.getByLabel('Reply text').fill('bob answers alice');
  await bob.getByRole('button', { name: 'Send reply' }).click();
  await expect(postWithBody(page, 'bob answers alice')).toHaveCount(1);
  await expect(postWithBody(page, 'bob before the block')).toHaveCount(1);

  // Block from bob's profile.
  await postWithBody(page, 'bob before the block').getByRole('link', { name: /bob/ }).first().click();
  await page.getByRole('button', { name: 'Block' }).click();
  await expect(page.getByRole('button', { name: 'Unblock' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('link', { name: 'Home' }).click();
  // The timeline shows a post first: a count of 0 before it renders would pass whether or not the block works.
  await expect(postWithBody(page, 'alice asks a question')).toHaveCount(1);
  await expect(postWithBody(page, 'bob before the block')).toHaveCount(0);
  await expect(postWithBody(page, 'bob answers alice')).toHaveCount(0);
  await postWithBody(page, 'alice asks a question')
    .getByRole('link', { name: /open thread/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Thread' })).toBeVisible();
  await expect(page.getByTestId('post')).toHaveCount(1);
  await expect(page.getByText('bob answers alice')).toHaveCount(0);

  // From here on, record every request of alice's context while bob posts again.
  const bobId = await resolveHandle(hubB.url, bobHandle);
  const requests: Request[] = [];
  context.on('request', (r) => void requests.push(r));
  await publish(bob, 'bob after the block');
  await expect
    .poll(async () => (await postsOnHub(hubB.url, bobId)).map((p) => p.body))
    .toContain('bob after the block');
  await page.reload(); // a fresh start: heads, streams and catch-up all run again
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(postWithBody(page, 'alice asks a question')).toHaveCount(1);
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  await expect.poll(() => requests.some((r) => r.url().includes('/v1/stream'))).toBe(true);
  await expect.poll(() => requests.some((r) => r.url().includes('/v1/heads'))).toBe(true);
  const bobCommits = (await postsOnHub(hubB.url, bobId)).map((p) => p.commit);
  const named = requests
    .map((r) => `${r.method()} ${r.url()} ${r.postData() ?? ''}`)
    .filter((line) => line.includes(bobId) || bobCommits.some((c) => line.includes(c)));
  expect(named).toEqual([]);
  expect(requests.filter((r) => r.url().startsWith(hubB.url))).toEqual([]);
  await expect(postWithBody(page, 'bob after the block')).toHaveCount(0);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('privacy-section').getByRole('button', { name: 'Unblock Bob' }).click();
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(postWithBody(page, 'bob before the block')).toHaveCount(1);
  await expect(postWithBody(page, 'bob answers alice')).toHaveCount(1);
  await expect(postWithBody(page, 'bob after the block')).toHaveCount(1);
});
