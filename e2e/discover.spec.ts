/**
 * The directory in real Chromium against a real hub: Alice chooses to be
 * listed with her topics; Bob, on the same hub, finds her by topic on
 * Discover (reached from Search), sees her posts on that topic there, and
 * follows her from her card; by words
 * only once she lets it; once Alice turns it off, her hub answers without her.
 */
import type { Page } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

const listedUnder = async (hubUrl: string, topic: string) =>
  JSON.stringify(await (await fetch(`${hubUrl}/v1/directory?topic=${topic}`)).json());

async function findByWords(page: Page, words: string) {
  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Discover people by topic' }).click();
  await page.getByLabel('Name or words').fill(words);
  await page.getByRole('button', { name: 'Find people' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${words}`));
}

async function findByTopic(page: Page, topic: string) {
  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Discover people by topic' }).click();
  await expect(page.getByRole('heading', { name: 'Discover' })).toBeVisible();
  await page.getByLabel('Topic', { exact: true }).fill(topic);
  await page.getByRole('button', { name: 'Find people' }).click();
  await expect(page.getByRole('heading', { name: `Discover #${topic}` })).toBeVisible();
}

test('listed by choice, found by topic and followed from the card; unlisted, found no more', async ({
  browser,
  hubA,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const aliceHandle = await onboard(alice, hubA, 'Alice', 'alice');
  await alice.getByRole('link', { name: 'My profile' }).click();
  await alice.getByRole('button', { name: 'Edit profile' }).click();
  await alice.getByLabel('Bio').fill('Watching birds by the river');
  await alice.getByLabel('Topics').fill('birds, rivers');
  await alice.getByRole('button', { name: 'Save profile' }).click();
  await expect(alice.getByRole('list', { name: 'Topics' }).getByRole('link')).toHaveText(['#birds', '#rivers']);
  await alice.getByRole('link', { name: 'Home' }).click();
  await publish(alice, 'a heron this morning');
  await publish(alice, 'the water is high #rivers');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  const bob = await (await browser.newContext()).newPage();
  await onboard(bob, hubA, 'Bob', 'bob');
  expect(await listedUnder(hubA.url, 'birds')).not.toContain('alice'); // off until chosen
  await findByTopic(bob, 'birds');
  await expect(bob.getByTestId('discover-status')).toHaveText('No one is listed under #birds yet.');

  await alice.getByRole('link', { name: 'Settings' }).click();
  await alice.getByRole('checkbox', { name: 'List me in the directory' }).check();
  await expect(alice.getByTestId('directory-section')).toContainText('Listed: your hubs get your card');
  await expect
    .poll(() => listedUnder(hubA.url, 'birds'), { message: 'the hub holds her listing' })
    .toContain(aliceHandle);

  await findByTopic(bob, 'rivers');
  const card = bob.getByRole('list', { name: 'People' }).getByTestId('directory-card');
  await expect(card).toHaveCount(1);
  await expect(card.getByRole('link', { name: 'Alice' })).toBeVisible();
  await expect(card).toContainText(aliceHandle);
  await expect(card).toContainText('Watching birds by the river');
  await expect(card.getByRole('list', { name: 'Topics' }).getByRole('link')).toHaveText(['#birds', '#rivers']);
  // The topic's page: her posts on it, fetched though Bob does not follow her (her untagged post left out).
  const onTopic = bob.getByRole('list', { name: 'Posts on #rivers' }).getByTestId('post-body');
  await expect(onTopic).toHaveText(['the water is high #rivers']);
  expect(await new AxeBuilder(bob).seriousViolations(), 'Discover with a card').toEqual([]);

  await card.getByRole('button', { name: 'Follow Alice' }).click();
  await expect(card.getByRole('button', { name: 'Unfollow Alice' })).toBeVisible();
  await bob.getByRole('link', { name: 'Home' }).click();
  await expect(postWithBody(bob, 'a heron this morning')).toBeVisible();

  // By words only once Alice lets the directory find her so.
  await findByWords(bob, 'river');
  await expect(bob.getByTestId('discover-status')).toHaveText('No one is listed matching these words yet.');
  await alice.getByRole('checkbox', { name: 'Also find me by name and words' }).check();
  const byWords = () => fetch(`${hubA.url}/v1/directory?q=river`).then((r) => r.text());
  await expect.poll(byWords, { message: 'the hub finds her by words' }).toContain(aliceHandle);
  await findByWords(bob, 'river');
  await expect(bob.getByRole('list', { name: 'People' }).getByTestId('directory-card')).toHaveCount(1);

  await alice.getByRole('checkbox', { name: 'List me in the directory' }).uncheck();
  await expect(alice.getByTestId('directory-section')).toContainText('Taken out');
  await expect
    .poll(() => listedUnder(hubA.url, 'birds'), { message: 'the unlisting replaced it' })
    .not.toContain(aliceHandle);
  await findByTopic(bob, 'birds');
  await expect(bob.getByTestId('discover-status')).toHaveText('No one is listed under #birds yet.');
});
