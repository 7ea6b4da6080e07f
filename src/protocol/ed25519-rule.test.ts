/**
 * One Ed25519 acceptance rule for every verifier in Node: every vector
 * (RFC 8032, Wycheproof, speccheck, ours) through noble, WebCrypto,
 * node:crypto behind the same pre-checks (hub/guard/node-verify.test.ts runs the hub's), pickVerify and
 * the verify-pool path with WebCrypto and with noble in its workers. Each must
 * give our rule's answer on each vector, so none disagrees with another.
 * e2e/ed25519-rule.spec.ts runs the same list in Chromium.
 *
 * Those verifiers share the pre-checks, so on the edge cases they agree by
 * construction. Two implementations that share nothing with keys.ts check the
 * vector files themselves: plain node:crypto (OpenSSL, no pre-checks), whose
 * answer differs from ours only on the cases whose `nodeCrypto` field says
 * why, and libsodium (libsodium-wrappers), whose rule is ours on every case.
 */
import { type KeyObject, createPublicKey, verify as nodeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import sodium from 'libsodium-wrappers';
import { describe, expect, test } from 'vitest';
import {
  type VerifyEndpoint,
  type VerifyRequest,
  answerBatch,
  pooledVerify,
} from '../../workers/verify/verify-pool.ts';
import { fromHex, toHex } from './bytes.ts';
import { ed25519Vectors, runVectors } from './ed25519-vectors.ts';
import { type Verify, nobleVerify, passesPrechecks, pickVerify, pseudonymOf, sign, webCryptoVerify } from './keys.ts';
import ours from './vectors/ed25519.json' with { type: 'json' };
import rfc8032 from './vectors/ed25519-rfc8032.json' with { type: 'json' };
import speccheck from './vectors/ed25519-speccheck.json' with { type: 'json' };
import wycheproof from './vectors/ed25519-wycheproof.json' with { type: 'json' };

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keyObject = (publicKey: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });

/** node:crypto (OpenSSL) alone: no pre-checks; false where it throws (a key that is no point). */
function rawNodeVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return nodeVerify(null, message, keyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** node:crypto behind the pre-checks every verifier runs. */
const nodeCryptoVerify: Verify = async (signature, message, publicKey) =>
  passesPrechecks(signature, publicKey) && rawNodeVerify(signature, message, publicKey);

/** A verify worker on a MessageChannel, answering as verify.worker.ts does (answerBatch with `verify`). */
function channelWorker(verify: Verify): VerifyEndpoint {
  const { port1, port2 } = new MessageChannel();
  port2.addEventListener('message', (event: MessageEvent<VerifyRequest>) => {
    void answerBatch(event.data, verify).then((answer) => port2.postMessage(answer, [answer.ok.buffer]));
  });
  port2.start();
  port1.start();
  return Object.assign(port1 as unknown as VerifyEndpoint, { terminate: () => port1.close() });
}

/** Everything through the workers (minBatch 1), which verify with `inWorker`; a wrong local fallback would show too. */
function pooled(inWorker: Verify): Verify {
  return pooledVerify(nobleVerify, () => channelWorker(inWorker), { minBatch: 1, maxBatch: 64, workers: 2 });
}

const vectors = ed25519Vectors();

describe('one Ed25519 rule for every verifier in Node', () => {
  test('the vector sets are whole: RFC 8032 7.1 (5), Wycheproof (151), speccheck (12)', () => {
    expect(rfc8032.cases.map((c) => c.comment.split(' (')[0])).toEqual([
      'RFC 8032 7.1 TEST 1',
      'RFC 8032 7.1 TEST 2',
      'RFC 8032 7.1 TEST 3',
      'RFC 8032 7.1 TEST 1024',
      'RFC 8032 7.1 TEST SHA(abc)',
    ]);
    expect(wycheproof.cases.map((c) => c.tcId)).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
    expect(speccheck.cases).toHaveLength(12);
  });

  test('RFC 8032: noble derives each public key and reproduces each signature byte for byte', () => {
    for (const c of rfc8032.cases) {
      expect(pseudonymOf(fromHex(c.secretKey))).toBe(c.publicKey);
      expect(toHex(sign(fromHex(c.message), fromHex(c.secretKey)))).toBe(c.signature);
    }
  });

  test("Wycheproof: plain node:crypto, without our pre-checks, gives Wycheproof's own verdict on all 151", () => {
    const got = wycheproof.cases.map((c) =>
      rawNodeVerify(fromHex(c.signature), fromHex(c.message), fromHex(c.publicKey)),
    );
    expect(got).toEqual(wycheproof.cases.map((c) => c.result === 'valid'));
  });

  test("speccheck cases 4, 5: why noble's verify is unused: behind our pre-checks it accepts them (cofactored)", () => {
    const cofactored = speccheck.cases.map((c) => {
      const [signature, message, publicKey] = [fromHex(c.signature), fromHex(c.message), fromHex(c.publicKey)];
      return passesPrechecks(signature, publicKey) && ed.verify(signature, message, publicKey, { zip215: false });
    });
    expect(cofactored.flatMap((ok, i) => (ok && !speccheck.cases[i]!.valid ? [i] : []))).toEqual([4, 5]);
  });

  test(`all ${vectors.length} vectors: every verifier gives our rule's answer, 0 disagreements`, async () => {
    const run = await runVectors(vectors, {
      noble: nobleVerify,
      webcrypto: webCryptoVerify(globalThis.crypto.subtle),
      'node:crypto': nodeCryptoVerify,
      pickVerify: await pickVerify(),
      'verify pool, WebCrypto workers': pooled(webCryptoVerify(globalThis.crypto.subtle)),
      'verify pool, noble workers': pooled(nobleVerify),
    });
    expect(run.wrong).toEqual([]);
    expect(run.disagreements).toEqual([]);
    expect(vectors.filter((v) => v.valid).length).toBeGreaterThan(90); // the accepting side is held to the rule too
  });
});

describe('the vector files against implementations that share no code with keys.ts', () => {
  type Case = { comment: string; publicKey: string; message: string; signature: string; valid: boolean };
  type Disagreement = { valid: boolean; why: string };
  const sets: [string, readonly (Case & { nodeCrypto?: Disagreement })[]][] = [
    ['rfc8032', rfc8032.cases],
    ['speccheck', speccheck.cases],
    ['murmur', ours.cases],
  ];

  test("plain node:crypto gives our rule's answer except on the 6 cases whose nodeCrypto field says why", () => {
    const got = sets.flatMap(([set, cases]) =>
      cases.map((c) => [set, c.comment, rawNodeVerify(fromHex(c.signature), fromHex(c.message), fromHex(c.publicKey))]),
    );
    const recorded = sets.flatMap(([set, cases]) => cases.map((c) => [set, c.comment, c.nodeCrypto?.valid ?? c.valid]));
    expect(got).toEqual(recorded);
    const differing = sets.flatMap(([, cases]) => cases.filter((c) => c.nodeCrypto));
    expect(differing.map((c) => c.nodeCrypto!.valid !== c.valid && c.nodeCrypto!.why.length > 40)).toEqual(
      Array(6).fill(true),
    );
  });

  test(`libsodium (crypto_sign_verify_detached) gives our rule's answer on all ${vectors.length} vectors`, async () => {
    await sodium.ready;
    const answer = (v: (typeof vectors)[number]): boolean => {
      if (v.signature.length === 64) return sodium.crypto_sign_verify_detached(v.signature, v.message, v.publicKey);
      // libsodium refuses a signature of another length by throwing; only that throw counts as a refusal.
      expect(() => sodium.crypto_sign_verify_detached(v.signature, v.message, v.publicKey)).toThrow('signature length');
      return false;
    };
    expect(vectors.map((v) => [v.name, answer(v)])).toEqual(vectors.map((v) => [v.name, v.valid]));
  });
});
