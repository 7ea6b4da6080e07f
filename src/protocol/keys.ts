/**
 * Ed25519 keys, signing and verification.
 *
 * Signing uses @noble/ed25519 (deterministic, works everywhere). Verification
 * is passed in as a `Verify` function so callers pick the fastest one their
 * platform has (WebCrypto in browsers and Node, noble elsewhere); both run
 * behind the same pre-checks, so they accept and refuse the same signatures.
 *
 * Acceptance rule (see PROTOCOL.md, "Signatures"): S canonical (S < L); the
 * public key A and the point R canonically encoded (y < p) and not of small
 * order; then the cofactorless equation of RFC 8032 5.1.7, [S]B = R + [k]A,
 * checked as WebCrypto and node:crypto (OpenSSL, BoringSSL) check it: the
 * encoding of [S]B - [k]A must be R's 32 bytes. noble's own verify is
 * cofactored (it multiplies by 8 even with zip215: false, so it accepts
 * mixed-order R and A that WebCrypto refuses), so nobleVerify computes the
 * cofactorless equation itself with noble's Point. The pre-checks are byte
 * comparisons, so they cost nothing next to a verify.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromHex, toHex } from './bytes.ts';
import type { PseudonymId } from './ids.ts';

/**
 * noble's Ed25519 with its SHA-512 set, on first use rather than at import: a
 * bundle that never signs or derives a key (the core worker's first script)
 * then leaves noble out.
 */
function ed25519(): typeof ed {
  ed.hashes.sha512 ??= sha512;
  return ed;
}

export type SecretKey = Uint8Array;

/** Verifies an Ed25519 signature; resolves false (never throws) for any bad input. */
export type Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => Promise<boolean>;

// L, the order of the Ed25519 base point, as 32 little-endian bytes.
const L_BYTES = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');

/** @param random 32 random bytes (passed in so tests are deterministic). */
export function secretKeyFrom(random: Uint8Array): SecretKey {
  if (random.length !== 32) throw new RangeError('an Ed25519 secret key is 32 bytes');
  return random.slice();
}

export function pseudonymOf(secretKey: SecretKey): PseudonymId {
  return toHex(ed25519().getPublicKey(secretKey)) as PseudonymId;
}

export function sign(message: Uint8Array, secretKey: SecretKey): Uint8Array {
  return ed25519().sign(message, secretKey);
}

/*
 * The checks below read 32-byte fields in place, at an offset, rather than
 * through subarray(): they run once per commit verified, and each subarray is
 * an object to allocate and collect.
 */

/** S < L, comparing 32 little-endian bytes from the most significant end. */
function isCanonicalScalar(bytes: Uint8Array, at: number): boolean {
  for (let i = 31; i >= 0; i--) {
    if (bytes[at + i]! !== L_BYTES[i]!) return bytes[at + i]! < L_BYTES[i]!;
  }
  return false; // S == L
}

/**
 * Encodings of the points of small order (the 8-torsion), ignoring the sign
 * bit; the ones at y = p and p + 1 are left out because they are already
 * non-canonical. Same list as libsodium's; the tests check each has small order.
 */
export const SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];
const smallOrder = SMALL_ORDER_ENCODINGS.map(fromHex);

/** A point encoding whose y (low 255 bits, little-endian) is >= p = 2^255 - 19. */
function isNonCanonicalPoint(bytes: Uint8Array, at: number): boolean {
  if ((bytes[at + 31]! & 0x7f) !== 0x7f || bytes[at]! < 0xed) return false;
  for (let i = 1; i < 31; i++) if (bytes[at + i] !== 0xff) return false;
  return true;
}

function isSmallOrderPoint(bytes: Uint8Array, at: number): boolean {
  next: for (const bad of smallOrder) {
    for (let i = 0; i < 31; i++) if (bytes[at + i] !== bad[i]) continue next;
    if ((bytes[at + 31]! & 0x7f) === bad[31]) return true;
  }
  return false;
}

function isAcceptablePoint(bytes: Uint8Array, at: number): boolean {
  return !isNonCanonicalPoint(bytes, at) && !isSmallOrderPoint(bytes, at);
}

/** The checks every verifier runs first, so that all of them agree on edge cases. */
export function passesPrechecks(signature: Uint8Array, publicKey: Uint8Array): boolean {
  return publicKey.length === 32 && isAcceptablePoint(publicKey, 0) && signatureIsAcceptable(signature);
}

/** The signature's share of the pre-checks: S canonical, R acceptable. */
function signatureIsAcceptable(signature: Uint8Array): boolean {
  return signature.length === 64 && isCanonicalScalar(signature, 32) && isAcceptablePoint(signature, 0);
}

/** The 32 or 64 bytes from `from` to `to` as a little-endian integer. */
function littleEndian(bytes: Uint8Array, from: number, to: number): bigint {
  let n = 0n;
  for (let i = to - 1; i >= from; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

const L = littleEndian(L_BYTES, 0, 32);

/**
 * RFC 8032 5.1.7 without the cofactor, as OpenSSL and BoringSSL compute it:
 * R' = [S]B - [k]A with k = SHA-512(R || A || M) mod L, then R' encoded must
 * equal R's bytes. Runs after the pre-checks (S < L; A and R canonical, not of
 * small order), so R needs no decoding: an R that is no point never matches.
 * @throws if A is not a point (the caller turns that into a refusal)
 */
function verifyCofactorless(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const A = ed.Point.fromBytes(publicKey); // strict RFC 8032 decoding
  const r = signature.subarray(0, 32);
  const k = littleEndian(sha512(ed.etc.concatBytes(r, publicKey, message)), 0, 64) % L;
  const s = littleEndian(signature, 32, 64);
  const check = ed.Point.BASE.multiply(s, false).subtract(A.multiply(k, false));
  return bytesEqual(check.toBytes(), r);
}

export const nobleVerify: Verify = async (signature, message, publicKey) => {
  if (!passesPrechecks(signature, publicKey)) return false;
  try {
    return verifyCofactorless(signature, message, publicKey);
  } catch {
    return false; // malformed point encodings: a refusal, not a crash
  }
};

/**
 * WebCrypto Ed25519, imported keys cached per public key (feeds verify many
 * commits by one key). Once a key is imported, verify() calls WebCrypto at
 * once, with no await in between: where the platform verifies off the
 * calling thread (Node), a caller decoding commit after commit overlaps with
 * it; Chromium verifies on the calling thread, where only less work helps.
 */
export function webCryptoVerify(subtle: SubtleCrypto): Verify {
  const keys = new Map<string, Promise<CryptoKey | undefined>>();
  // The last key used, which passed the pre-checks when imported: commits of
  // one feed come one after another, so most calls skip the hex and the map.
  let last: { readonly bytes: Uint8Array; readonly key: CryptoKey } | undefined;
  const run = (key: CryptoKey, signature: Uint8Array, message: Uint8Array): Promise<boolean> => {
    try {
      return subtle
        .verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)
        .catch(() => false);
    } catch {
      return Promise.resolve(false);
    }
  };
  const importKey = (hex: string, publicKey: Uint8Array): Promise<CryptoKey | undefined> => {
    if (keys.size > 4096) keys.clear();
    const bytes = publicKey.slice();
    const imported = subtle
      .importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      .then(
        (key) => {
          last = { bytes, key };
          return key;
        },
        () => undefined,
      );
    keys.set(hex, imported);
    return imported;
  };
  const slow = async (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> => {
    if (!passesPrechecks(signature, publicKey)) return false;
    const hex = toHex(publicKey);
    const key = await (keys.get(hex) ?? importKey(hex, publicKey));
    if (!key) return false;
    last = { bytes: publicKey.slice(), key };
    return run(key, signature, message);
  };
  return (signature, message, publicKey) => {
    if (!last || !bytesEqual(publicKey, last.bytes)) return slow(signature, message, publicKey);
    return signatureIsAcceptable(signature) ? run(last.key, signature, message) : Promise.resolve(false);
  };
}

/** WebCrypto when this platform supports Ed25519 there, else noble. */
export async function pickVerify(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Promise<Verify> {
  if (!subtle) return nobleVerify;
  try {
    const probe = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    await subtle.importKey('raw', probe as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
    return webCryptoVerify(subtle);
  } catch {
    return nobleVerify;
  }
}
