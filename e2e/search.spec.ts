/**
 * Search in Chromium against two real hubs (issue 18, point 1): alice on hub
 * A follows bob on hub B and finds her own and bob's posts by words and
 * prefixes, from: and #tag, with the matches marked; open results follow a
 * new post, an edit and a delete live; `/` opens search unless typing; the
 * screen passes axe, on a desktop and on a phone.
 */
import type { Page } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { aliceAndBob, expect, followHandle, postWithBody, publish, test } from './fixtures.ts';

/** The search hits, as their bodies read. */
function hits(page: Page) {
  return page.getByRole('list', { name: 'Search results' }).getByTestId('post-body');
}

async function searchFor(page: Page, query: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search posts' }).fill(query);
}

test('own and followed posts are found, marked and kept current; `/` opens search; no serious a11y issue', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();

  await publish(bob, 'Rainy day in Lisbon #weather');
  await publish(bob, 'sunny afternoon');
  await publish(alice, 'my own rain notes');
  await expect(postWithBody(alice, 'Rainy day in Lisbon #weather')).toBeVisible();
  await expect(postWithBody(alice, 'sunny afternoon')).toBeVisible();

  // `/` while typing is a character; elsewhere it opens search with the field focused.
  const box = alice.getByLabel('New post');
  await box.pressSequentially('a/b');
  await expect(box).toHaveValue('a/b');
  await expect(alice.getByRole('heading', { name: 'Search' })).toHaveCount(0);
  await box.fill('');
  await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await alice.keyboard.press('/');
  const field = alice.getByRole('searchbox', { name: 'Search posts' });
  await expect(field).toBeFocused();
  await expect(alice.getByRole('heading', { name: 'Search' })).toBeVisible();

  // Typed words match as prefixes, newest first, the matched part marked.
  await field.pressSequentially('rai');
  await expect(hits(alice)).toHaveText(['my own rain notes', 'Rainy day in Lisbon #weather']);
  await expect(alice.getByTestId('search-status')).toHaveText('2 posts found.');
  await expect(alice.getByRole('list', { name: 'Search results' }).locator('mark')).toHaveText(['rai', 'Rai']);
  expect(alice.url()).toContain('#/search?q=rai');
  const violations = await new AxeBuilder(alice).seriousViolations();
  expect(violations).toEqual([]);

  await searchFor(alice, 'from:bob');
  await expect(hits(alice)).toHaveText(['sunny afternoon', 'Rainy day in Lisbon #weather']);
  await searchFor(alice, '#weather');
  await expect(hits(alice)).toHaveText(['Rainy day in Lisbon #weather']);
  await expect(alice.getByRole('list', { name: 'Search results' }).locator('mark')).toHaveText(['#weather']);
  await searchFor(alice, 'nothing-like-this');
  await expect(alice.getByTestId('search-status')).toHaveText('No posts found.');

  // Open results follow what arrives: a new post, an edit, a delete.
  await searchFor(alice, 'rain');
  await expect(hits(alice)).toHaveText(['my own rain notes', 'Rainy day in Lisbon #weather']);
  await publish(bob, 'more rain tonight');
  await expect(hits(alice)).toHaveText(['more rain tonight', 'my own rain notes', 'Rainy day in Lisbon #weather']);

  const mine = postWithBody(bob, 'Rainy day in Lisbon #weather');
  await mine.getByRole('button', { name: 'Edit' }).click();
  await bob.getByLabel('Edited post').fill('Foggy day in Lisbon #weather');
  await bob.getByRole('button', { name: 'Save edit' }).click();
  await expect(hits(alice)).toHaveText(['more rain tonight', 'my own rain notes']);
  await searchFor(alice, 'foggy');
  await expect(hits(alice)).toHaveText(['Foggy day in Lisbon #weather']);

  await postWithBody(bob, 'Foggy day in Lisbon #weather').getByRole('button', { name: 'Delete' }).click();
  await bob
    .getByRole('dialog', { name: 'Delete this post?' })
    .getByRole('button', { name: 'Delete', exact: true })
    .click();
  await expect(alice.getByTestId('search-status')).toHaveText('No posts found.');
  await searchFor(alice, 'lisbon');
  // The query reaches the route (and runs) once typing settles; a deleted post is not found by any of its words.
  await expect(alice).toHaveURL(/#\/search\?q=lisbon$/);
  await expect(alice.getByTestId('search-status')).toHaveText('No posts found.');

  // The nav reaches it too, and a reload keeps the query.
  await alice.reload();
  await expect(alice.getByRole('searchbox', { name: 'Search posts' })).toHaveValue('lisbon');
  await alice.getByRole('link', { name: 'Home' }).click();
  await alice.getByRole('link', { name: 'Search' }).click();
  await expect(alice.getByRole('searchbox', { name: 'Search posts' })).toBeFocused();

  // On a phone: results fit the width, the six links of the nav stay in reach, still no serious a11y issue.
  await alice.setViewportSize({ width: 360, height: 740 });
  await searchFor(alice, 'rain');
  await expect(hits(alice)).toHaveText(['more rain tonight', 'my own rain notes']);
  expect(await alice.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await expect(alice.getByRole('navigation', { name: 'Main' })).toBeInViewport();
  expect(await new AxeBuilder(alice).seriousViolations()).toEqual([]);
});
