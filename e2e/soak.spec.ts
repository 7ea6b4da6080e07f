/**
 * A short soak in every test run (`npm run soak` runs 20 clients for minutes):
 * three hub processes mirroring each other, 12 clients posting and following, hubs
 * SIGKILLed and restarted at random; every post ends up on every hub and in
 * every follower's timeline exactly once.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runSoak } from './soak.ts';

test("3 mirroring hubs killed at random, 12 clients: each post once on every hub and follower's timeline", async () => {
  const summary = await runSoak({
    main: join(import.meta.dirname, '..', 'dist', 'hub', 'main.js'),
    clients: 12,
    runMs: 15_000,
    minPosts: 101,
    log: (line) => console.log(line),
  });
  // The run proves something only if hubs were killed while posts were being made.
  expect(summary.kills).toBeGreaterThan(0);
  expect(summary.posts).toBeGreaterThan(100);
  expect(summary.checkedOnHubs).toBe(summary.posts * 3);
});
