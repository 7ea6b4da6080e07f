import { defineConfig } from '@playwright/test';

// Debian's Chromium (Playwright cannot download browsers here); see TOOLCHAIN.md.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // Bounds, not guesses: every wait is for a condition, and these only say when to give up on it. They are
  // generous so that a slower or busier machine than ours passes (the suite must pass with two busy loops
  // beside it); the margin-reporter prints how much of its timeout each test used (goal: under half).
  timeout: 180_000,
  expect: { timeout: 45_000 },
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['./e2e/margin-reporter.ts']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
  },
});
