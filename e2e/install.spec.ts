import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import AxeBuilder from './axe.ts';
import { expect, onboard, test, waitForServiceWorker } from './fixtures.ts';

test('the app is installable and controlled by its service worker', async ({ hubA, browserName }, testInfo) => {
  expect(browserName).toBe('chromium');
  // Installability needs a profile on disk: Chromium reports `in-incognito` for the default, throwaway contexts.
  const profile = await mkdtemp(join(tmpdir(), 'murmur-profile-'));
  const context = await chromium.launchPersistentContext(profile, testInfo.project.use.launchOptions ?? {});
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(hubA.url);
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await (await page.request.get(`${hubA.url}/manifest.webmanifest`)).json();
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.some((icon: { purpose?: string }) => icon.purpose === 'maskable')).toBe(true);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('onboarding and the timeline have no serious accessibility violations', async ({ page, hubA }) => {
  await page.goto(hubA.url);
  await expect(page.getByRole('button', { name: 'Create pseudonym' })).toBeVisible();
  expect(await new AxeBuilder(page).seriousViolations()).toEqual([]);
  await onboard(page, hubA, 'Alice', 'alice');
  await expect(page.getByRole('list', { name: 'Timeline' })).toBeAttached();
  expect(await new AxeBuilder(page).seriousViolations()).toEqual([]);
});
