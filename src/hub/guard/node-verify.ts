/**
 * The hub's Ed25519 verifier: node:crypto's one-shot verify with a callback,
 * behind the pre-checks every verifier runs (protocol/keys.ts), so it
 * accepts and refuses exactly what the others do (node-verify.test.ts runs
 * every vector through it).
 *
 * Why not WebCrypto, which Node also has: both are OpenSSL verifying on the
 * thread pool, but WebCrypto's subtle.verify first normalizes the algorithm
 * and converts each argument through its WebIDL layer, and answers through a
 * promise job; per signature that was about 15% more CPU than this
 * (measured in the hub, head PUT under load; see BENCHMARKS.md). The verify
 * still runs off the event loop, so requests keep being read meanwhile.
 */
import { type KeyObject, createPublicKey, verify } from 'node:crypto';
import { type Verify, passesPrechecks } from '../../protocol/keys.ts';

/** DER SubjectPublicKeyInfo of an Ed25519 key, before its 32 bytes (RFC 8410). */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Most keys held (a key is 32 bytes and a small native object); past it the cache starts over. */
const MAX_KEYS = 4096;

/** A verifier with its own cache of public keys (an author's writes come again and again). */
export function nodeCryptoVerify(): Verify {
  const keys = new Map<string, KeyObject | undefined>();
  const keyOf = (publicKey: Uint8Array): KeyObject | undefined => {
    const name = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.length).toString('latin1');
    if (keys.has(name)) return keys.get(name);
    if (keys.size >= MAX_KEYS) keys.clear();
    let key: KeyObject | undefined;
    try {
      key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    } catch {
      key = undefined; // not a point: every signature by it is refused
    }
    keys.set(name, key);
    return key;
  };
  return (signature, message, publicKey) => {
    if (!passesPrechecks(signature, publicKey)) return Promise.resolve(false);
    const key = keyOf(publicKey);
    if (!key) return Promise.resolve(false);
    return new Promise((resolve) => {
      try {
        verify(null, message, key, signature, (error, ok) => resolve(!error && ok));
      } catch {
        resolve(false);
      }
    });
  };
}
