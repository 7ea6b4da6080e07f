/**
 * The small defects a new user met (issue 18, point 7), each checked where a
 * person sees it: layout by the boxes on screen, notes by their text going
 * away, the phone by what fits its first screen.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true } as const;
const WIDE = { viewport: { width: 1280, height: 900 } } as const;
/** A hang guard for a note that steps aside after a few seconds (NOTE_MS), not a guess at its timing. */
const GONE = { timeout: 30_000 };

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** How many lines of text an element's visible text takes (a visually hidden label, 1 px and clipped, is none). */
function lines(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1);
    const tops: number[] = [];
    // Pieces of one line may sit a pixel apart (a span's own box): a new line starts half a line lower.
    for (const r of rects.sort((a, b) => a.top - b.top))
      if (tops.length === 0 || r.top - (tops.at(-1) as number) > r.height / 2) tops.push(r.top);
    return tops.length;
  });
}

test('onboarding on a phone: the form is on the first screen; the explanation follows it', async ({
  browser,
  hubA,
}) => {
  const page = await (await browser.newContext(PHONE)).newPage();
  await page.goto(hubA.url);
  const create = page.getByRole('button', { name: 'Create pseudonym' });
  await expect(create).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(create).toBeInViewport({ ratio: 1 });
  await expect(page.getByText('Hold as many pseudonyms as you like.', { exact: false })).toBeVisible();
});

test('the composer: Drafts is a button, its footer keeps the count and the hint whole, notes step aside', async ({
  browser,
  hubA,
}) => {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 860 } })).newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  const drafts = page.getByRole('button', { name: 'Drafts', exact: true });
  // A button looks like one: a border or a fill of its own, not bare text.
  const look = await drafts.evaluate((el) => {
    const s = getComputedStyle(el);
    return { border: s.borderTopStyle !== 'none' && s.borderTopWidth !== '0px', fill: s.backgroundColor };
  });
  expect(look.border || look.fill !== 'rgba(0, 0, 0, 0)').toBe(true);

  await page.getByLabel('New post').fill('a few words, enough to show "Save draft" and count them');
  const count = page.getByTestId('char-count');
  const keys = page.locator('.composer-keys');
  await expect(page.getByRole('button', { name: 'Save draft' })).toBeVisible();
  expect(await lines(count)).toBe(1);
  expect(await lines(keys)).toBe(1);
  // On a desktop the whole footer is one row, the shortcut's hint under it.
  const post = page.getByRole('button', { name: 'Post', exact: true });
  const middle = (b: Box) => b.y + b.height / 2;
  expect((await box(keys)).y).toBeGreaterThanOrEqual((await box(post)).y + (await box(post)).height);
  for (const item of [count, drafts, page.getByRole('button', { name: 'Save draft' })])
    expect(Math.abs(middle(await box(item)) - middle(await box(post)))).toBeLessThan(8);

  await post.click();
  const note = page.locator('.composer-note');
  await expect(note).toHaveText('Posted');
  await expect(note).toHaveText('', GONE);

  const mine = postWithBody(page, 'a few words, enough to show "Save draft" and count them');
  await mine.getByRole('button', { name: 'Repost' }).click();
  await expect(mine.locator('.post-note')).toHaveText('Reposted');
  await expect(mine.locator('.post-note')).toHaveText('', GONE);
});

test("someone's profile at 1280 px: the name is whole, beside or above the buttons, never under them", async ({
  browser,
  hubA,
  hubB,
}) => {
  const alice = await (await browser.newContext(WIDE)).newPage();
  const bob = await (await browser.newContext()).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  // The longest handle there is: the title is what gets squeezed.
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bartholomew-the-builder-of-hubs');
  await publish(bob, 'hello from a long handle');
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();
  await postWithBody(alice, 'hello from a long handle').getByTestId('post-author').click();
  const title = alice.locator('#profile-title');
  await expect(alice.getByRole('button', { name: 'Unfollow' })).toBeVisible();
  const fits = await title.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(fits).toBe(true);
  const titleBox = await box(title);
  for (const name of ['Unfollow', 'Mute', 'Block']) {
    const button = alice.locator('.profile-head').getByRole('button', { name, exact: true });
    expect(overlap(titleBox, await box(button)), `${name} over the title`).toBe(false);
  }
});

test('Messages on a phone: the unread count sits beside the name, not over it', async ({ browser, hubA, hubB }) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext(PHONE)).newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  await expect(bob.getByTestId('sync-status')).toHaveText('Synced');
  await alice.getByRole('link', { name: /^Messages/ }).click();
  await alice.getByLabel('Their handle').fill(bobHandle);
  await alice.getByRole('button', { name: 'Write' }).click();
  await alice.getByLabel('Message', { exact: true }).fill('a message to make a badge');
  await alice.getByRole('button', { name: 'Send' }).click();
  await expect(alice.getByTestId('dm-state')).toHaveText('Sent');

  await bob.getByRole('link', { name: /Messages/ }).click();
  const conversation = bob.getByTestId('conversation');
  const badge = conversation.getByTestId('conversation-unread');
  await expect(badge).toHaveText('1 unread');
  // Alice's name arrives after her message (Bob's device fetches her feed for it) and widens the line: measured
  // once it has, and all three in one frame, so no box is from an older layout than another.
  await expect(conversation.getByTestId('person-name')).toHaveText('Alice');
  const [badgeBox, nameBox, bodyBox] = await conversation.evaluate((row) =>
    ['[data-testid="conversation-unread"]', 'strong', '.notification-body'].map((selector) => {
      const { x, y, width, height } = row.querySelector(selector)!.getBoundingClientRect();
      return { x, y, width, height };
    }),
  );
  expect(overlap(badgeBox!, nameBox!)).toBe(false);
  expect(overlap(badgeBox!, bodyBox!)).toBe(false);
});

/** Every pair of neighbouring rows in the timeline, top to bottom, after their heights settle. */
async function expectRowsApart(page: Page) {
  await expect
    .poll(async () =>
      page.getByRole('list', { name: 'Timeline' }).evaluate((list) => {
        const rows = [...list.querySelectorAll(':scope > li')].map((li) => li.getBoundingClientRect());
        rows.sort((a, b) => a.top - b.top);
        return rows.filter((r, i) => i > 0 && r.top < (rows[i - 1] as DOMRect).bottom - 1).length;
      }),
    )
    .toBe(0);
}

test('a quote in the timeline keeps its room after going to a profile and back Home', async ({ browser, hubA }) => {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 860 } })).newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'the quoted one');
  const quoted = postWithBody(page, 'the quoted one');
  await quoted.getByRole('button', { name: 'Quote' }).click();
  await page.getByLabel('Quote text').fill('a quote with its own words');
  await page.getByRole('dialog').getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await publish(page, 'the one after the quote');
  await expect(postWithBody(page, 'a quote with its own words')).toHaveCount(1);
  for (let round = 0; round < 3; round++) {
    await expectRowsApart(page);
    await postWithBody(page, 'the one after the quote').getByTestId('post-author').click();
    await expect(page).toHaveURL(/#\/profile\//);
    await page.getByRole('link', { name: 'Home' }).click();
    await expect(postWithBody(page, 'a quote with its own words')).toHaveCount(1);
  }
  await expectRowsApart(page);
});
