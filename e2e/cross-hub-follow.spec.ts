import { aliceAndBob, expect, followHandle, postWithBody, publish, test } from './fixtures.ts';

test('alice on hub A follows bob on hub B and sees his post arrive live, verified', async ({ browser, hubA, hubB }) => {
  const { alice, bob, bobHandle } = await aliceAndBob(browser, hubA, hubB);
  await followHandle(alice, bobHandle);

  await publish(bob, 'hello from hub B');

  const arrived = postWithBody(alice, 'hello from hub B');
  await expect(arrived).toHaveCount(1); // live: no reload on alice's side
  await expect(arrived.getByTestId('post-author')).toHaveText(bobHandle);
  await expect(arrived.getByTestId('verified')).toBeVisible();
  await expect(arrived.getByTestId('queued')).toHaveCount(0);
});
