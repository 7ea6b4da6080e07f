/**
 * Audiences in real Chromium against real hubs: a post for named people is
 * read by the one named on another hub and not by a follower left out, and
 * the hub's stored bytes hold no plaintext of it; a link post opens in a fresh
 * browser with its link, and shows nothing without the key.
 */
import type { Page } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { hubHolds } from '../src/hub/testing/hub-files.ts';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

async function postFor(page: Page, body: string, audience: 'People I name' | 'Anyone with the link', name?: string) {
  await page.getByLabel('Who can read this').selectOption({ label: audience });
  if (name) await page.getByRole('checkbox', { name: new RegExp(`^${name} `) }).check();
  await publish(page, body);
}

test('for named people: one named on another hub reads it, one left out does not; hubs hold no plaintext', async ({
  browser,
  hubA,
  hubB,
}) => {
  const page = async () => (await browser.newContext()).newPage();
  const [alice, bob, carol] = [await page(), await page(), await page()];
  const aliceHandle = await onboard(alice, hubA, 'Alice', 'alice');
  const bobHandle = await onboard(bob, hubB, 'Bob', 'bob');
  const carolHandle = await onboard(carol, hubB, 'Carol', 'carol');
  // Each follow's dialog says so and stays open: Escape closes it, as a person would.
  for (const [who, handle] of [
    [bob, aliceHandle],
    [carol, aliceHandle],
    [alice, bobHandle],
    [alice, carolHandle],
  ] as const) {
    await followHandle(who, handle);
    await who.keyboard.press('Escape');
  }

  const body = 'only for bob, sealed on the way out';
  await alice.getByLabel('Who can read this').selectOption({ label: 'People I name' });
  // Onboarding published their DM keys, and following read them: both can be named.
  await expect(alice.getByRole('checkbox', { name: /^Bob / })).toBeEnabled();
  await expect(alice.getByRole('checkbox', { name: /^Carol / })).toBeEnabled();
  await expect(alice.getByText('affects later posts only')).toBeVisible();
  expect(await new AxeBuilder(alice).seriousViolations(), 'the composer naming people').toEqual([]);
  await postFor(alice, body, 'People I name', 'Bob');
  const own = postWithBody(alice, body);
  await expect(own.getByTestId('post-audience')).toHaveText('For: People named');
  await alice.getByLabel('Who can read this').selectOption({ label: 'Public' });
  await publish(alice, 'a public post after it');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  const atBob = postWithBody(bob, body);
  await expect(atBob).toHaveCount(1); // live, from hub A to hub B's reader
  await expect(atBob.getByTestId('post-audience')).toHaveText('For: People named');
  await expect(postWithBody(carol, 'a public post after it')).toHaveCount(1); // Carol read past it...
  await expect(postWithBody(carol, body)).toHaveCount(0); // ...and it is not hers to read
  await carol.reload();
  await expect(postWithBody(carol, 'a public post after it')).toHaveCount(1);
  await expect(carol.getByText(body)).toHaveCount(0);

  // The search finds a public post's text in the hub's files, and not the sealed one's.
  expect(await hubHolds(hubA.dataDir, 'a public post after it')).toBe(true);
  expect(await hubHolds(hubA.dataDir, body)).toBe(false);
  expect(await hubHolds(hubB.dataDir, body)).toBe(false);
});

test('a link post opens in a fresh browser with its link, and not without the key', async ({ browser, hubA }) => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const alice = await context.newPage();
  await onboard(alice, hubA, 'Alice', 'alice');
  const body = 'for whoever holds the link';
  await postFor(alice, body, 'Anyone with the link');
  const own = postWithBody(alice, body);
  await expect(own.getByTestId('post-audience')).toHaveText('For: Anyone with the link');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  await own.getByRole('button', { name: 'Copy link' }).click();
  await expect(own.getByRole('status')).toHaveText('Link copied');
  const link = await alice.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#\/link\/[0-9a-f]{64}\?hub=.+&k=[A-Za-z0-9_-]{43}$/);
  expect(await hubHolds(hubA.dataDir, body)).toBe(false);

  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(link);
  await expect(stranger.getByTestId('post-body')).toHaveText(body);
  await expect(stranger.getByTestId('post-audience')).toHaveText('For: Anyone with the link');
  expect(await new AxeBuilder(stranger).seriousViolations(), 'a link post opened').toEqual([]);

  const keyless = await (await browser.newContext()).newPage();
  await keyless.goto(link.replace(/&k=[^&]*$/, ''));
  await expect(keyless.getByRole('alert')).toHaveText('This link does not carry the key that opens the post');
  await expect(keyless.getByText(body)).toHaveCount(0);
});
