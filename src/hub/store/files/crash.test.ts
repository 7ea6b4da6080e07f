/**
 * A short run of the crash test (scripts/crash-hub.mjs runs it for as many
 * cycles as asked): the built hub, SIGKILLed under concurrent writers five
 * times, keeps every acknowledged blob, head, claim and notice; and again
 * under many writers at once, so that the kill lands while batches of writes
 * sharing one fsync (group commit) are in flight.
 *
 * A kill leaves the kernel's page cache intact, so this proves acknowledging only after the writes were made,
 * and recovery from a process dying at any point; it would pass with every fsync removed, and says nothing of
 * power loss: power-cut.test.ts does (ARCHITECTURE.md, "What the crash tests prove, and what they do not").
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCrashCycles } from '../../testing/crash-run.ts';
import { type BuiltHub, buildHub } from '../../testing/hub-build.ts';

let built: BuiltHub;
beforeAll(async () => {
  built = await buildHub();
});
afterAll(() => built.remove());

test('five SIGKILLs under concurrent writers lose nothing acknowledged', async () => {
  const summary = await runCrashCycles({ main: built.main, cycles: 5, writers: 6, minRunMs: 100, maxRunMs: 400 });
  expect(summary.cycles).toBe(5);
  // The run proves something only if the hub acknowledged writes of every kind before being killed.
  expect(summary.writes).toBeGreaterThan(20);
  expect(summary.acknowledged).toMatchObject({
    blobs: expect.any(Number),
    claims: expect.any(Number),
    notices: expect.any(Number),
  });
  for (const n of Object.values(summary.acknowledged)) expect(n).toBeGreaterThan(0);
  expect(summary.blobFilesChecked).toBeGreaterThanOrEqual(summary.acknowledged.blobs);
});

test('SIGKILLs under 32 concurrent writers, whose writes share fsyncs, lose nothing acknowledged', async () => {
  const writers = 32;
  const summary = await runCrashCycles({ main: built.main, cycles: 3, writers, minRunMs: 100, maxRunMs: 400 });
  expect(summary.cycles).toBe(3);
  // More acknowledged writes than writers per cycle: each writer had several answered while the others were in flight.
  expect(summary.writes).toBeGreaterThan(3 * writers);
  for (const n of Object.values(summary.acknowledged)) expect(n).toBeGreaterThan(0);
  expect(summary.blobFilesChecked).toBeGreaterThanOrEqual(summary.acknowledged.blobs);
});
