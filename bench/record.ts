/**
 * Measurement helpers and the result record. Every scenario is measured beside
 * its baseline in the same process, alternating rounds so that machine noise
 * hits both, and reported as medians and the median ratio.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  readonly scenario: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineValue: number;
  /**
   * value / baselineValue for rates; baselineValue / value would hide direction, so `better` says which way is good.
   */
  readonly ratio: number;
  readonly better: 'higher' | 'lower';
  readonly goal?: string;
  readonly met?: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `rounds` alternating rounds of (baseline, scenario); each returns a value. */
export async function paired(
  rounds: number,
  baseline: () => Promise<number>,
  scenario: () => Promise<number>,
): Promise<{ base: number; value: number; ratio: number }> {
  const bases: number[] = [];
  const values: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const b = await baseline();
    const v = await scenario();
    bases.push(b);
    values.push(v);
    ratios.push(v / b);
  }
  return { base: median(bases), value: median(values), ratio: median(ratios) };
}

export function writeSection(name: string, title: string, command: string, rows: readonly Row[], notes = ''): void {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify({ title, command, rows, notes, at: new Date().toISOString() }, null, 2),
  );
}
