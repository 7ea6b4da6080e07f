import { aliceAndBob, expect, followHandle, postWithBody, publish, test, waitForServiceWorker } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';

test('posts made offline survive an offline reload, then reach the hub once and a follower on another hub', async ({
  browser,
  hubA,
  hubB,
}) => {
  const { alice, bob, aliceHandle } = await aliceAndBob(browser, hubA, hubB);
  const aliceContext = alice.context();
  await followHandle(bob, aliceHandle);
  await waitForServiceWorker(alice);
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  await aliceContext.setOffline(true);
  await expect(alice.getByTestId('sync-status')).toContainText('Offline');
  await publish(alice, 'first, offline');
  await publish(alice, 'second, offline');
  await expect(alice.getByTestId('sync-status')).toContainText('2 queued');

  await alice.reload(); // still offline: the service worker starts the app
  for (const body of ['first, offline', 'second, offline']) {
    await expect(postWithBody(alice, body).getByTestId('queued')).toHaveText('Queued');
  }
  await expect(alice.getByTestId('sync-status')).toContainText('2 queued');

  const aliceId = await resolveHandle(hubA.url, aliceHandle);
  expect((await postsOnHub(hubA.url, aliceId)).map((p) => p.body)).toEqual([]);

  await aliceContext.setOffline(false);
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');
  for (const body of ['first, offline', 'second, offline']) {
    await expect(postWithBody(alice, body).getByTestId('queued')).toHaveCount(0);
  }

  const onHub = (await postsOnHub(hubA.url, aliceId)).map((p) => p.body).sort();
  expect(onHub).toEqual(['first, offline', 'second, offline']);

  await expect(postWithBody(bob, 'first, offline')).toHaveCount(1);
  await expect(postWithBody(bob, 'second, offline')).toHaveCount(1);
});
