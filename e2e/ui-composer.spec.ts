import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

test('composer: live count to 4096, #tags from text and field, images resized on device, offline sends queue', async ({
  browser,
  hubA,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await onboard(page, hubA, 'Alice', 'alice');
  const box = page.getByLabel('New post');
  const count = page.getByTestId('char-count');
  const post = page.getByRole('button', { name: 'Post', exact: true });

  await box.fill('héllo 👋');
  await expect(count).toContainText('7 / 4,096'); // code points, not UTF-16 units
  await box.fill('x'.repeat(4097));
  await expect(count).toContainText('1 over the limit');
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  await expect(post).toBeDisabled();

  await box.fill('Tagged #Music post');
  await page.getByLabel('Tags').fill('rust, #web');
  await expect(page.getByTestId('composer-tags')).toHaveText('#music #rust #web');
  await page.getByTestId('image-input').setInputFiles('public/icons/icon-512.png');
  await expect(page.getByTestId('attached-image')).toHaveCount(1);
  // Resized and re-encoded on the device before posting.
  // (Read from the preview's attribute: the app's Content-Security-Policy lets no script fetch its blob: URL.)
  const type = await page.getByTestId('attached-image').getAttribute('data-type');
  expect(['image/webp', 'image/jpeg']).toContain(type);
  await post.click();
  const sent = postWithBody(page, 'Tagged #Music post');
  await expect(sent.getByRole('list', { name: 'Tags' })).toContainText('#music');
  await expect(sent.getByRole('list', { name: 'Tags' })).toContainText('#web');
  await expect(sent.getByTestId('post-image')).toBeVisible();

  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toContainText('Offline');
  await publish(page, 'written offline');
  await expect(postWithBody(page, 'written offline').getByTestId('queued')).toHaveText('Queued');
  await expect(page.getByTestId('sync-status')).toContainText('1 queued');
  await context.setOffline(false);
  await expect(page.getByTestId('sync-status')).toHaveText('Synced');
  await expect(postWithBody(page, 'written offline').getByTestId('queued')).toHaveCount(0);
});

test('the "New post" app shortcut opens home with the composer focused', async ({ page, hubA }) => {
  await onboard(page, hubA, 'Alice', 'alice');
  await page.goto(`${hubA.url}/#/new`);
  await expect(page.getByLabel('New post')).toBeFocused();
  const manifest = await (await page.request.get(`${hubA.url}/manifest.webmanifest`)).json();
  expect(manifest.shortcuts.map((s: { name: string }) => s.name)).toContain('New post');
  const maskable = manifest.icons
    .filter((i: { purpose?: string }) => i.purpose === 'maskable')
    .map((i: { sizes: string }) => i.sizes);
  expect(maskable).toEqual(['192x192', '512x512']);
});
