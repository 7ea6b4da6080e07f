/**
 * Moving hubs in Chromium against real hub processes: Alice on hub A moves to hub C from Settings in one
 * action, watching its steps; Bob on hub B, who followed her as alice@A, keeps receiving her posts (now only
 * on C) without doing anything.
 */
import { postsOnHub, resolveHandle } from './hub-inspect.ts';
import { aliceAndBob, expect, followHandle, postWithBody, publish, test } from './fixtures.ts';
import { startHubProcess } from './hubs.ts';

test('settings: Alice moves to hub C; Bob, who followed her on A, keeps receiving her posts', async ({
  browser,
  hubA,
  hubB,
}) => {
  const hubC = await startHubProcess('c');
  try {
    const { alice, bob, aliceHandle } = await aliceAndBob(browser, hubA, hubB);
    const aliceId = await resolveHandle(hubA.url, aliceHandle);
    await publish(alice, 'before the move');
    await followHandle(bob, aliceHandle);
    await expect(postWithBody(bob, 'before the move')).toBeVisible();

    await alice.getByRole('link', { name: 'Settings' }).click();
    await alice.getByLabel('Make my home the hub at').fill(hubC.url);
    await alice.getByRole('button', { name: 'Move', exact: true }).click();
    const status = alice.getByTestId('move-hub-status');
    await expect(status).toHaveText(
      `Moved to ${hubC.url}. Your handle is now alice@${hubC.host}. ${hubA.url} points your followers here: ` +
        'they keep receiving your posts.',
    );
    await expect(alice.getByTestId('current-handle')).toHaveText(`alice@${hubC.host}`);
    await expect(alice.getByTestId('hub-list')).toContainText(`${hubC.url} (home)`);
    expect(await resolveHandle(hubC.url, `alice@${hubC.host}`)).toBe(aliceId);
    expect((await postsOnHub(hubC.url, aliceId)).map((p) => p.body)).toContain('before the move');

    await alice.getByRole('link', { name: 'Home' }).click();
    await publish(alice, 'after the move');
    await expect.poll(async () => (await postsOnHub(hubC.url, aliceId)).map((p) => p.body)).toContain('after the move');
    expect((await postsOnHub(hubA.url, aliceId)).map((p) => p.body)).not.toContain('after the move');
    // Bob's page was left as it was: the pointer on A sent his device to C by itself.
    await expect(postWithBody(bob, 'after the move')).toBeVisible();
  } finally {
    await hubC.stop();
  }
});
