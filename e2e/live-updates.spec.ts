/**
 * What a follower sees is current (issue 18, point 5): while bob has a screen
 * open on alice's post (the timeline, the thread, alice's profile), alice
 * edits it, reacts to it, renames herself and deletes it on another hub, and
 * each change reaches bob's open screen with no navigation.
 */
import type { Locator, Page } from '@playwright/test';
import { aliceAndBob, expect, followHandle, publish, test } from './fixtures.ts';
import type { HubProcess } from './hubs.ts';

async function pair(browser: import('@playwright/test').Browser, hubA: HubProcess, hubB: HubProcess) {
  const { alice, bob, aliceHandle } = await aliceAndBob(browser, hubA, hubB);
  await followHandle(bob, aliceHandle);
  await bob.getByRole('button', { name: 'Done' }).click();
  return { alice, bob };
}

/** The post on `page` (any list: timeline, thread, profile) whose body is exactly `body`. */
function postOn(page: Page, body: string): Locator {
  return page.getByTestId('post').filter({ has: page.getByTestId('post-body').getByText(body, { exact: true }) });
}

/** Alice changes the post four ways; after each, bob's open screen shows it. */
async function changesReach(alice: Page, bob: Page) {
  const mine = postOn(alice, 'the first wording');
  await mine.getByRole('button', { name: 'Edit' }).click();
  await alice.getByLabel('Edited post').fill('the second wording');
  await alice.getByRole('button', { name: 'Save edit' }).click();
  const seen = postOn(bob, 'the second wording');
  await expect(seen).toHaveCount(1);
  await expect(postOn(bob, 'the first wording')).toHaveCount(0);

  const edited = postOn(alice, 'the second wording');
  await edited.getByRole('button', { name: 'Add reaction' }).click();
  await alice.getByRole('button', { name: 'React thumbs up' }).click();
  await expect(seen.getByRole('button', { name: 'thumbs up: 1' })).toBeVisible();

  await alice.getByRole('link', { name: 'My profile' }).click();
  await alice.getByRole('button', { name: 'Edit profile' }).click();
  await alice.getByLabel('Display name', { exact: true }).fill('Alice Renamed');
  await alice.getByRole('button', { name: 'Save profile' }).click();
  await expect(alice.getByRole('heading', { name: 'Alice Renamed' })).toBeVisible();
  await expect(seen.getByTestId('post-name')).toHaveText('Alice Renamed');

  const onProfile = postOn(alice, 'the second wording');
  await onProfile.getByRole('button', { name: 'Delete' }).click();
  await alice
    .getByRole('dialog', { name: 'Delete this post?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(postOn(bob, 'the second wording')).toHaveCount(0);
}

test('an open timeline shows an edit, a reaction, a new name and a delete as they happen', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob } = await pair(browser, hubA, hubB);
  await publish(alice, 'the first wording');
  await expect(postOn(bob, 'the first wording')).toHaveCount(1);
  await changesReach(alice, bob);
});

test('an open thread shows an edit, a reaction, a new name and a delete as they happen', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob } = await pair(browser, hubA, hubB);
  await publish(alice, 'the first wording');
  const post = postOn(bob, 'the first wording');
  await post.getByRole('link', { name: /open thread/ }).click();
  await expect(bob.getByRole('heading', { name: 'Thread' })).toBeVisible();
  await expect(postOn(bob, 'the first wording')).toHaveCount(1);
  await changesReach(alice, bob);
  await expect(bob.getByRole('heading', { name: 'Thread' })).toBeVisible();
});

test('an open profile shows an edit, a reaction, a new name and a delete as they happen', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob } = await pair(browser, hubA, hubB);
  await publish(alice, 'the first wording');
  await postOn(bob, 'the first wording').getByTestId('post-author').click();
  await expect(bob).toHaveURL(/#\/profile\//);
  await expect(postOn(bob, 'the first wording')).toHaveCount(1);
  await changesReach(alice, bob);
  // The profile's own title follows the new name too.
  await expect(bob.getByRole('heading', { name: 'Alice Renamed' })).toBeVisible();
  await expect(bob).toHaveURL(/#\/profile\//);
});
