/**
 * Every Ed25519 vector the acceptance rule (PROTOCOL.md, "Signatures") is
 * held to, as one list: RFC 8032 7.1, Wycheproof's Ed25519 set,
 * ed25519-speccheck and our own edge cases (vectors/ed25519*.json, each
 * naming its source). `runVectors` puts the list through any set of
 * verifiers; the Node tests (ed25519-rule.test.ts) and Chromium
 * (e2e/ed25519-rule.spec.ts) both use it, so both check the same cases the
 * same way.
 */
import { fromHex } from './bytes.ts';
import type { Verify } from './keys.ts';
import ours from './vectors/ed25519.json' with { type: 'json' };
import rfc8032 from './vectors/ed25519-rfc8032.json' with { type: 'json' };
import speccheck from './vectors/ed25519-speccheck.json' with { type: 'json' };
import wycheproof from './vectors/ed25519-wycheproof.json' with { type: 'json' };

export interface Ed25519Vector {
  /** Which set and which case, e.g. "wycheproof 63: the encoded s was replaced by s + L…". */
  readonly name: string;
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Our rule's answer. */
  readonly valid: boolean;
}

interface Case {
  readonly comment: string;
  readonly publicKey: string;
  readonly message: string;
  readonly signature: string;
  readonly valid: boolean;
}

const named = <C extends Case>(set: string, cases: readonly C[], label: (c: C) => string): Ed25519Vector[] =>
  cases.map((c) => ({
    name: `${set} ${label(c)}`,
    signature: fromHex(c.signature),
    message: fromHex(c.message),
    publicKey: fromHex(c.publicKey),
    valid: c.valid,
  }));

/** The whole list, in file order: RFC 8032, Wycheproof, speccheck, ours. */
export function ed25519Vectors(): Ed25519Vector[] {
  return [
    ...named('rfc8032', rfc8032.cases, (c) => c.comment),
    ...named('wycheproof', wycheproof.cases, (c) => `${c.tcId}: ${c.comment || c.flags.join(', ')}`),
    ...named('speccheck', speccheck.cases, (c) => c.comment),
    ...named('murmur', ours.cases, (c) => c.comment),
  ];
}

/** One verifier's answer on one vector that differs from our rule's. */
export interface Wrong {
  readonly verifier: string;
  readonly vector: string;
  readonly got: boolean;
}

export interface VectorRun {
  /** Per verifier, its answer on each vector, in list order. */
  readonly answers: Record<string, boolean[]>;
  /** Every answer that is not our rule's; empty when all verifiers are right. */
  readonly wrong: Wrong[];
  /** Names of the vectors on which the verifiers do not all give the same answer. */
  readonly disagreements: string[];
}

/**
 * Runs every vector through each verifier, all of one verifier's calls at once
 * (as a catch-up makes them, so a pooled verifier batches them), one verifier
 * after another. A verifier that throws counts as answering false for that
 * call, so a crash shows up as a wrong answer on a valid vector.
 */
export async function runVectors(
  vectors: readonly Ed25519Vector[],
  verifiers: Readonly<Record<string, Verify>>,
): Promise<VectorRun> {
  const answers: Record<string, boolean[]> = {};
  for (const [name, verify] of Object.entries(verifiers)) {
    answers[name] = await Promise.all(
      vectors.map((v) =>
        Promise.resolve()
          .then(() => verify(v.signature, v.message, v.publicKey))
          .catch(() => false),
      ),
    );
  }
  const wrong = Object.entries(answers).flatMap(([verifier, got]) =>
    vectors.flatMap((v, i) => (got[i] === v.valid ? [] : [{ verifier, vector: v.name, got: got[i]! }])),
  );
  const disagreements = vectors
    .filter((_, i) => new Set(Object.values(answers).map((a) => a[i])).size > 1)
    .map((v) => v.name);
  return { answers, wrong, disagreements };
}
