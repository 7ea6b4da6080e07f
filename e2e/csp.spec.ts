/**
 * The Content-Security-Policy the hub serves the app with (src/hub/http/static.ts):
 * the app itself runs under it without a single violation, and markup that
 * reached the DOM anyway (an inline script, an event handler, a javascript:
 * URL) does not run.
 */
import { expect, onboard, postWithBody, publish, test } from './fixtures.ts';

test('the app runs under its Content-Security-Policy with no violation, and injected inline code does not run', async ({
  browser,
  hubA,
}) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const response = await page.goto(hubA.url);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await onboard(page, hubA, 'Alice', 'alice');
  await publish(page, 'hello under a policy');
  await page.getByTestId('image-input').setInputFiles('public/icons/icon-512.png');
  await expect(page.getByTestId('attached-image')).toHaveCount(1);
  await page.getByLabel('New post').fill('a picture under a policy');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(postWithBody(page, 'a picture under a policy').getByTestId('post-image')).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);

  // As if a rendering bug had let markup through: none of it runs.
  await page.evaluate(() => {
    const host = document.createElement('div');
    host.innerHTML =
      '<img src="data:," onerror="window.ranHandler = 1"><a id="js-link" href="javascript:window.ranLink = 1">x</a>';
    document.body.append(host);
    const script = document.createElement('script');
    script.textContent = 'window.ranScript = 1';
    document.body.append(script);
  });
  await page.locator('#js-link').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations.length))
    .toBeGreaterThanOrEqual(3);
  expect(
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return [w.ranHandler, w.ranLink, w.ranScript];
    }),
  ).toEqual([undefined, undefined, undefined]);
});
