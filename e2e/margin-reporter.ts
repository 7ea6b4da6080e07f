/**
 * Prints how much of its timeout each test used, slowest first, so a run
 * shows its margin: a test near its timeout passes here and fails on a
 * slower machine. A run where any test used more than half of its timeout
 * fails (issue 14's goal), so every green CI run shows the margin held there.
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** The share of its timeout a passing test may use before the run fails. */
export const MAX_SHARE = 0.5;

interface Row {
  readonly title: string;
  readonly seconds: number;
  readonly share: number;
}

export default class MarginReporter implements Reporter {
  readonly #rows: Row[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'passed' || test.timeout <= 0) return;
    this.#rows.push({
      title: `${test.location.file.split('/').pop()}:${test.location.line}`,
      seconds: result.duration / 1000,
      share: result.duration / test.timeout,
    });
  }

  async onEnd(_result: FullResult): Promise<{ status: FullResult['status'] } | undefined> {
    if (this.#rows.length === 0) return undefined;
    const rows = this.#rows.sort((a, b) => b.share - a.share);
    const line = (r: Row) => `${r.title} ${r.seconds.toFixed(1)} s, ${Math.round(r.share * 100)}% of its timeout`;
    console.log(`\nTimeout margin: the slowest passing test used ${line(rows[0]!)}`);
    for (const r of rows.slice(1, 5)) console.log(`  then ${line(r)}`);
    const over = rows.filter((r) => r.share > MAX_SHARE);
    if (over.length === 0) return undefined;
    console.log(
      `\nTimeoutMargin: ${over.length} test(s) used more than ${MAX_SHARE * 100}% of their timeout; a slower ` +
        `machine fails them:`,
    );
    for (const r of over) console.log(`  ${line(r)}`);
    return { status: 'failed' };
  }

  printsToStdio(): boolean {
    return false;
  }
}
