/**
 * Sealing a pseudonym's private state (drafts, mutes, blocks, ...) for its
 * own devices. Everything is derived from the pseudonym's secret key with
 * HKDF-SHA256, so any device holding the key (an imported backup) can read
 * it and nobody else can:
 *
 * - `aeadKey`: XChaCha20-Poly1305 key for every sealed blob;
 * - `pointerKey`: an Ed25519 key whose public key names the pointer head.
 *   It is unrelated to the pseudonym id for anyone without the secret, so a
 *   hub sees an anonymous head and anonymous blobs, not "alice's drafts".
 *
 * Sealed bytes: "mps1" (4 bytes) || nonce (24) || ciphertext+tag; the magic
 * is also the associated data. The index blob that the pointer names is a
 * sealed canonical `{type:"private-index", updates:[blob ids]}`.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256Hasher } from '../runtime/sha256-hasher.ts';
import { utf8 } from './bytes.ts';
import { decodeCanonical, encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { type ObjectId, isObjectId } from './ids.ts';
import { type SecretKey, secretKeyFrom } from './keys.ts';

export const SEAL_MAGIC = utf8('mps1');
export const SEAL_NONCE_BYTES = 24;
/** Most update ids one index lists; a writer compacts before it would list more. */
export const MAX_INDEX_UPDATES = 64;

const SALT = utf8('murmur private state v1');

export interface PrivateKeys {
  readonly aeadKey: Uint8Array;
  readonly pointerKey: SecretKey;
}

/** @throws RangeError for a secret key that is not 32 bytes. */
export function derivePrivateKeys(secretKey: SecretKey): PrivateKeys {
  if (secretKey.length !== 32) throw new RangeError('a secret key is 32 bytes');
  return {
    aeadKey: hkdf(sha256Hasher, secretKey, SALT, utf8('aead'), 32),
    pointerKey: secretKeyFrom(hkdf(sha256Hasher, secretKey, SALT, utf8('pointer'), 32)),
  };
}

/** @throws RangeError for a key that is not 32 bytes or a nonce that is not 24. */
export function sealPrivate(aeadKey: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (aeadKey.length !== 32) throw new RangeError('the key is 32 bytes');
  if (nonce.length !== SEAL_NONCE_BYTES) throw new RangeError(`the nonce is ${SEAL_NONCE_BYTES} bytes`);
  const ciphertext = xchacha20poly1305(aeadKey, nonce, SEAL_MAGIC).encrypt(plaintext);
  const out = new Uint8Array(SEAL_MAGIC.length + SEAL_NONCE_BYTES + ciphertext.length);
  out.set(SEAL_MAGIC, 0);
  out.set(nonce, SEAL_MAGIC.length);
  out.set(ciphertext, SEAL_MAGIC.length + SEAL_NONCE_BYTES);
  return out;
}

/**
 * @throws ProtocolError DecodeError (not sealed private state: short, or another magic),
 *   BadCiphertext (fails authentication: changed, damaged, or another key).
 */
export function openPrivate(aeadKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  const head = SEAL_MAGIC.length + SEAL_NONCE_BYTES;
  if (sealed.length < head + 16 || !SEAL_MAGIC.every((b, i) => sealed[i] === b)) {
    throw new ProtocolError('DecodeError', 'not sealed private state');
  }
  try {
    return xchacha20poly1305(aeadKey, sealed.subarray(SEAL_MAGIC.length, head), SEAL_MAGIC).decrypt(
      sealed.subarray(head),
    );
  } catch {
    throw new ProtocolError('BadCiphertext', 'sealed private state fails authentication');
  }
}

/** The plaintext of the index blob. @throws RangeError past MAX_INDEX_UPDATES. */
export function encodePrivateIndex(updates: readonly ObjectId[]): Uint8Array {
  if (updates.length > MAX_INDEX_UPDATES) throw new RangeError(`an index lists at most ${MAX_INDEX_UPDATES} updates`);
  return encodeCanonical({ type: 'private-index', updates: [...updates] });
}

/** @throws ProtocolError DecodeError, NonCanonical, InvalidField, MalformedId */
export function decodePrivateIndex(bytes: Uint8Array): ObjectId[] {
  const value = decodeCanonical(bytes) as { type?: unknown; updates?: unknown };
  if (
    typeof value !== 'object' ||
    value === null ||
    value.type !== 'private-index' ||
    !Array.isArray(value.updates) ||
    Object.keys(value).length !== 2
  ) {
    throw new ProtocolError('InvalidField', 'not a private-state index');
  }
  if (value.updates.length > MAX_INDEX_UPDATES)
    throw new ProtocolError('InvalidField', 'too many updates in a private-state index');
  for (const id of value.updates)
    if (!isObjectId(id)) throw new ProtocolError('MalformedId', 'a private-state index lists a malformed id');
  return value.updates as ObjectId[];
}
