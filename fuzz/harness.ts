/**
 * Runs one target: fast-check makes the inputs (random bytes, random JSON
 * text, mutations of the valid seeds, the seeds themselves) and the extra
 * choices; each input goes through the target and its outcome is judged:
 *
 *   - accepted, and the target's own checks (round trip, shape) hold: fine;
 *   - refused with one of the target's named errors: fine;
 *   - anything else (TypeError, RangeError, SyntaxError, a FuzzFailure, an
 *     error of another name), or a run over SLOW_MS: a failure, kept with
 *     its input so it can be added to regressions.json.
 *
 * The run goes on after a failure (a campaign counts them all); the first
 * few of each kind are kept.
 */
import fc from 'fast-check';
import { toHex } from '../src/protocol/bytes.ts';
import { stepsArb, mutate } from './mutate.ts';
import { NotForThisTarget, type Target } from './targets.ts';

/** A run slower than this is reported (a hang or a blow-up); generous, the machine is shared. */
export const SLOW_MS = 5_000;

export interface Outcome {
  readonly kind: 'accepted' | 'refused' | 'failure';
  /** The error's name (or 'ok'), for reports and regression vectors. */
  readonly name: string;
  readonly message?: string;
}

export interface FailureCase {
  readonly target: string;
  readonly hex: string;
  readonly aux: readonly number[];
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export interface Report {
  readonly target: string;
  runs: number;
  accepted: number;
  refused: number;
  failures: number;
  /** The first input of each distinct failure (by error name and message start). */
  readonly cases: FailureCase[];
  /** How often each refusal name came up. */
  readonly names: Record<string, number>;
  ms: number;
}

function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error)
    return { name: error.name, message: error.message, ...(error.stack && { stack: error.stack }) };
  return { name: typeof error, message: String(error) };
}

/** Runs `target` on one input and judges it. */
export async function judge(
  target: Target,
  input: Uint8Array,
  aux: readonly number[],
): Promise<Outcome & { stack?: string }> {
  const started = performance.now();
  let outcome: Outcome & { stack?: string };
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = target.run(input, aux);
    if (result instanceof Promise) {
      await Promise.race([
        result,
        new Promise(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error(`no answer within ${SLOW_MS * 4} ms (a hang)`)), SLOW_MS * 4)),
        ),
      ]).finally(() => clearTimeout(timer));
    }
    outcome = { kind: 'accepted', name: 'ok' };
  } catch (error) {
    const { name, message, stack } = describeError(error);
    outcome =
      target.named(error) || error instanceof NotForThisTarget
        ? { kind: 'refused', name, message }
        : { kind: 'failure', name, message, ...(stack && { stack }) };
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS && outcome.kind !== 'failure')
    return { kind: 'failure', name: 'Slow', message: `took ${Math.round(ms)} ms` };
  return outcome;
}

/** Inputs for `seeds`: mostly mutated seeds, some raw bytes and random JSON, some seeds as they are. */
export function inputArb(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const encoder = new TextEncoder();
  const pick = fc.nat().map((i) => seeds[i % seeds.length]!);
  return fc.oneof(
    { weight: 12, arbitrary: fc.tuple(pick, stepsArb()).map(([seed, steps]) => mutate(seed, steps, seeds)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((t) => encoder.encode(t)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((t) => encoder.encode(t)) },
    { weight: 1, arbitrary: pick },
  );
}

export interface RunOptions {
  readonly runs: number;
  readonly seed: number;
  /** Called every `every` runs with the report so far (progress for long runs). */
  readonly progress?: (report: Report) => void;
  readonly every?: number;
  /** Keep at most this many distinct failure cases. */
  readonly keep?: number;
}

export async function fuzzTarget(target: Target, options: RunOptions): Promise<Report> {
  const seeds = await target.seeds();
  const report: Report = {
    target: target.name,
    runs: 0,
    accepted: 0,
    refused: 0,
    failures: 0,
    cases: [],
    names: {},
    ms: 0,
  };
  const seen = new Set<string>();
  const started = performance.now();
  const every = options.every ?? 100_000;
  const property = fc.asyncProperty(
    inputArb(seeds),
    fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    async (input, aux) => {
      const outcome = await judge(target, input, aux);
      report.runs++;
      if (outcome.kind === 'accepted') report.accepted++;
      else if (outcome.kind === 'refused') report.refused++;
      else {
        report.failures++;
        const key = `${outcome.name}: ${(outcome.message ?? '').slice(0, 60)}`;
        if (!seen.has(key) && report.cases.length < (options.keep ?? 20)) {
          seen.add(key);
          report.cases.push({
            target: target.name,
            hex: toHex(input),
            aux,
            name: outcome.name,
            message: outcome.message ?? '',
            ...(outcome.stack && { stack: outcome.stack }),
          });
        }
      }
      report.names[outcome.name] = (report.names[outcome.name] ?? 0) + 1;
      if (options.progress && report.runs % every === 0) {
        report.ms = performance.now() - started;
        options.progress(report);
      }
      return true; // a campaign counts every failure instead of stopping at the first
    },
  );
  await fc.assert(property, { numRuns: options.runs, seed: options.seed, endOnFailure: true });
  report.ms = performance.now() - started;
  return report;
}
