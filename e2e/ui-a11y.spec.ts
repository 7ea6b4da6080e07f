import type { Browser, Page, Route } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';
import type { HubProcess } from './hubs.ts';

async function noSerious(page: Page, screen: string) {
  expect(await new AxeBuilder(page).seriousViolations(), screen).toEqual([]);
}

type Viewport = { width: number; height: number };

/**
 * Bob on hub B posts and publishes his DM key (by opening Messages); Alice on
 * hub A follows him and posts. Checks onboarding and the follow dialog on the way when asked.
 */
async function meet(browser: Browser, hubA: HubProcess, hubB: HubProcess, viewport: Viewport, check: boolean) {
  const page = await (await browser.newContext({ viewport })).newPage();
  const bob = await (await browser.newContext()).newPage();
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await publish(bob, 'hello from **bob** https://example.com');
  // Opening Messages publishes Bob's DM key, so Alice can open a conversation with him.
  await bob.getByRole('link', { name: /^Messages/ }).click();
  await expect(bob.getByTestId('sync-status')).toHaveText('Synced');

  await page.goto(hubA.url);
  await expect(page.getByRole('button', { name: 'Create pseudonym' })).toBeVisible();
  if (check) await noSerious(page, 'onboarding');
  await onboard(page, hubA, 'Alice', 'alice');
  await followHandle(page, bobHandle);
  if (check) await noSerious(page, 'follow dialog');
  await page.getByRole('button', { name: 'Done' }).click();
  await publish(page, 'a post by alice #hello');
  const mine = postWithBody(page, 'a post by alice #hello');
  await expect(postWithBody(page, 'hello from bob https://example.com')).toHaveCount(1);
  return { page, bobHandle, mine };
}

// Each viewport in two tests (home with its dialogs; the other screens), so each fits well inside its timeout.
for (const viewport of [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`onboarding, home, each dialog: no serious a11y violation at ${viewport.width}px; keyboard reaches all`, async ({
    browser,
    hubA,
    hubB,
  }) => {
    const { page, mine } = await meet(browser, hubA, hubB, viewport, true);
    await noSerious(page, 'timeline');

    // Keyboard: the skip link and the composer are reachable, and focus is visible.
    await page.reload();
    await expect(mine).toHaveCount(1);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(ring).not.toBe('none');

    await mine.getByRole('button', { name: 'Add reaction' }).click();
    await expect(page.getByRole('button', { name: 'React thumbs up' })).toBeFocused();
    await noSerious(page, 'emoji picker');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('button', { name: 'React heart' })).toBeFocused();
    await page.keyboard.press('Escape');

    await mine.getByRole('button', { name: 'Reply' }).click();
    await expect(page.getByLabel('Reply text')).toBeFocused();
    await noSerious(page, 'reply dialog');
    await page.keyboard.press('Escape');
    await mine.getByRole('button', { name: 'Edit' }).click();
    await noSerious(page, 'edit dialog');
    await page.keyboard.press('Escape');
    await mine.getByRole('button', { name: 'Delete' }).click();
    await noSerious(page, 'delete dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Filters' }).click();
    await noSerious(page, 'filters');

    await page.getByLabel('New post').fill('a draft kept for later');
    await page.getByRole('button', { name: 'Drafts' }).click();
    await expect(page.getByRole('list', { name: 'Your drafts' })).toContainText('a draft kept for later');
    await noSerious(page, 'drafts dialog');
    await page.keyboard.press('Escape');
    const bobsPost = postWithBody(page, 'hello from bob https://example.com');
    await bobsPost.getByRole('button', { name: 'More actions' }).click();
    await expect(page.getByRole('button', { name: 'Mute Bob' })).toBeFocused();
    await noSerious(page, 'post menu');
    await page.keyboard.press('Escape');
    await expect(bobsPost.getByRole('button', { name: 'More actions' })).toBeFocused();
  });

  test(`every other main screen has no serious accessibility violations at ${viewport.width}px`, async ({
    browser,
    hubA,
    hubB,
  }) => {
    const { page, bobHandle, mine } = await meet(browser, hubA, hubB, viewport, false);
    await mine.getByRole('link', { name: /open thread/ }).click();
    await expect(page.getByRole('heading', { name: 'Thread' })).toBeVisible();
    await noSerious(page, 'thread');

    // Every label of the navigation sits on one line (a wrapped one pushed its icon out of line on phones).
    const wrapped = await page
      .getByRole('navigation', { name: 'Main' })
      .locator('.nav-link > span:not(.nav-badge)')
      .evaluateAll((spans) =>
        spans
          .filter((s) => {
            if (getComputedStyle(s).display === 'none') return false;
            // A flex item is a block (one rect however many lines): a range over its text has one rect per line.
            const range = document.createRange();
            range.selectNodeContents(s);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size !== 1;
          })
          .map((s) => s.textContent),
      );
    expect(wrapped).toEqual([]);
    await page.getByRole('link', { name: 'My profile' }).click();
    await expect(page.getByTestId('heatmap')).toBeVisible();
    await noSerious(page, 'own profile');

    await page.getByRole('link', { name: 'Home' }).click();
    await postWithBody(page, 'hello from bob https://example.com').getByRole('link', { name: /bob/ }).first().click();
    await expect(page.getByRole('button', { name: 'Unfollow' })).toBeVisible();
    await noSerious(page, 'other profile');

    await page.getByRole('button', { name: 'Mute' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.getByLabel('Mute a word, phrase or #tag').fill('#politics');
    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect(page.getByRole('list', { name: 'Muted tags' })).toContainText('#politics');
    await expect(page.getByRole('list', { name: 'Muted feeds' })).toContainText(/bob/i);
    await noSerious(page, 'settings');

    await page.getByRole('link', { name: /^Notifications/ }).click();
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    await noSerious(page, 'notifications');

    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Discover people by topic' }).click();
    await expect(page.getByTestId('discover-status')).toHaveText(/listed/); // read from the hub
    await noSerious(page, 'discover');
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await sideways(), 'discover').toBeLessThanOrEqual(0);

    await page.getByRole('link', { name: /^Messages/ }).click();
    await expect(page.getByRole('heading', { name: 'Messages' })).toBeVisible();
    await noSerious(page, 'messages');
    await page.getByLabel('Their handle').fill(bobHandle);
    await page.getByRole('button', { name: 'Write' }).click();
    // The conversation is titled by the published name (onboarding's), not the handle.
    await expect(page.getByRole('heading', { name: 'Bob', exact: true })).toBeVisible();
    await page.getByLabel('Message', { exact: true }).fill('hello bob');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('dm')).toHaveCount(1);
    await noSerious(page, 'conversation');

    if (viewport.width < 500) {
      // Phone: nothing overflows sideways; the nav and the sync badge stay in reach.
      expect(await sideways()).toBeLessThanOrEqual(0);
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeInViewport();
      await expect(page.getByTestId('sync-status')).toBeInViewport();
    }
  });
}

test('a panel loaded when first opened is named by its button while it loads (filters, its chunk held)', async ({
  browser,
  hubA,
}) => {
  // No service worker: its precache would answer the chunk without the route seeing it.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  const held: Route[] = [];
  await context.route(/\/assets\/FiltersPanel-[^/]*\.js$/, (route) => void held.push(route));
  const button = page.getByRole('button', { name: 'Filters', exact: true });
  await button.click();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(page.getByText('Loading filters…')).toBeVisible();
  // aria-controls names an element in the document (axe's aria-valid-attr-value), even before the panel arrives.
  const controls = await button.getAttribute('aria-controls');
  await expect(page.locator(`[id="${controls}"]`)).toBeVisible();
  await noSerious(page, 'filters loading');
  for (const route of held) await route.continue();
  await expect(page.getByRole('form', { name: 'Timeline filters' })).toBeVisible();
  await noSerious(page, 'filters');
  await button.click();
  await expect(page.locator(`[id="${controls}"]`)).toBeHidden();
  await context.close();
});
