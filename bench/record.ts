/**
 * Measurement helpers and the result record. Every scenario is measured beside
 * its baseline in the same process, alternating rounds so that machine noise
 * hits both, and reported as medians and the median ratio.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
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
  /** Lowest and highest over the rounds (report.mjs prints them beside each median). */
  readonly spread?: {
    readonly value: readonly [number, number];
    readonly baseline: readonly [number, number];
    readonly ratio: readonly [number, number];
  };
}

const lowHigh = (values: readonly number[]) => [Math.min(...values), Math.max(...values)] as const;

/**
 * A row from rounds of (scenario, baseline) measured in the same run: the
 * medians, the median of the per-round ratios, the spread of each, and the
 * goal read on the median ratio (`goal.met`) when there is one.
 */
export function rowOf(o: {
  scenario: string;
  unit: string;
  baseline: string;
  better: 'higher' | 'lower';
  rounds: readonly { readonly value: number; readonly base: number }[];
  goal?: { readonly text: string; readonly met: (ratio: number, value: number) => boolean };
}): Row {
  if (o.rounds.length === 0) throw new RangeError(`no rounds for ${o.scenario}`);
  const ratios = o.rounds.map((r) => r.value / r.base);
  const value = median(o.rounds.map((r) => r.value));
  const ratio = median(ratios);
  return {
    scenario: o.scenario,
    value,
    unit: o.unit,
    baseline: o.baseline,
    baselineValue: median(o.rounds.map((r) => r.base)),
    ratio,
    better: o.better,
    ...(o.goal && { goal: o.goal.text, met: o.goal.met(ratio, value) }),
    spread: {
      value: lowHigh(o.rounds.map((r) => r.value)),
      baseline: lowHigh(o.rounds.map((r) => r.base)),
      ratio: lowHigh(ratios),
    },
  };
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

const NOISY = ': other work shared the machine, so the figures are noisier than those of a quiet run';

/**
 * Records a section for report.mjs. The command shown is `command` with every BENCH_* setting of this run
 * before it, so the section names the run it reports (a run with BENCH_UI_ROUNDS=5 says so, and its notes'
 * "5 rounds" match the command shown). They go on the command that runs the bench, after the last `&&`. Its
 * notes end with the machine's load when it was recorded: on shared machines other work runs beside a bench,
 * and a reader should know how much.
 */
export function writeSection(name: string, title: string, command: string, rows: readonly Row[], notes = ''): void {
  const [one, five] = loadavg();
  const load =
    `Load average when recorded: ${one!.toFixed(1)} (1 min), ${five!.toFixed(1)} (5 min) on ${cpus().length} ` +
    `cores${one! > cpus().length ? NOISY : ''}.`;
  notes = notes ? `${notes} ${load}` : load;
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  // The settings go on the command that runs the bench: after the last `&&` (before it, `npm run build`).
  const last = command.lastIndexOf('&& ');
  const at = last < 0 ? 0 : last + 3;
  const shown = `${command.slice(0, at)}${benchSettings(process.env)}${command.slice(at)}`;
  writeFileSync(
    join(dir, `${name}.json`),
    JSON.stringify({ title, command: shown, rows, notes, at: new Date().toISOString() }, null, 2),
  );
}

/** The BENCH_* settings of `env` as a command line's prefix ("BENCH_A=1 BENCH_B=2 "), sorted; "" when none. */
export function benchSettings(env: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(env)
    .filter(([k, v]) => k.startsWith('BENCH_') && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v} `)
    .join('');
}
