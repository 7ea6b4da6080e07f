/**
 * A hive's key (PROTOCOL.md, Hives): derived from its owner's secret key and a
 * random nonce, as the private state's keys are (private-seal.ts), so every
 * device of the owner can sign as the hive with nothing new to back up, and
 * nobody else can. The nonce is public (the hive's charter names it): it only
 * lets one owner make many hives. Knowing the hive key tells nothing of the
 * owner's key (HKDF is one-way).
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256Hasher } from '../runtime/sha256-hasher.ts';
import { fromHex, isLowerHex, toHex, utf8 } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import type { PseudonymId } from './ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from './keys.ts';

const SALT = utf8('murmur hive key v1');
export const HIVE_NONCE_BYTES = 16;

export interface HiveKey {
  readonly hive: PseudonymId;
  readonly secretKey: SecretKey;
  /** Hex, `HIVE_NONCE_BYTES` long. */
  readonly nonce: string;
}

/** @throws ProtocolError InvalidField for a nonce that is not 16 bytes of lowercase hex; RangeError for a bad key. */
export function deriveHiveKey(ownerSecret: SecretKey, nonce: string): HiveKey {
  if (ownerSecret.length !== 32) throw new RangeError('a secret key is 32 bytes');
  if (!isLowerHex(nonce, HIVE_NONCE_BYTES))
    throw new ProtocolError('InvalidField', `nonce: ${HIVE_NONCE_BYTES} bytes of lowercase hex`, { field: 'nonce' });
  const secretKey = secretKeyFrom(hkdf(sha256Hasher, ownerSecret, SALT, fromHex(nonce), 32));
  return { hive: pseudonymOf(secretKey), secretKey, nonce };
}

/** A fresh hive key: a new nonce from `random` (crypto.getRandomValues). */
export function newHiveKey(ownerSecret: SecretKey, random: (a: Uint8Array<ArrayBuffer>) => Uint8Array): HiveKey {
  return deriveHiveKey(ownerSecret, toHex(random(new Uint8Array(HIVE_NONCE_BYTES))));
}
