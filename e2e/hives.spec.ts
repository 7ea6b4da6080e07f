/**
 * Hives in the app (issue 21), in Chromium against two real hub processes. The owner makes a hive on hub A
 * (listed there, where a member finds it), makes one member a moderator and closes her page for good: everything
 * after runs with the owner offline.
 * Members on both hubs join, post, comment two deep and vote, and every reader's view converges (the same
 * posts, counts and comments, each computed on its own device from the signed entries); votes count once per
 * voter through a vote, a change and a withdrawal. The moderator approves, removes a post with a reason and bans
 * a member: both vanish for everyone and the public log says who, what and why; a non-member's and the banned
 * member's submissions never show. A hive is read from its hubs, so a reader sees another's act once it reads
 * again: every wait is for what the page shows after "Read again", never for a time.
 */
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { expect, onboard, test } from './fixtures.ts';
import type { HubProcess } from './hubs.ts';

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true } as const;
/** How long one look inside a read-again loop waits: the loop, not the look, is what waits for the hive. */
const LOOK = { timeout: 2_000 };

async function person(browser: Browser, hub: { url: string; host: string }, name: string, options = {}) {
  const page = await (await browser.newContext(options as BrowserContextOptions)).newPage();
  await onboard(page, hub, name, name.toLowerCase());
  return page;
}

async function goToHives(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Hives' }).click();
  await expect(page.getByRole('heading', { name: 'Hives', level: 1 })).toBeVisible();
}

/** Makes a hive from the Hives screen; its page opens once its hub has the charter. Returns its link. */
async function makeHive(page: Page, name: string, rules: string, how: { approval?: boolean; listed?: boolean }) {
  await goToHives(page);
  const form = page.getByTestId('create-hive');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Rules (optional)').fill(rules);
  if (how.approval) await form.getByRole('radio', { name: /^By approval/ }).check();
  if (how.listed) await form.getByLabel('List it in the directory of your hub').check();
  await form.getByRole('button', { name: 'Make hive' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('hive-role')).toHaveText('Owner');
  return page.getByTestId('hive-link').inputValue();
}

/** Opens a hive by its link in the Hives screen's field (the link names another hub's copy of the app). */
async function openHive(page: Page, link: string) {
  await goToHives(page);
  await page.getByLabel('Hive link').fill(link);
  await page.getByRole('button', { name: 'Open hive' }).click();
  await expect(page.getByTestId('hive-role')).toBeVisible();
}

async function readAgain(page: Page) {
  const status = page.getByTestId('hive-status');
  const before = await status.getAttribute('data-reads');
  await page.getByRole('button', { name: 'Read again' }).click();
  await expect(status).not.toHaveAttribute('data-reads', before ?? '', LOOK);
}

/** Reads the hive again until `check` passes: another's act shows once a read finds it on the hub. */
async function until(page: Page, check: () => Promise<unknown>) {
  await expect(async () => {
    await readAgain(page);
    await check();
  }).toPass({ timeout: 45_000 });
}

/** A post submitted from the hive's page, seen in the author's own view. */
async function submit(page: Page, title: string, more: { body?: string; link?: string }, shown = true) {
  const form = page.getByTestId('submit-post');
  await form.getByLabel('Title').fill(title);
  if (more.body) await form.getByLabel(/^Body/).fill(more.body);
  if (more.link) await form.getByLabel(/^Link/).fill(more.link);
  await form.getByRole('button', { name: 'Post to hive' }).click();
  if (shown) await expect(postCard(page, title)).toBeVisible();
  else await expect(form.getByText('Sent, and shown to nobody while you are not a member.')).toBeVisible();
}

const postCard = (page: Page, title: string) => page.getByRole('article', { name: `Post ${title}` });

/** The posts as a reader sees them: title, votes and comment count, in the page's order. */
const postsView = (page: Page) =>
  page
    .getByTestId('hive-post')
    .evaluateAll((posts) =>
      posts.map((p) =>
        ['.hive-post-title', '[data-testid=votes]', '[data-testid=comment-count]']
          .map((s) => p.querySelector(s)?.textContent)
          .join(' | '),
      ),
    );

/** The comments of the open post, depth first: body and votes. */
const commentsView = (page: Page) =>
  page
    .getByTestId('hive-comment')
    .evaluateAll((comments) =>
      comments.map((c) =>
        ['comment-body', 'votes'].map((id) => c.querySelector(`[data-testid=${id}]`)?.textContent).join(' '),
      ),
    );

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * Olive's listed hive on hub A, Mia (hub B) its moderator and Bob (hub A, on a phone, who found it listed)
 * members, Olive gone for good; Bob has posted "A heron at dawn" and Mia "Egrets upstream".
 */
async function hiveWithTwoPosts(
  browser: Browser,
  hubA: HubProcess,
  hubB: HubProcess,
): Promise<{ mia: Page; bob: Page }> {
  const olive = await person(browser, hubA, 'Olive');
  const link = await makeHive(olive, 'Herons', 'Be kind to birds.\nNo spam.', { listed: true });
  expect(link).toMatch(/#\/hives\/[0-9a-f]{64}\?hub=/);
  const mia = await person(browser, hubB, 'Mia');
  await openHive(mia, link);
  await expect(mia.getByText('Be kind to birds.')).toBeVisible();
  await mia.getByRole('button', { name: 'Join' }).click();
  await expect(mia.getByTestId('hive-role')).toHaveText('Member');

  // The owner makes Mia a moderator and is gone once her hub holds the decision.
  const makeModerator = olive.getByRole('button', { name: /^Make moderator/ });
  await until(olive, () => expect(makeModerator).toHaveCount(1, LOOK));
  await makeModerator.click();
  await expect(olive.getByRole('button', { name: /^Remove as moderator/ })).toHaveCount(1);
  await olive.context().close();

  // Bob, on the hive's hub, finds it listed in his hub's directory.
  const bob = await person(browser, hubA, 'Bob', PHONE);
  await goToHives(bob);
  const listed = bob.getByRole('list', { name: 'Listed hives' }).getByRole('link', { name: 'Herons' });
  await expect(listed).toBeVisible();
  expect(await new AxeBuilder(bob).seriousViolations(), 'the hives screen on a phone').toEqual([]);
  await listed.click();
  await bob.getByRole('button', { name: 'Join' }).click();
  await expect(bob.getByTestId('hive-role')).toHaveText('Member');
  await until(mia, () => expect(mia.getByTestId('hive-role')).toHaveText('Moderator', LOOK));
  await submit(bob, 'A heron at dawn', { body: 'On one leg, by the reeds.' });
  await expect(postCard(bob, 'A heron at dawn').getByTestId('person-name')).toHaveText('Bob');
  await submit(mia, 'Egrets upstream', { link: 'https://example.com/egrets' });
  const egretLink = postCard(mia, 'Egrets upstream').getByRole('link', { name: 'https://example.com/egrets' });
  await expect(egretLink).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  return { mia, bob };
}

test('an open hive on two hubs, its owner offline: members post, comment two deep and vote; all views agree', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { mia, bob } = await hiveWithTwoPosts(browser, hubA, hubB);

  // Two levels of comments on Bob's post: Mia's, and Bob's reply to it.
  await until(mia, () => expect(postCard(mia, 'A heron at dawn')).toBeVisible(LOOK));
  // Mia follows nobody: Bob is named by his published profile, fetched to name him.
  await until(mia, () => expect(postCard(mia, 'A heron at dawn').getByTestId('person-name')).toHaveText('Bob', LOOK));
  await postCard(mia, 'A heron at dawn').getByRole('link', { name: 'A heron at dawn' }).click();
  await expect(mia.getByRole('heading', { name: 'A heron at dawn', level: 1 })).toBeVisible();
  await mia.getByLabel('Your comment').fill('Lovely light');
  await mia.getByRole('button', { name: 'Post comment' }).click();
  await expect(mia.getByTestId('comment-body')).toHaveText(['Lovely light']);
  await mia.getByRole('button', { name: 'Vote up post A heron at dawn' }).click();
  await expect(mia.getByTestId('hive-post').getByTestId('votes')).toHaveText('1 up · 0 down');

  await until(bob, () =>
    expect(postCard(bob, 'A heron at dawn').getByTestId('comment-count')).toHaveText('1 comment', LOOK),
  );
  await postCard(bob, 'A heron at dawn').getByRole('link', { name: '1 comment' }).click();
  const lovely = bob.getByTestId('hive-comment').filter({ hasText: 'Lovely light' });
  await lovely.getByRole('button', { name: 'Reply' }).click();
  await bob.getByLabel('Your reply').fill('Thanks!');
  await bob.getByRole('button', { name: 'Post reply' }).click();
  await expect(bob.getByRole('list', { name: 'Replies' }).getByTestId('comment-body')).toHaveText('Thanks!');
  await lovely.getByRole('button', { name: 'Vote up comment' }).click();
  await expect(lovely.getByTestId('votes')).toHaveText('1 up · 0 down');
  expect(await sideways(bob), 'a post page on a phone').toBeLessThanOrEqual(0);

  // Once per voter: Mia's up, Bob's up, changed to down, then withdrawn.
  await mia.goBack();
  await expect(postCard(mia, 'Egrets upstream')).toBeVisible();
  const miaEgrets = postCard(mia, 'Egrets upstream');
  await miaEgrets.getByRole('button', { name: 'Vote up post Egrets upstream' }).click();
  await expect(miaEgrets.getByTestId('votes')).toHaveText('1 up · 0 down');
  await bob.goBack();
  const bobEgrets = postCard(bob, 'Egrets upstream');
  await until(bob, () => expect(bobEgrets.getByTestId('votes')).toHaveText('1 up · 0 down', LOOK));
  const bobUp = bobEgrets.getByRole('button', { name: 'Vote up post Egrets upstream' });
  const bobDown = bobEgrets.getByRole('button', { name: 'Vote down post Egrets upstream' });
  for (const [button, counts, pressed] of [
    [bobUp, '2 up · 0 down', bobUp],
    [bobDown, '1 up · 1 down', bobDown],
    [bobDown, '1 up · 0 down', undefined],
  ] as const) {
    await button.click();
    await expect(bobEgrets.getByTestId('votes')).toHaveText(counts);
    await expect(bobUp).toHaveAttribute('aria-pressed', String(pressed === bobUp));
    await expect(bobDown).toHaveAttribute('aria-pressed', String(pressed === bobDown));
  }
  expect(await sideways(bob), 'a hive page on a phone').toBeLessThanOrEqual(0);

  // Every reader computes the same hive: the posts (newest first), their counts, and the comments.
  const posts = ['Egrets upstream | 1 up · 0 down | 0 comments', 'A heron at dawn | 1 up · 0 down | 2 comments'];
  await until(mia, async () => expect(await postsView(mia)).toEqual(posts));
  await until(bob, async () => expect(await postsView(bob)).toEqual(posts));
  for (const page of [mia, bob]) {
    await postCard(page, 'A heron at dawn').getByRole('link', { name: 'A heron at dawn' }).click();
    await until(page, async () =>
      expect(await commentsView(page)).toEqual(['Lovely light 1 up · 0 down', 'Thanks! 0 up · 0 down']),
    );
  }
  expect(await new AxeBuilder(mia).seriousViolations(), 'a hive post with comments').toEqual([]);
});

test('an open hive: a member leaves and his post stays; a reader sorts by Top over a window or by New', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { mia, bob } = await hiveWithTwoPosts(browser, hubA, hubB);
  const heronCard = postCard(mia, 'A heron at dawn');
  await until(mia, () => expect(heronCard).toBeVisible(LOOK));
  await heronCard.getByRole('button', { name: 'Vote up post A heron at dawn' }).click();
  await expect(heronCard.getByTestId('votes')).toHaveText('1 up · 0 down');

  // Bob leaves: a member no more, for him and for Mia; what he posted stays (a leave keeps it).
  await bob.getByRole('button', { name: 'Leave' }).click();
  await expect(bob.getByTestId('hive-role')).toHaveText('Not a member');
  await expect(bob.getByRole('button', { name: 'Join' })).toBeVisible();
  const members = mia.getByRole('list', { name: 'Members' });
  await until(mia, () => expect(members.getByText('Bob')).toHaveCount(0, LOOK));
  await expect(members.getByText('Mia').first()).toBeVisible();
  await expect(postCard(mia, 'A heron at dawn')).toBeVisible();

  // Top over a window, chosen by the reader: Mia's vote down puts the heron first; New keeps the newest first.
  const egrets = postCard(mia, 'Egrets upstream');
  await egrets.getByRole('button', { name: 'Vote down post Egrets upstream' }).click();
  await expect(egrets.getByTestId('votes')).toHaveText('0 up · 1 down');
  const sorts = mia.getByRole('navigation', { name: 'Sort posts' });
  const heron = 'A heron at dawn | 1 up · 0 down | 0 comments';
  const egret = 'Egrets upstream | 0 up · 1 down | 0 comments';
  await sorts.getByRole('link', { name: 'Top this week' }).click();
  await expect(mia.getByRole('list', { name: 'Top this week' })).toBeVisible();
  expect(await postsView(mia)).toEqual([heron, egret]);
  await sorts.getByRole('link', { name: 'New' }).click();
  await expect(mia.getByRole('list', { name: 'Newest posts' })).toBeVisible();
  expect(await postsView(mia)).toEqual([egret, heron]);
});

test('owner offline: a moderator approves, removes with a reason and bans; no non-member or banned post shows', async ({
  browser,
  hubA,
  hubB,
}) => {
  const olive = await person(browser, hubA, 'Olive');
  const link = await makeHive(olive, 'Quiet birds', 'Birds only.', { approval: true });
  const mia = await person(browser, hubB, 'Mia');
  await openHive(mia, link);
  await mia.getByRole('button', { name: 'Join' }).click();
  await expect(mia.getByTestId('hive-role')).toHaveText('Waiting for approval');
  const makeModerator = olive.getByRole('button', { name: /^Make moderator/ });
  await until(olive, () => expect(makeModerator).toHaveCount(1, LOOK));
  await makeModerator.click();
  await expect(olive.getByRole('button', { name: /^Remove as moderator/ })).toHaveCount(1);
  await olive.context().close();

  const bob = await person(browser, hubA, 'Bob');
  await bob.goto(link);
  await bob.getByRole('button', { name: 'Join' }).click();
  await expect(bob.getByTestId('hive-role')).toHaveText('Waiting for approval');
  await submit(bob, 'Before approval', { body: 'Hello?' }, false);
  await until(mia, () => expect(mia.getByTestId('hive-role')).toHaveText('Moderator', LOOK));
  const approve = mia.getByRole('button', { name: /^Approve/ });
  await until(mia, () => expect(approve).toHaveCount(1, LOOK));
  await approve.click();
  // Approved, what Bob said while waiting shows (the rule: admitted now).
  await expect(postCard(mia, 'Before approval')).toBeVisible();
  await until(bob, () => expect(bob.getByTestId('hive-role')).toHaveText('Member', LOOK));
  await submit(bob, 'Off-topic rant', { body: 'Cars are great.' });
  await submit(bob, 'Heron photos', { link: 'https://example.com/herons' });

  // Eve never joins: her post is on the board and shown by nobody.
  const eve = await person(browser, hubB, 'Eve');
  await openHive(eve, link);
  await submit(eve, 'Cheap feathers', { link: 'https://spam.example/' }, false);
  // On the board: Mia's and Bob's joins, Bob's three posts, the approval, Eve's post.
  await until(mia, async () => {
    await expect(mia.getByTestId('hive-status')).toContainText('7 announcements', LOOK);
    expect(await postsView(mia)).toEqual([
      'Heron photos | 0 up · 0 down | 0 comments',
      'Off-topic rant | 0 up · 0 down | 0 comments',
      'Before approval | 0 up · 0 down | 0 comments',
    ]);
  });
  await expect(postCard(eve, 'Cheap feathers')).toHaveCount(0);

  // A removal with its reason: gone for everyone, and in the log.
  await postCard(mia, 'Off-topic rant').getByRole('button', { name: 'Remove post' }).click();
  await mia.getByRole('dialog').getByLabel('Reason (public, optional)').fill('Off topic: this hive is for birds');
  await mia.getByRole('dialog').getByRole('button', { name: 'Remove post' }).click();
  await expect(postCard(mia, 'Off-topic rant')).toHaveCount(0);
  const removal = (page: Page) =>
    page.getByTestId('log-entry').filter({ hasText: 'removed the post “Off-topic rant”' });
  await expect(removal(mia).getByTestId('log-reason')).toHaveText('Off topic: this hive is for birds');
  await expect(removal(mia).getByTestId('person-name')).toHaveText('Mia');
  await until(bob, () => expect(postCard(bob, 'Off-topic rant')).toHaveCount(0, LOOK));
  await expect(removal(bob).getByTestId('log-reason')).toHaveText('Off topic: this hive is for birds');

  // A ban: all Bob said is hidden for everyone, and what he posts after is never shown.
  await mia.getByRole('list', { name: 'Members' }).getByRole('button', { name: /^Ban/ }).click();
  await expect(mia.getByTestId('hive-no-posts')).toHaveText('No posts yet.');
  await until(bob, () => expect(bob.getByTestId('hive-role')).toHaveText('Banned', LOOK));
  await expect(bob.getByTestId('hive-post')).toHaveCount(0);
  await submit(bob, 'After the ban', { body: 'Let me back in' }, false);
  await until(mia, () => expect(mia.getByTestId('hive-status')).toContainText('10 announcements', LOOK));
  await expect(mia.getByTestId('hive-post')).toHaveCount(0);
  await expect(mia.getByTestId('log-entry').first()).toContainText('banned');
  await expect(mia.getByTestId('log-entry')).toHaveCount(5); // ban, removal, approval, moderator, charter
  expect(await new AxeBuilder(mia).seriousViolations(), 'a hive page, as its moderator').toEqual([]);

  // Settings: Mia describes the hive (a field its owner never set), and every reader sees it and the log says so.
  const settings = mia.locator('details.hive-settings');
  await settings.getByText('Settings and rules').click();
  await expect(settings.getByText('a moderator’s counts only for a field the owner never set')).toBeVisible();
  await settings.getByLabel('Description (optional)').fill('Herons, egrets and bitterns');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByRole('status')).toHaveText('Saved.');
  await expect(mia.getByTestId('log-entry').first()).toContainText('changed the settings');
  await until(eve, () => expect(eve.getByText('Herons, egrets and bitterns')).toBeVisible(LOOK));
  await expect(eve.getByText('Birds only.')).toBeVisible();
});
