/**
 * The fixture's own promise: a context a test opens is closed when the test ends, so no app page of one test
 * keeps running (syncing, retrying, rendering) beside the next test of the same worker.
 */
import { expect, test } from './fixtures.ts';

// In order, in one worker: the second test sees the browser the first one left.
test.describe.configure({ mode: 'serial' });

test('a test opens a context of its own and leaves it open', async ({ browser }) => {
  const context = await browser.newContext();
  await context.newPage();
  expect(browser.contexts()).toContain(context);
});

test('the next test of the worker starts with no context left from it', async ({ browser }) => {
  expect(browser.contexts()).toEqual([]);
});
