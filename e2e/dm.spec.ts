/**
 * Direct messages between people on two hubs, in real Chromium: a message
 * written offline waits, is sent once the network is back, arrives once on
 * the other hub, and the answer comes back the same way.
 */
import type { Page } from '@playwright/test';
import { aliceAndBob, expect, test } from './fixtures.ts';

async function openMessages(page: Page) {
  await page.getByRole('link', { name: /^Messages/ }).click();
  await expect(page.getByRole('heading', { name: 'Messages' })).toBeVisible();
}

test('a DM between two hubs: queued offline, delivered once, shown in both conversations, answered', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  const aliceContext = alice.context();

  // Onboarding published each one's DM key: bob can be written to before he ever opens Messages.
  await expect(bob.getByTestId('sync-status')).toHaveText('Synced');
  await openMessages(alice);
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  await alice.getByLabel('Their handle').fill(bobHandle);
  await alice.getByRole('button', { name: 'Write' }).click();
  await expect(alice.getByRole('heading', { name: 'Bob', exact: true })).toBeVisible(); // the published name

  await aliceContext.setOffline(true);
  await expect(alice.getByTestId('sync-status')).toContainText('Offline');
  await alice.getByLabel('Message', { exact: true }).fill('hello bob, written offline');
  await alice.getByRole('button', { name: 'Send' }).click();
  const sent = alice.getByTestId('dm').filter({ hasText: 'hello bob, written offline' });
  await expect(sent).toHaveCount(1);
  await expect(sent.getByTestId('dm-state')).toHaveText('Waiting to send');

  await aliceContext.setOffline(false);
  await expect(sent.getByTestId('dm-state')).toHaveText('Sent');
  // A reload restarts the worker, which sends whatever is still queued: nothing is, so nothing goes twice.
  await alice.reload();
  await expect(sent).toHaveCount(1);
  await expect(sent.getByTestId('dm-state')).toHaveText('Sent');

  // Bob: the unread badge, the conversation, the message once.
  await bob.getByRole('link', { name: 'Home' }).click();
  await expect(bob.getByTestId('unread-messages')).toHaveText('1 unread');
  await openMessages(bob);
  const conversation = bob.getByTestId('conversation');
  await expect(conversation).toHaveCount(1);
  await expect(conversation).toContainText('hello bob, written offline');
  await conversation.getByRole('link').click();
  const aliceId = (await alice.getByRole('link', { name: 'My profile' }).getAttribute('href'))!.split('/').at(-1)!;
  await expect(bob).toHaveURL(new RegExp(`#/messages/${aliceId}$`));
  await expect(bob.getByTestId('dm')).toHaveText([/hello bob, written offline/]);
  await expect(bob.getByTestId('unread-messages')).toHaveCount(0);

  await bob.getByLabel('Message', { exact: true }).fill('hi alice, from the other hub');
  await bob.getByRole('button', { name: 'Send' }).click();
  await expect(bob.getByTestId('dm').filter({ hasText: 'hi alice' }).getByTestId('dm-state')).toHaveText('Sent');

  await alice.getByRole('link', { name: 'Home' }).click();
  await openMessages(alice);
  await alice.getByTestId('conversation').getByRole('link').click();
  await expect(alice.getByTestId('dm')).toHaveText([/hello bob, written offline/, /hi alice, from the other hub/]);

  // Bob's view after a reload (a new worker pulls the inbox again): still one copy of each.
  await bob.reload();
  await expect(bob.getByTestId('dm')).toHaveText([/hello bob, written offline/, /hi alice, from the other hub/]);
  // Search finds the messages the person can read (their bodies are in clear only on the devices), by word.
  await alice.goto(`${hubA.url}/#/search?q=${encodeURIComponent('other hub')}`);
  await expect(alice.getByTestId('search-status')).toHaveText('0 posts and 1 message found.');
  const hit = alice.getByTestId('message-hit');
  await expect(hit).toContainText('hi alice, from the other hub');
  await expect(hit.locator('mark')).toHaveText(['other', 'hub']);
  await hit.getByRole('link').click();
  await expect(alice).toHaveURL(/#\/messages\/[0-9a-f]{64}$/);
  await expect(alice.getByTestId('dm')).toHaveText([/hello bob, written offline/, /hi alice, from the other hub/]);
});
