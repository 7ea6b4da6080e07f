/**
 * The followers audience in real Chromium against real hubs: Bob and Carol,
 * on another hub, follow Alice; their follows reach her inbox, and Settings
 * lists them waiting. She approves Bob only: her "My approved followers"
 * post, with a picture, is read by Bob (the picture opened with the post's
 * key) and not by Carol, and the hubs' stored bytes hold no plaintext of it.
 */
import AxeBuilder from './axe.ts';
import { hubHolds } from '../src/hub/testing/hub-files.ts';
import { expect, followHandle, onboard, postWithBody, publish, test } from './fixtures.ts';

test('followers only: the approved one on another hub reads it, one waiting does not; no plaintext on hubs', async ({
  browser,
  hubA,
  hubB,
}) => {
  const page = async () => (await browser.newContext()).newPage();
  const [alice, bob, carol] = [await page(), await page(), await page()];
  const aliceHandle = await onboard(alice, hubA, 'Alice', 'alice');
  await onboard(bob, hubB, 'Bob', 'bob');
  await onboard(carol, hubB, 'Carol', 'carol');
  for (const who of [bob, carol]) {
    await followHandle(who, aliceHandle);
    await who.keyboard.press('Escape');
  }

  // Their follows reach Alice's inbox; her device fetches their feeds from hub B (their notices say where).
  await alice.getByRole('link', { name: 'Settings' }).click();
  const section = alice.getByTestId('followers-section');
  await expect(section.getByTestId('follower')).toHaveCount(2, { timeout: 60_000 });
  await expect(section.getByRole('button', { name: /^Approve Bob/ })).toBeEnabled();
  await expect(section.getByRole('button', { name: /^Approve Carol/ })).toBeEnabled();
  await section.getByRole('button', { name: /^Approve Bob/ }).click();
  await expect(section.getByRole('button', { name: /^Take off Bob/ })).toBeVisible();
  await expect(section.getByRole('status')).toContainText('can read your followers-only posts from now on');
  expect(await new AxeBuilder(alice).seriousViolations(), 'Settings with followers').toEqual([]);

  await alice.getByRole('link', { name: 'Home' }).click();
  await alice.getByLabel('Who can read this').selectOption({ label: 'My approved followers' });
  await expect(alice.getByTestId('audience-followers')).toContainText('1 approved follower will read it.');
  await expect(alice.getByTestId('audience-followers')).toContainText('1 waiting for approval.');
  const body = 'for my approved followers only';
  await alice.getByTestId('image-input').setInputFiles('public/icons/icon-512.png');
  await expect(alice.getByTestId('attached-image')).toHaveCount(1);
  await publish(alice, body);
  await expect(postWithBody(alice, body).getByTestId('post-audience')).toHaveText('For: Followers');
  await alice.getByLabel('Who can read this').selectOption({ label: 'Public' });
  await publish(alice, 'a public post after it');
  await expect(alice.getByTestId('sync-status')).toHaveText('Synced');

  const atBob = postWithBody(bob, body);
  await expect(atBob).toHaveCount(1);
  await expect(atBob.getByTestId('post-audience')).toHaveText('For: Followers');
  // The picture came sealed; Bob's worker opened it with the post's key, and the browser decoded it.
  const picture = atBob.getByTestId('post-image');
  await expect(picture).toBeVisible();
  await expect
    .poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(postWithBody(carol, 'a public post after it')).toHaveCount(1); // Carol read past it...
  await expect(postWithBody(carol, body)).toHaveCount(0); // ...and it is not hers to read
  await carol.reload();
  await expect(postWithBody(carol, 'a public post after it')).toHaveCount(1);
  await expect(carol.getByText(body)).toHaveCount(0);

  expect(await hubHolds(hubA.dataDir, 'a public post after it')).toBe(true); // the search can say yes
  expect(await hubHolds(hubA.dataDir, body)).toBe(false);
  expect(await hubHolds(hubB.dataDir, body)).toBe(false);
});
