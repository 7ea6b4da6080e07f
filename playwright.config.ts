import { defineConfig } from '@playwright/test';

// Debian's Chromium (Playwright cannot download browsers here); see TOOLCHAIN.md.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // Bounds, not guesses: every wait is for a condition, and these only say when to give up on it. They are
  // generous so that a slower or busier machine than ours passes (the suite must pass with two busy loops
  // beside it); the margin-reporter prints how much of its timeout each test used and fails a run past half.
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
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    // DOM snapshots and sources are kept for a failure, but no screencast: recording every page's frames made
    // the 8-tab test take 22 s instead of 14 here (and over 180 s on the slower CI machine), most of what
    // looked like the app's cost of many tabs (bench/tabs.bench.ts measures the app alone).
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
  },
  // The soak runs alone after every other test: it times hubs killed and restarted and clients catching up, and on
  // a busy machine sharing two cores with the other worker's Chromium it took 127 s (70% of its timeout) where it
  // takes 33 s alone. Its work and timeout are unchanged; only what runs beside it is. (Alone: --no-deps.)
  projects: [
    { name: 'app', testIgnore: 'soak.spec.ts' },
    { name: 'soak', testMatch: 'soak.spec.ts', dependencies: ['app'] },
  ],
});
