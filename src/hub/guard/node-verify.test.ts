/**
 * The hub's verifier (node-verify.ts) gives our Ed25519 rule's answer on
 * every vector (RFC 8032, Wycheproof, speccheck, ours), as every other
 * verifier does (protocol/ed25519-rule.test.ts), and agrees with noble and
 * WebCrypto on each; its cache of keys answers as a fresh key does.
 */
import { describe, expect, test } from 'vitest';
import { ed25519Vectors, runVectors } from '../../protocol/ed25519-vectors.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom, sign, webCryptoVerify } from '../../protocol/keys.ts';
import { fromHex } from '../../protocol/bytes.ts';
import { nodeCryptoVerify } from './node-verify.ts';

const vectors = ed25519Vectors();

describe("the hub's node:crypto verifier", () => {
  test(`all ${vectors.length} vectors: our rule's answer, the same as noble's and WebCrypto's`, async () => {
    const run = await runVectors(vectors, {
      hub: nodeCryptoVerify(),
      noble: nobleVerify,
      webcrypto: webCryptoVerify(globalThis.crypto.subtle),
    });
    expect(run.wrong).toEqual([]);
    expect(run.disagreements).toEqual([]);
    expect(vectors.filter((v) => v.valid).length).toBeGreaterThan(90);
  });

  test('a cached key: a good signature passes; one bit flipped in the message or the signature fails', async () => {
    const verify = nodeCryptoVerify();
    const key = secretKeyFrom(new Uint8Array(32).fill(7));
    const publicKey = fromHex(pseudonymOf(key));
    const message = new TextEncoder().encode('a head');
    const signature = sign(message, key);
    for (let round = 0; round < 2; round++) {
      expect(await verify(signature, message, publicKey)).toBe(true);
      const flipped = message.slice();
      flipped[0]! ^= 1;
      expect(await verify(signature, flipped, publicKey)).toBe(false);
      const badSig = signature.slice();
      badSig[5]! ^= 1;
      expect(await verify(badSig, message, publicKey)).toBe(false);
    }
  });
});
