import type { FullResult, TestCase, TestResult } from '@playwright/test/reporter';
import { expect, test, vi } from 'vitest';
import MarginReporter from './margin-reporter.ts';

function run(durations: readonly number[], timeout = 180_000): ReturnType<MarginReporter['onEnd']> {
  const reporter = new MarginReporter();
  durations.forEach((duration, line) => {
    const testCase = { timeout, location: { file: '/e2e/some.spec.ts', line, column: 1 } } as unknown as TestCase;
    reporter.onTestEnd(testCase, { status: 'passed', duration } as TestResult);
  });
  return reporter.onEnd({ status: 'passed' } as FullResult);
}

test('a run fails when a passing test used more than half of its timeout, and passes otherwise', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  expect(await run([10_000, 89_000, 90_000])).toBeUndefined();
  expect(await run([10_000, 90_001])).toEqual({ status: 'failed' });
  expect(log.mock.calls.flat().join('\n')).toContain('TimeoutMargin: 1 test(s) used more than 50% of their timeout');
  log.mockRestore();
});
