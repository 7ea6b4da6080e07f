/**
 * People by name (issue 18, point 4): the name typed at onboarding is the
 * published profile name, shown to others beside the handle; one rename in
 * Settings changes it on this device and for everyone, in the same words.
 * Wherever a person appears (quotes, reposts, notifications, threads,
 * Messages, conversations) it is by that name with the handle beside it, and
 * someone not followed who replies or writes is fetched from a hub to be named.
 */
import type { Page } from '@playwright/test';
import { aliceAndBob, expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

/** The first 8 hex digits of a key and an ellipsis: how a person with no handle known here is told apart. */
const FINGERPRINT = /^[0-9a-f]{8}…$/;

async function openNotifications(page: Page) {
  await page.getByRole('link', { name: /^Notifications/ }).click();
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  return page.getByTestId('notification');
}

test('the onboarding name is the published name, handle beside it; a rename in Settings reaches followers', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB, { bob: 'Bob Stone' });
  await publish(bob, 'a post by name');
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();

  const post = postWithBody(alice, 'a post by name');
  await expect(post.getByTestId('post-name')).toHaveText('Bob Stone');
  await expect(post.getByTestId('post-author')).toHaveText(bobHandle);
  await post.getByTestId('post-author').click();
  await expect(alice.getByRole('heading', { name: 'Bob Stone' })).toBeVisible();
  await expect(alice.getByTestId('profile-handle')).toHaveText(bobHandle);
  await alice.getByRole('link', { name: 'Home' }).click();

  // Settings says what the name is, in the words onboarding used, and its rename is the published one.
  await bob.getByRole('link', { name: 'Settings' }).click();
  const field = bob.getByLabel('Display name', { exact: true });
  await expect(field).toHaveValue('Bob Stone');
  await expect(field).toHaveAccessibleDescription(/Published on your profile/);
  await field.fill('Bobby Stone');
  await bob.getByRole('button', { name: 'Rename' }).click();
  await expect(bob.getByRole('status').filter({ hasText: 'Renamed' })).toBeVisible();
  await expect(bob.locator('.identity-name')).toHaveText('Bobby Stone');
  await expect(postWithBody(alice, 'a post by name').getByTestId('post-name')).toHaveText('Bobby Stone');
});

test('a followed person by name, handle beside: in a quote, its dialog, "reposted by" and notifications', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, aliceHandle, bobHandle } = await aliceAndBob(browser, hubA, hubB, {
    alice: 'Alice Wong',
    bob: 'Bob Stone',
  });
  await publish(alice, 'tell me by name');
  await publish(bob, 'words worth quoting');
  await followHandle(alice, bobHandle);
  await alice.getByRole('button', { name: 'Done' }).click();
  await followHandle(bob, aliceHandle);
  await bob.getByRole('button', { name: 'Done' }).click();

  // Alice quotes Bob: the dialog and then the quote name him, the handle beside.
  await postWithBody(alice, 'words worth quoting').getByRole('button', { name: 'Quote' }).click();
  const dialog = alice.getByRole('dialog');
  await expect(dialog.getByTestId('person-name')).toHaveText('Bob Stone');
  await expect(dialog.getByTestId('person-handle')).toHaveText(bobHandle);
  await alice.getByLabel('Quote text').fill('quoting bob by name');
  await dialog.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(dialog).toHaveCount(0);
  const quoted = postWithBody(alice, 'quoting bob by name').getByTestId('quoted-post');
  await expect(quoted.getByTestId('person-name')).toHaveText('Bob Stone');
  await expect(quoted.getByTestId('person-handle')).toHaveText(bobHandle);

  // Bob reposts and reacts to Alice's post: her timeline and her notifications name him.
  const onBob = postWithBody(bob, 'tell me by name');
  await onBob.getByRole('button', { name: 'Repost' }).click();
  await expect(onBob.getByRole('button', { name: 'Reposted' })).toHaveAttribute('aria-pressed', 'true');
  await onBob.getByRole('button', { name: 'Add reaction' }).click();
  await bob.getByRole('button', { name: 'React thumbs up' }).click();
  const reposted = postWithBody(alice, 'tell me by name').getByTestId('reposted-by');
  await expect(reposted.getByTestId('person-name')).toHaveText('Bob Stone');
  await expect(reposted.getByTestId('person-handle')).toHaveText(bobHandle);

  const items = await openNotifications(alice);
  await expect(items).toHaveCount(3);
  for (const what of ['followed you', 'reposted your post', /reacted .* to your post/]) {
    const item = items.filter({ hasText: what });
    await expect(item.getByTestId('person-name')).toHaveText('Bob Stone');
    await expect(item.getByTestId('person-handle')).toHaveText(bobHandle);
  }
});

test('one not followed who reacts, replies and writes is fetched and named: notifications, thread, Messages', async ({
  browser,
  hubA,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const carol = await (await browser.newContext()).newPage();
  const aliceHandle = await onboard(alice, hubA, 'Alice Wong', 'alice');
  await onboard(carol, hubA, 'Carol Reed', 'carol');
  await publish(alice, 'who will answer?');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  await followHandle(carol, aliceHandle);
  await carol.getByRole('button', { name: 'Done' }).click();

  // Carol, whom Alice does not follow, reacts and replies to her post and writes to her.
  const onCarol = postWithBody(carol, 'who will answer?');
  await onCarol.getByRole('button', { name: 'Add reaction' }).click();
  await carol.getByRole('button', { name: 'React thumbs up' }).click();
  await onCarol.getByRole('button', { name: 'Reply' }).click();
  await carol.getByLabel('Reply text').fill('carol answers');
  await carol.getByRole('button', { name: 'Send reply' }).click();
  await expect(carol.getByRole('dialog')).toHaveCount(0);
  await carol.getByRole('link', { name: /^Messages/ }).click();
  await carol.getByLabel('Their handle').fill(aliceHandle);
  await carol.getByRole('button', { name: 'Write' }).click();
  await carol.getByLabel('Message', { exact: true }).fill('carol writes');
  await carol.getByRole('button', { name: 'Send' }).click();
  await expect(carol.getByTestId('dm-state')).toHaveText('Sent');

  // Alice's device fetches Carol's feed from the hub to name her: no handle is known for her, so her key's
  // fingerprint stands beside the name.
  const items = await openNotifications(alice); // her follow, reaction and reply
  await expect(items).toHaveCount(3);
  await expect(items.getByTestId('person-name')).toHaveText(['Carol Reed', 'Carol Reed', 'Carol Reed']);
  await expect(items.getByTestId('person-handle')).toHaveText([FINGERPRINT, FINGERPRINT, FINGERPRINT]);
  const reply = items.filter({ hasText: 'replied to your post' });
  await reply.getByRole('link', { name: 'Your post' }).click();
  const answer = alice.getByTestId('post').filter({ hasText: 'carol answers' });
  await expect(answer.getByTestId('post-name')).toHaveText('Carol Reed');

  await alice.getByRole('link', { name: /^Messages/ }).click();
  const conversation = alice.getByTestId('conversation');
  await expect(conversation.getByTestId('person-name')).toHaveText('Carol Reed');
  await expect(conversation.getByTestId('person-handle')).toHaveText(FINGERPRINT);
  await conversation.getByRole('link').click();
  await expect(alice.getByRole('heading', { name: 'Carol Reed', exact: true })).toBeVisible();
  await expect(alice.getByTestId('conversation-handle')).toHaveText(FINGERPRINT);
  await expect(alice.getByTestId('dm')).toHaveText([/carol writes/]);
});
