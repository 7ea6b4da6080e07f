/**
 * A hub that is down is not the device being offline: with the browser
 * online and the home hub stopped, the badge names the hub and says the
 * posts wait for it, the composer says the same of the post just made, and
 * when the hub is back the posts go out, once each.
 */
import { expect, onboard, publish, test } from './fixtures.ts';
import { postsOnHub, resolveHandle } from './hub-inspect.ts';

test('with the home hub down, the badge and composer name it and say posts wait; back up, they go out once', async ({
  page,
  hubA,
}) => {
  const handle = await onboard(page, hubA, 'Alice', 'alice');
  const me = await resolveHandle(hubA.url, handle);
  const badge = page.getByTestId('sync-status');
  await expect(badge).toHaveText('Synced');

  await hubA.halt();
  await publish(page, 'written while the hub is down');
  await publish(page, 'and another');
  await expect(badge).toHaveText(`${hubA.host} unreachable · 2 waiting for it`);
  await expect(badge).toHaveAttribute(
    'title',
    `Cannot reach ${hubA.host}. 2 posts wait for it and will go out when it answers.`,
  );
  await expect(page.locator('.composer-note')).toHaveText(`Saved; it goes out when ${hubA.host} answers`);

  await hubA.resume();
  // a retry is already scheduled; this only hurries it
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(badge).toHaveText('Synced');
  // "Posted", or already stepped aside (a passing note, ui-polish.spec.ts): no longer "Saved; ...".
  await expect(page.locator('.composer-note')).toHaveText(/^(Posted)?$/);
  const bodies = (await postsOnHub(hubA.url, me)).map((p) => p.body).sort();
  expect(bodies).toEqual(['and another', 'written while the hub is down']);
});
