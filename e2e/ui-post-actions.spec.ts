import type { Page } from '@playwright/test';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

async function pair(
  browser: import('@playwright/test').Browser,
  hubA: { url: string; host: string },
  hubB: { url: string; host: string },
) {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const aliceHandle = await onboard(alice, hubA as never, 'Alice', 'alice');
  const bobHandle = await onboard(bob, hubB as never, 'Bob', 'bob');
  await followHandle(alice, bobHandle);
  await followHandle(bob, aliceHandle);
  await alice.getByRole('button', { name: 'Done' }).click();
  await bob.getByRole('button', { name: 'Done' }).click();
  return { alice, bob, aliceHandle, bobHandle };
}

function timelinePosts(page: Page) {
  return page.getByRole('list', { name: 'Timeline' }).getByTestId('post');
}

test('react, reply and quote round trip across hubs', async ({ browser, hubA, hubB }) => {
  const { alice, bob, bobHandle } = await pair(browser, hubA, hubB);
  await publish(alice, 'original post');
  const onBob = postWithBody(bob, 'original post');
  await expect(onBob).toHaveCount(1);

  // React: an accessible picker, a pressed toggle with its count, seen by the author.
  await onBob.getByRole('button', { name: 'Add reaction' }).click();
  await bob.getByRole('button', { name: 'React thumbs up' }).click();
  const mine = onBob.getByRole('button', { name: 'thumbs up: 1' });
  await expect(mine).toHaveAttribute('aria-pressed', 'true');
  await expect(postWithBody(alice, 'original post').getByRole('button', { name: 'thumbs up: 1' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await mine.click(); // toggle off
  await expect(onBob.getByTestId('reaction')).toHaveCount(0);

  // Reply: the composer opens in a dialog; the reply shows in the author's thread view.
  await onBob.getByRole('button', { name: 'Reply' }).click();
  await bob.getByLabel('Reply text').fill('a reply from bob');
  await bob.getByRole('button', { name: 'Send reply' }).click();
  await expect(bob.getByRole('dialog')).toHaveCount(0);
  await expect(postWithBody(alice, 'a reply from bob')).toHaveCount(1);
  await postWithBody(alice, 'original post')
    .getByRole('link', { name: /open thread/ })
    .click();
  await expect(alice).toHaveURL(/#\/thread\//);
  const thread = alice.getByRole('list', { name: 'Replies in this thread' });
  await expect(thread.getByTestId('post-body')).toHaveText(['original post', 'a reply from bob']);
  await expect(thread.getByTestId('post').nth(1).getByTestId('post-author')).toHaveText(bobHandle);
  await alice.getByRole('link', { name: 'Back' }).click();

  // Closing the dialog (it is mounted only while shown) puts focus back on the button that opened it.
  await onBob.getByRole('button', { name: 'Quote' }).click();
  await bob.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(bob.getByRole('dialog')).toHaveCount(0);
  await expect(onBob.getByRole('button', { name: 'Quote' })).toBeFocused();

  // Quote: the quoting post carries the quoted one.
  await onBob.getByRole('button', { name: 'Quote' }).click();
  await bob.getByLabel('Quote text').fill('quoting alice');
  await bob.getByRole('dialog').getByRole('button', { name: 'Post', exact: true }).click();
  const quote = postWithBody(alice, 'quoting alice');
  await expect(quote.getByTestId('quoted-post')).toContainText('original post');
});

test('repost shows once with "reposted by"; edit keeps a visible history; delete asks first', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, bobHandle } = await pair(browser, hubA, hubB);
  await publish(alice, 'version one');
  await expect(postWithBody(bob, 'version one')).toHaveCount(1);

  await postWithBody(bob, 'version one').getByRole('button', { name: 'Repost' }).click();
  await expect(postWithBody(bob, 'version one').getByRole('button', { name: 'Reposted' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  const onAlice = postWithBody(alice, 'version one');
  await expect(onAlice.getByTestId('reposted-by')).toContainText(bobHandle);
  await expect(onAlice).toHaveCount(1);

  await onAlice.getByRole('button', { name: 'Edit' }).click();
  await alice.getByLabel('Edited post').fill('version two');
  await alice.getByRole('button', { name: 'Save edit' }).click();
  const edited = postWithBody(alice, 'version two');
  await expect(edited).toHaveCount(1);
  await expect(postWithBody(alice, 'version one')).toHaveCount(0);
  await expect(postWithBody(bob, 'version two')).toHaveCount(1);
  await edited.getByTestId('edited').click();
  const history = alice.getByRole('dialog', { name: 'Edit history' });
  await expect(history.getByTestId('history-version')).toHaveCount(2);
  await expect(history.getByTestId('history-version').first()).toContainText('version one');
  await history.getByRole('button', { name: 'Close' }).click();
  await expect(edited.getByTestId('edited')).toBeFocused();

  await edited.getByRole('button', { name: 'Delete' }).click();
  const confirm = alice.getByRole('dialog', { name: 'Delete this post?' });
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(edited).toHaveCount(1);
  await edited.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(postWithBody(alice, 'version two')).toHaveCount(0);
  await expect(postWithBody(bob, 'version two')).toHaveCount(0);
  await expect(timelinePosts(alice)).toHaveCount(0);
});
