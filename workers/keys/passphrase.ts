/**
 * Keys from a passphrase, for backups and the at-rest lock: scrypt stretches
 * the passphrase (cost written next to the salt, so it can be raised later),
 * then HKDF splits the result into an AEAD key and a short check value. The
 * check tells a wrong passphrase apart from a damaged or altered file (both
 * would otherwise be one AEAD failure); it lets an attacker test guesses no
 * faster than trial decryption already does, since each guess costs a scrypt.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { scrypt } from '../../src/runtime/scrypt.ts';
import { sha256Hasher } from '../../src/runtime/sha256-hasher.ts';
import { utf8 } from '../../src/protocol/bytes.ts';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and roughly 0.1–0.5 s per derivation in a
 * browser (noble, pure JS), the interactive-login setting of the scrypt paper
 * and RFC 7914's examples; paid once per export, import or unlock.
 */
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/**
 * True for parameters we agree to run: sound (N >= 2^14) and bounded. scrypt holds 128 * N * r bytes, so
 * N <= 2^18 with r = 8 is at most 256 MiB (this app writes 2^15, 32 MiB); 2^20 let a hostile backup file
 * make an import take 1 GiB.
 */
export function isAcceptedScrypt(params: { N: unknown; r: unknown; p: unknown }): params is ScryptParams {
  const { N, r, p } = params;
  return (
    Number.isSafeInteger(N) &&
    (N as number) >= 2 ** 14 &&
    (N as number) <= 2 ** 18 &&
    ((N as number) & ((N as number) - 1)) === 0 &&
    r === 8 &&
    p === 1
  );
}

export interface DerivedKeys {
  /** 32 bytes for XChaCha20-Poly1305. */
  readonly key: Uint8Array;
  /** 16 bytes stored beside the ciphertext: equal iff the passphrase is right. */
  readonly check: Uint8Array;
}

/**
 * @param purpose separates uses ('backup', 'lock'), so one derivation never serves two.
 * The passphrase is NFKC-normalized so the same words typed on two keyboards agree.
 */
export async function derivePassphraseKeys(
  passphrase: string,
  salt: Uint8Array,
  params: ScryptParams,
  purpose: string,
): Promise<DerivedKeys> {
  const master = await scrypt(utf8(passphrase.normalize('NFKC')), salt, params, 32);
  const key = hkdf(sha256Hasher, master, undefined, utf8(`murmur ${purpose} v1 key`), 32);
  const check = hkdf(sha256Hasher, master, undefined, utf8(`murmur ${purpose} v1 check`), 16);
  master.fill(0);
  return { key, check };
}

/** Constant-time equality of two byte strings of the same length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
