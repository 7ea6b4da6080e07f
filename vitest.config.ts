import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'workers/**/*.test.ts',
      'fuzz/**/*.test.ts',
      'e2e/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    environment: 'node',
    // A bound for tests that hang, not a guess at their speed:
    // generous so a busy machine passes (see playwright.config.ts).
    testTimeout: 60_000,
    // Names a folder for the run's shared S3 service and builds (src/hub/testing/vite-build.ts), and stops that
    // service at the end; starts nothing itself.
    globalSetup: ['src/hub/testing/s3-global-setup.ts'],
  },
});
