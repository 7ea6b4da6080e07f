import { defineConfig } from 'vitest/config';

// Benchmarks run through Vitest only because it runs TypeScript directly;
// each file measures scenarios beside baselines and records ratios (see record.ts).
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['bench/**/*.bench.ts'],
    testTimeout: 1_200_000, // seeding 10,000 signed commits and 100,000 posts takes minutes on a busy 2-core machine
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
