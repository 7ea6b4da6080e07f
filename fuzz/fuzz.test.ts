/**
 * Fuzzing every decoder that takes bytes from the network or a file
 * (docs/fuzzing.md). In CI a short seeded run per target (FUZZ_RUNS, default
 * 300) and a replay of every vector in regressions.json; `npm run fuzz`
 * runs the same file with a million inputs per target.
 *
 *   FUZZ_RUNS=1000000        inputs per target
 *   FUZZ_TARGETS=commit,dm   only these targets
 *   FUZZ_SEED=42             fast-check's seed (default fixed, so CI is repeatable)
 *   FUZZ_PROGRESS=10000      a progress line every this many inputs (default 100,000)
 *
 * The backup target runs with scrypt replaced by a cheap HKDF stand-in (a
 * real derivation costs a tenth of a second; the container checks and the
 * AEAD around it are what is fuzzed).
 */
import { describe, expect, test, vi } from 'vitest';
import { fromHex } from '../src/protocol/bytes.ts';
import { fuzzTarget, judge } from './harness.ts';
import regressions from './regressions.json' with { type: 'json' };
import { HUB_STORE_TARGETS } from './hub-store-targets.ts';
import { TARGETS as DECODER_TARGETS } from './targets.ts';

const TARGETS = [...DECODER_TARGETS, ...HUB_STORE_TARGETS];

vi.mock('../workers/keys/passphrase.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../workers/keys/passphrase.ts')>();
  const { hkdf } = await import('@noble/hashes/hkdf.js');
  const { sha256 } = await import('@noble/hashes/sha2.js');
  const utf8 = (t: string) => new TextEncoder().encode(t);
  return {
    ...original,
    async derivePassphraseKeys(
      passphrase: string,
      salt: Uint8Array,
      params: { N: number; r: number; p: number },
      purpose: string,
    ) {
      const master = hkdf(
        sha256,
        utf8(passphrase.normalize('NFKC')),
        salt,
        utf8(`fuzz ${params.N} ${params.r} ${params.p}`),
        32,
      );
      return {
        key: hkdf(sha256, master, undefined, utf8(`murmur ${purpose} v1 key`), 32),
        check: hkdf(sha256, master, undefined, utf8(`murmur ${purpose} v1 check`), 16),
      };
    },
  };
});

interface RegressionVector {
  readonly target: string;
  readonly comment: string;
  readonly hex: string;
  readonly aux: number[];
  /** The outcome's name now: a named error, or ok. */
  readonly expect: string;
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
/** Print a progress line every this many inputs (long runs). */
const PROGRESS = Number(process.env.FUZZ_PROGRESS ?? 100_000);
const ONLY = process.env.FUZZ_TARGETS?.split(',').filter(Boolean);
const selected = TARGETS.filter((t) => !ONLY || ONLY.includes(t.name));

describe('fuzz: every decoder returns a value or throws a named error', () => {
  test('FUZZ_TARGETS names known targets', () => {
    expect(ONLY?.filter((name) => !TARGETS.some((t) => t.name === name)) ?? []).toEqual([]);
  });

  for (const target of selected) {
    // A bound for a hang: about 50 ms an input on a busy machine, at least a minute.
    test(target.name, { timeout: Math.max(60_000, RUNS * 50) }, async () => {
      const print = (r: Awaited<ReturnType<typeof fuzzTarget>>) =>
        console.log(
          `fuzz ${r.target}: ${r.runs} runs in ${(r.ms / 1000).toFixed(1)} s, ${r.accepted} accepted, ${r.refused} ` +
            `refused, ${r.failures} failures ${JSON.stringify(r.names)}`,
        );
      const report = await fuzzTarget(target, { runs: RUNS, seed: SEED, progress: print, every: PROGRESS });
      // the last progress line was the total
      if ((RUNS > 1000 && RUNS % PROGRESS !== 0) || report.failures > 0) print(report);
      for (const c of report.cases)
        console.log(
          `fuzz ${c.target} failure: ` +
            `${JSON.stringify({ target: c.target, hex: c.hex, aux: c.aux, name: c.name, message: c.message })}\n` +
            `${c.stack ?? ''}`,
        );
      expect(report.cases.map((c) => `${c.name}: ${c.message}`)).toEqual([]);
      expect(report.runs).toBe(RUNS);
    });
  }
});

describe('fuzz regressions: every input that once failed now passes', () => {
  test('each vector names a target', () => {
    expect(
      (regressions.vectors as RegressionVector[]).filter((v) => !TARGETS.some((t) => t.name === v.target)),
    ).toEqual([]);
  });

  for (const vector of regressions.vectors as RegressionVector[]) {
    test(`${vector.target}: ${vector.comment}`, async () => {
      const target = TARGETS.find((t) => t.name === vector.target);
      expect(target, `no target ${vector.target}`).toBeDefined();
      const outcome = await judge(target!, fromHex(vector.hex), vector.aux);
      expect(`${outcome.kind} ${outcome.name}: ${outcome.message ?? ''}`).toMatch(
        new RegExp(`^(accepted|refused) ${vector.expect}:`),
      );
    });
  }
});
