/**
 * Prints how much of its timeout each test used, slowest first, so a run
 * shows its margin: a test near its timeout passes here and fails on a
 * slower machine. It judges nothing (the goal, under half, is read off it).
 */
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

interface Row {
  readonly title: string;
  readonly seconds: number;
  readonly share: number;
}

export default class MarginReporter implements Reporter {
  readonly #rows: Row[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'passed' || test.timeout <= 0) return;
    this.#rows.push({ title: `${test.location.file.split('/').pop()}:${test.location.line}`, seconds: result.duration / 1000, share: result.duration / test.timeout });
  }

  onEnd(_result: FullResult): void {
    if (this.#rows.length === 0) return;
    const rows = this.#rows.sort((a, b) => b.share - a.share);
    const line = (r: Row) => `${r.title} ${r.seconds.toFixed(1)} s, ${Math.round(r.share * 100)}% of its timeout`;
    console.log(`\nTimeout margin: the slowest passing test used ${line(rows[0]!)}`);
    for (const r of rows.slice(1, 5)) console.log(`  then ${line(r)}`);
  }

  printsToStdio(): boolean {
    return false;
  }
}
