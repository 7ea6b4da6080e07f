/**
 * For the hub benchmark (bench/hub.bench.ts): one scenario beside its
 * baseline in alternating rounds, as a rate row and a server-CPU-per-request
 * row, and each compared scenario's spread over its rounds for the notes.
 */
import { cpuMsOf } from '../../src/hub/testing/proc-stats.ts';
import { type Row, rowOf } from '../record.ts';
import type { LoadResult } from './load-client.ts';

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

export interface Side {
  readonly pid: number;
  run(): Promise<LoadResult>;
}

export interface Goals {
  /** The rate at least this times the baseline's. */
  readonly rate?: number;
  /** The server's CPU per request at most this times the baseline's. */
  readonly cpu?: number;
}

/** Each compared scenario's rates over its rounds (lowest-highest), for the notes: medians alone hide the noise. */
export const spreads: string[] = [];

const range = (values: number[]) => `${fmt(Math.min(...values))}-${fmt(Math.max(...values))}`;

/** Alternating rounds of baseline then scenario: a rate row and a server-CPU-per-request row. */
export async function compare(
  scenario: string,
  baseline: string,
  base: Side,
  hub: Side,
  goals: Goals = {},
): Promise<Row[]> {
  const measure = async (side: Side) => {
    const cpu = cpuMsOf(side.pid);
    const r = await side.run();
    return { rate: r.perSecond, cpuUs: ((cpuMsOf(side.pid) - cpu) * 1000) / r.requests };
  };
  await measure(base); // warm up both
  await measure(hub);
  const b: { rate: number; cpuUs: number }[] = [];
  const h: typeof b = [];
  for (let i = 0; i < ROUNDS; i++) {
    b.push(await measure(base));
    h.push(await measure(hub));
  }
  const name = scenario.split(' (')[0];
  spreads.push(
    `${name}: ${range(h.map((x) => x.rate))} req/s (baseline ${range(b.map((x) => x.rate))}), ` +
      `ratio ${range(h.map((x, i) => x.rate / b[i]!.rate))}`,
  );
  const rows: Row[] = [
    rowOf({
      scenario,
      unit: 'req/s',
      baseline,
      better: 'higher',
      rounds: h.map((x, i) => ({ value: x.rate, base: b[i]!.rate })),
      ...(goals.rate !== undefined && { goal: { text: `>= ${goals.rate}x`, met: (r) => r >= goals.rate! } }),
    }),
  ];
  if (h.every((x) => Number.isFinite(x.cpuUs))) {
    if (goals.cpu !== undefined)
      spreads.push(
        `${name}, CPU per request: ${range(h.map((x) => x.cpuUs))} µs (baseline ${range(b.map((x) => x.cpuUs))}), ` +
          `ratio ${range(h.map((x, i) => x.cpuUs / b[i]!.cpuUs))}`,
      );
    rows.push(
      rowOf({
        scenario: `${name}: server CPU per request`,
        unit: 'µs',
        baseline,
        better: 'lower',
        rounds: h.map((x, i) => ({ value: x.cpuUs, base: b[i]!.cpuUs })),
        ...(goals.cpu !== undefined && { goal: { text: `<= ${goals.cpu}x`, met: (r) => r <= goals.cpu! } }),
      }),
    );
  }
  return rows;
}
