/**
 * A walk through the main screens on desktop and phone, shooting each one.
 * In the suite the pictures go to the test's output folder; `npm run
 * screenshots` (SCREENSHOTS=1) writes them to docs/screenshots for the README.
 */
import type { Browser, Page, TestInfo } from '@playwright/test';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';
import type { HubProcess } from './hubs.ts';

let OUT = 'docs/screenshots';
const DESKTOP = { viewport: { width: 1100, height: 860 }, colorScheme: 'light' } as const;

function outputTo(testInfo: TestInfo): void {
  if (!process.env.SCREENSHOTS) OUT = testInfo.outputPath('screens');
}

/** Bob on hub B with two posts. */
async function bobPosts(browser: Browser, hubB: HubProcess) {
  const bob = await (await browser.newContext()).newPage();
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await publish(bob, 'Shipping the **new** hub today. Notes at https://example.com/notes');
  await publish(bob, 'Coffee first, then `cargo build`.\nThen lunch.');
  return { bob, bobHandle };
}

/** Alice on hub A (on desktop) follows Bob and posts. */
async function aliceFollows(browser: Browser, hubA: HubProcess, bobHandle: string, shoot = false) {
  const page = await (await browser.newContext(DESKTOP)).newPage();
  await page.goto(hubA.url);
  await expect(page.getByRole('button', { name: 'Create pseudonym' })).toBeVisible();
  if (shoot) await page.screenshot({ path: `${OUT}/onboarding.png`, fullPage: true });
  await onboard(page, hubA, 'Alice', 'alice');
  await followHandle(page, bobHandle);
  await page.getByRole('button', { name: 'Done' }).click();
  await publish(page, 'Hello, Murmur! My keys live on this device. #hello');
  return page;
}

// Three walks, so each fits well inside its timeout on a slow machine.
test('the main screens render on desktop (and are shot)', async ({ browser, hubA, hubB }, testInfo) => {
  outputTo(testInfo);
  const { bobHandle } = await bobPosts(browser, hubB);
  const page = await aliceFollows(browser, hubA, bobHandle, true);
  // The timeline shot shows Bob's post, its markdown rendered (code span, line break).
  await expect(postWithBody(page, 'Coffee first, then cargo build.Then lunch.')).toBeVisible();
  await postWithBody(page, 'Hello, Murmur! My keys live on this device. #hello')
    .getByRole('button', { name: 'Add reaction' })
    .click();
  await page.getByRole('button', { name: 'React party' }).click();
  await page.screenshot({ path: `${OUT}/timeline.png` });
  await shoot(page, 'reply-dialog', async () => {
    await page.getByRole('list', { name: 'Timeline' }).getByRole('button', { name: 'Reply' }).nth(1).click();
    await page.getByLabel('Reply text').fill('Good luck with the launch!');
  });
  await page.keyboard.press('Escape');
  await page
    .getByRole('list', { name: 'Timeline' })
    .getByRole('link', { name: /open thread/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Thread' })).toBeVisible();
  await page.screenshot({ path: `${OUT}/thread.png` });
  await page.getByRole('link', { name: 'Home' }).click();
  await page
    .getByRole('list', { name: 'Timeline' })
    .getByTestId('post-author')
    .filter({ hasText: bobHandle })
    .first()
    .click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await page.screenshot({ path: `${OUT}/profile.png`, fullPage: true });
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('storage-info')).toBeVisible();
  await page.screenshot({ path: `${OUT}/settings.png`, fullPage: true });
});

test('notifications and a conversation render on desktop (and are shot)', async ({ browser, hubA, hubB }, testInfo) => {
  outputTo(testInfo);
  const { bob, bobHandle } = await bobPosts(browser, hubB);
  const page = await aliceFollows(browser, hubA, bobHandle);

  // Bob follows alice back, reacts and replies: alice's notifications; then she writes to him.
  await followHandle(bob, `alice@${hubA.host}`);
  await bob.getByRole('button', { name: 'Done' }).click();
  const onBob = postWithBody(bob, 'Hello, Murmur! My keys live on this device. #hello');
  await onBob.getByRole('button', { name: 'Add reaction' }).click();
  await bob.getByRole('button', { name: 'React thumbs up' }).click();
  await onBob.getByRole('button', { name: 'Reply' }).click();
  await bob.getByLabel('Reply text').fill('Welcome! Glad you are here.');
  await bob.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByTestId('unread-notifications')).toHaveText('3 unread'); // his follow, reaction, reply
  await page.getByRole('link', { name: /^Notifications/ }).click();
  await expect(page.getByTestId('notification')).toHaveCount(3);
  await page.screenshot({ path: `${OUT}/notifications.png` });
  await page.getByRole('link', { name: /^Messages/ }).click();
  await page.getByLabel('Their handle').fill(bobHandle);
  await page.getByRole('button', { name: 'Write' }).click();
  await page.getByLabel('Message', { exact: true }).fill('Thanks Bob! Coffee on Friday?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByTestId('dm-state')).toHaveText('Sent');
  await page.screenshot({ path: `${OUT}/conversation.png` });
});

test('the timeline renders on a phone in the dark (and is shot)', async ({ browser, hubA, hubB }, testInfo) => {
  outputTo(testInfo);
  const { bobHandle } = await bobPosts(browser, hubB);
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    colorScheme: 'dark',
    deviceScaleFactor: 2,
  });
  const mobile = await phone.newPage();
  await onboard(mobile, hubA, 'Carol', 'carol');
  await followHandle(mobile, bobHandle);
  await mobile.getByRole('button', { name: 'Done' }).click();
  await expect(mobile.getByRole('list', { name: 'Timeline' }).getByTestId('post')).toHaveCount(2);
  await mobile.screenshot({ path: `${OUT}/phone-dark.png` });
});

async function shoot(page: Page, name: string, act: () => Promise<void>) {
  await act();
  await page.screenshot({ path: `${OUT}/${name}.png` });
}
