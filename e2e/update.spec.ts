/**
 * "Update available": the hub starts serving a new build while the app is
 * open; the new service worker installs and waits, the prompt says so, and
 * Reload hands the page to the new worker (workbox-window, SKIP_WAITING).
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onboard, test, waitForServiceWorker } from './fixtures.ts';
import { startHubProcess } from './hubs.ts';

const BUILT_APP = join(import.meta.dirname, '..', 'dist', 'app');

test('a new version shows "Update available", and Reload switches to it', async ({ page }) => {
  const app = await mkdtemp(join(tmpdir(), 'murmur-app-'));
  await cp(BUILT_APP, app, { recursive: true });
  const hub = await startHubProcess('update', ['--app', app]);
  try {
    await onboard(page, hub, 'Alice', 'alice');
    await waitForServiceWorker(page);
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(firstWorker).toBeTruthy();
    await expect(page.getByRole('region', { name: 'Update available' })).toHaveCount(0);

    // A new build: the service worker's bytes change, so the browser installs it beside the running one.
    await appendFile(join(app, 'sw.js'), '\n// next version\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const prompt = page.getByRole('region', { name: 'Update available' });
    await expect(prompt).toBeVisible();
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())!.waiting))).toBe(
      true,
    );

    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByTestId('current-handle')).toHaveText(`alice@${hub.host}`);
    await expect(page.getByRole('region', { name: 'Update available' })).toHaveCount(0);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return (
            Boolean(navigator.serviceWorker.controller) &&
            !registration?.waiting &&
            registration?.active?.state === 'activated'
          );
        }),
      )
      .toBe(true);
  } finally {
    await hub.stop();
    await rm(app, { recursive: true, force: true });
  }
});
