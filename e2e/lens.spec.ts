/**
 * The topics lens in real Chromium against a real hub: Alice, listed under
 * #birds, posts on it; Bob, who shares the topic and does not follow her,
 * turns the lens on in Settings, and her post comes into his home feed
 * labelled with the lens that brought it and why. Her untagged post does not
 * come in; turning the lens off takes hers out again. She is new here too:
 * the fresh lens brings her first posts, tagged or not.
 */
import type { Page } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';
import { resolveHandle } from './hub-inspect.ts';

async function setTopics(page: Page, topics: string) {
  await page.getByRole('link', { name: 'My profile' }).click();
  await page.getByRole('button', { name: 'Edit profile' }).click();
  await page.getByLabel('Topics').fill(topics);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('list', { name: 'Topics' }).getByRole('link')).toHaveText([`#${topics}`]);
}

test('topics lens: a listed stranger’s post on my topic, with why; off, gone; fresh lens: her first posts', async ({
  browser,
  hubA,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const aliceHandle = await onboard(alice, hubA, 'Alice', 'alice');
  await onboard(bob, hubA, 'Bob', 'bob');
  await setTopics(alice, 'birds');
  await alice.getByRole('link', { name: 'Home' }).click();
  await publish(alice, 'a heron at dawn #birds');
  await publish(alice, 'nothing about birds here');
  await alice.getByRole('link', { name: 'Settings' }).click();
  await alice.getByRole('checkbox', { name: 'List me in the directory' }).check();
  await expect(alice.getByTestId('directory-section')).toContainText('Listed: your hubs get your card');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  // The listing goes out with her settings' next push, a moment later: Bob's lens reads the directory once on.
  const aliceId = await resolveHandle(hubA.url, aliceHandle);
  await expect
    .poll(async () => JSON.stringify(await (await fetch(`${hubA.url}/v1/listings`)).json()), { message: 'listed' })
    .toContain(aliceId);

  await setTopics(bob, 'birds');
  await bob.getByRole('link', { name: 'Home' }).click();
  await publish(bob, 'my own post');
  await expect(postWithBody(bob, 'a heron at dawn #birds')).toHaveCount(0); // no lens yet: following only

  await bob.getByRole('link', { name: 'Settings' }).click();
  await bob.getByLabel('Topics lens').selectOption({ label: 'Up to 30% of each page' });
  await expect(bob.getByTestId('lenses-section')).toContainText('Topics lens: up to 30% of each page.');
  expect(await new AxeBuilder(bob).seriousViolations(), 'Settings with lenses').toEqual([]);
  await bob.getByRole('link', { name: 'Home' }).click();
  const brought = postWithBody(bob, 'a heron at dawn #birds');
  await expect(brought.getByTestId('post-lens')).toHaveText(
    'From your topics lens: #birds: listed under it; you do not follow them',
  );
  await expect(postWithBody(bob, 'my own post').getByTestId('post-lens')).toHaveCount(0); // following: no label
  await expect(postWithBody(bob, 'nothing about birds here')).toHaveCount(0);

  await bob.getByRole('link', { name: 'Settings' }).click();
  await bob.getByLabel('Topics lens').selectOption({ label: 'Off' });
  await expect(bob.getByTestId('lenses-section')).toContainText('Topics lens off.');
  await bob.getByRole('link', { name: 'Home' }).click();
  await expect(postWithBody(bob, 'my own post')).toHaveCount(1);
  await expect(postWithBody(bob, 'a heron at dawn #birds')).toHaveCount(0);

  await bob.getByRole('link', { name: 'Settings' }).click();
  await bob.getByLabel('Fresh lens').selectOption({ label: 'Up to 20% of each page' });
  await expect(bob.getByTestId('lenses-section')).toContainText('Fresh lens: up to 20% of each page.');
  await bob.getByRole('link', { name: 'Home' }).click();
  await expect(postWithBody(bob, 'nothing about birds here').getByTestId('post-lens')).toHaveText(
    'From your fresh lens: new here: first posted today; listed in your hub’s directory; you do not follow them',
  );
});
