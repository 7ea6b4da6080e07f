/**
 * Notifications in real Chromium across two hubs: a follow, a reply and a reaction by
 * someone alice does not follow reach her, counted on the nav badge, listed
 * on the notifications screen, read once shown there (marked "New" for that
 * visit), and read still after a reload.
 */
import { aliceAndBob, expect, followHandle, postWithBody, publish, test } from './fixtures.ts';

test('a reply and a reaction from a non-followed user appear in notifications with the unread count', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, aliceHandle } = await aliceAndBob(browser, hubA, hubB);
  await publish(alice, 'what do you think?');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  await followHandle(bob, aliceHandle);
  await bob.getByRole('button', { name: 'Done' }).click();
  const onBob = postWithBody(bob, 'what do you think?');
  await expect(onBob).toHaveCount(1);
  await onBob.getByRole('button', { name: 'Add reaction' }).click();
  await bob.getByRole('button', { name: 'React thumbs up' }).click();
  await onBob.getByRole('button', { name: 'Reply' }).click();
  await bob.getByLabel('Reply text').fill('I think it is great');
  await bob.getByRole('button', { name: 'Send reply' }).click();
  await expect(bob.getByRole('dialog')).toHaveCount(0);

  // Alice follows nobody, yet her badge counts all three: Bob's follow, reaction and reply.
  await expect(alice.getByTestId('unread-notifications')).toHaveText('3 unread');
  await alice.getByRole('link', { name: /^Notifications/ }).click();
  await expect(alice.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  const items = alice.getByTestId('notification');
  await expect(items).toHaveCount(3);
  await expect(items.filter({ hasText: 'followed you' })).toHaveCount(1);
  await expect(items.filter({ hasText: 'replied to your post' })).toContainText('I think it is great');
  await expect(items.filter({ hasText: /reacted .* to your post/ })).toHaveCount(1);
  // Opening the screen reads what it shows: the count clears, and all stay marked New for this visit.
  await expect(alice.getByTestId('unread-notifications')).toHaveCount(0);
  await expect(items.getByText('New', { exact: true })).toHaveCount(3);

  // Read stays read after a reload (a new worker pulls the inbox again and keeps each notification once).
  await alice.reload();
  await expect(items).toHaveCount(3);
  await expect(items.getByText('New', { exact: true })).toHaveCount(0);
  await expect(alice.getByTestId('unread-notifications')).toHaveCount(0);
});
