import { expect, onboard, publish, test } from './fixtures.ts';

test('post bodies render safe markdown; hostile markup stays literal text and nothing executes', async ({
  page,
  hubA,
}) => {
  await onboard(page, hubA, 'Alice', 'alice');
  const hostile = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned = \'img\'">',
    '[click me](javascript:window.__pwned=1) javascript:alert(1)',
    '<a href="javascript:alert(1)">x</a> <iframe src="https://example.com"></iframe>',
  ].join('\n');
  await publish(page, hostile);
  await publish(page, '**bold** and *em* and `code`\nsecond line\n\nsee https://example.com/path.');

  const list = page.getByRole('list', { name: 'Timeline' });
  const bodies = list.getByTestId('post-body');
  await expect(bodies).toHaveCount(2);
  const evil = bodies.nth(1);
  await expect(evil).toContainText('<script>window.__pwned = "script"</script>');
  await expect(evil).toContainText('<img src=x onerror=');
  await expect(evil).toContainText('[click me](javascript:window.__pwned=1)');
  await expect(list.locator('script, img[onerror], iframe, a[href^="javascript"]')).toHaveCount(0);
  await expect(list.getByTestId('post-body').locator('img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();

  const good = bodies.nth(0);
  await expect(good.locator('strong')).toHaveText('bold');
  await expect(good.locator('em')).toHaveText('em');
  await expect(good.locator('code')).toHaveText('code');
  await expect(good.locator('br')).toHaveCount(1);
  await expect(good.locator('p')).toHaveCount(2);
  const link = good.getByRole('link', { name: 'https://example.com/path' });
  await expect(link).toHaveAttribute('href', 'https://example.com/path');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  await expect(link).toHaveAttribute('target', '_blank');
});
