/**
 * Sealed private state: the committed vectors, refusals by name, and the
 * vector file recomputed by implementations that share no code with
 * private-seal.ts: node:crypto (HKDF, the pointer's Ed25519 public key) and
 * libsodium (XChaCha20-Poly1305).
 */
import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import type { ObjectId } from './ids.ts';
import { pseudonymOf } from './keys.ts';
import {
  MAX_INDEX_UPDATES,
  decodePrivateIndex,
  derivePrivateKeys,
  encodePrivateIndex,
  openPrivate,
  sealPrivate,
} from './private-seal.ts';
import vectors from './vectors/private-seal.json' with { type: 'json' };

function errorName(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.name;
    throw error;
  }
  return undefined;
}

const keys = vectors.keys[0]!;
const aeadKey = fromHex(keys.aeadKey);

describe('keys', () => {
  test(keys.comment, () => {
    const derived = derivePrivateKeys(fromHex(keys.secretKey));
    expect(toHex(derived.aeadKey)).toBe(keys.aeadKey);
    expect(toHex(derived.pointerKey)).toBe(keys.pointerKey);
    expect(pseudonymOf(derived.pointerKey)).toBe(keys.pointer);
    expect(pseudonymOf(fromHex(keys.secretKey))).toBe(keys.pseudonym);
  });

  test('HKDF agrees with node:crypto, and the pointer key is neither the AEAD key nor the pseudonym', () => {
    const secret = fromHex(keys.secretKey);
    const salt = utf8('murmur private state v1');
    expect(toHex(new Uint8Array(hkdfSync('sha256', secret, salt, utf8('aead'), 32)))).toBe(keys.aeadKey);
    expect(toHex(new Uint8Array(hkdfSync('sha256', secret, salt, utf8('pointer'), 32)))).toBe(keys.pointerKey);
    expect(keys.pointer).not.toBe(keys.pseudonym);
    expect(keys.pointerKey).not.toBe(keys.aeadKey);
  });

  test('another secret gives other keys; a short secret is misuse', () => {
    const other = derivePrivateKeys(new Uint8Array(32).fill(9));
    expect(toHex(other.aeadKey)).not.toBe(keys.aeadKey);
    expect(() => derivePrivateKeys(new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('valid', () => {
  for (const c of vectors.valid) {
    test(c.comment, () => {
      const sealed = sealPrivate(aeadKey, fromHex(c.nonce), fromHex(c.plaintext));
      expect(toHex(sealed)).toBe(c.sealed);
      expect(toHex(openPrivate(aeadKey, fromHex(c.sealed)))).toBe(c.plaintext);
    });
  }
});

describe('invalid', () => {
  for (const c of vectors.invalid) {
    test(`${c.comment}: ${c.error}`, () => {
      expect(errorName(() => openPrivate(aeadKey, fromHex(c.sealed)))).toBe(c.error);
    });
  }

  test("the right bytes under another pseudonym's key: BadCiphertext", () => {
    const other = derivePrivateKeys(new Uint8Array(32).fill(9)).aeadKey;
    expect(errorName(() => openPrivate(other, fromHex(vectors.valid[0]!.sealed)))).toBe('BadCiphertext');
  });

  test('every single-bit change past the magic is refused', () => {
    const sealed = fromHex(vectors.valid[0]!.sealed);
    for (let i = 4; i < sealed.length; i++) {
      const changed = sealed.slice();
      changed[i]! ^= 0x80;
      expect(
        errorName(() => openPrivate(aeadKey, changed)),
        `byte ${i}`,
      ).toBe('BadCiphertext');
    }
  });

  test('misuse: wrong key or nonce length', () => {
    expect(() => sealPrivate(new Uint8Array(16), new Uint8Array(24), new Uint8Array())).toThrow(RangeError);
    expect(() => sealPrivate(aeadKey, new Uint8Array(12), new Uint8Array())).toThrow(RangeError);
  });
});

describe('index', () => {
  const id = 'ab'.repeat(32) as ObjectId;

  test('round trip, and the vector plaintext is an index', () => {
    expect(decodePrivateIndex(encodePrivateIndex([id]))).toEqual([id]);
    expect(decodePrivateIndex(fromHex(vectors.valid[2]!.plaintext))).toEqual([id]);
  });

  test('refuses other shapes, extra fields, malformed ids and overlong lists', () => {
    expect(errorName(() => decodePrivateIndex(utf8('{"type":"log","updates":[]}')))).toBe('InvalidField');
    expect(errorName(() => decodePrivateIndex(utf8('{"extra":1,"type":"private-index","updates":[]}')))).toBe(
      'InvalidField',
    );
    expect(errorName(() => decodePrivateIndex(utf8('{"type":"private-index","updates":["AB"]}')))).toBe('MalformedId');
    expect(errorName(() => decodePrivateIndex(utf8('{"updates":[],"type":"private-index"}')))).toBe('NonCanonical');
    const many = JSON.stringify({ type: 'private-index', updates: Array(MAX_INDEX_UPDATES + 1).fill(id) });
    expect(errorName(() => decodePrivateIndex(utf8(many)))).toBe('InvalidField');
    expect(() => encodePrivateIndex(Array(MAX_INDEX_UPDATES + 1).fill(id))).toThrow(RangeError);
  });
});

describe('private-seal.json recomputed with node:crypto and libsodium', () => {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  /** The Ed25519 public key of a 32-byte seed, by node:crypto (OpenSSL). */
  const nodePublicKey = (seed: string) =>
    hex(
      createPublicKey(
        createPrivateKey({
          key: Buffer.from(`302e020100300506032b657004220420${seed}`, 'hex'),
          format: 'der',
          type: 'pkcs8',
        }),
      )
        .export({ format: 'der', type: 'spki' })
        .subarray(12),
    );

  test('the keys: HKDF-SHA256 and the pseudonym and pointer public keys', () => {
    const secret = Buffer.from(keys.secretKey, 'hex');
    const derive = (info: string) =>
      hex(new Uint8Array(hkdfSync('sha256', secret, 'murmur private state v1', info, 32)));
    expect([derive('aead'), derive('pointer')]).toEqual([keys.aeadKey, keys.pointerKey]);
    expect([nodePublicKey(keys.secretKey), nodePublicKey(keys.pointerKey)]).toEqual([keys.pseudonym, keys.pointer]);
  });

  test('each valid case: "mps1" || nonce || XChaCha20-Poly1305(plaintext, ad "mps1") is the sealed bytes', async () => {
    await sodium.ready;
    const seal = (c: (typeof vectors.valid)[number]) =>
      `6d707331${c.nonce}${hex(
        sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
          fromHex(c.plaintext),
          utf8('mps1'),
          null,
          fromHex(c.nonce),
          aeadKey,
        ),
      )}`;
    expect(vectors.valid.map((c) => [c.comment, seal(c)])).toEqual(vectors.valid.map((c) => [c.comment, c.sealed]));
  });

  test('each invalid case, read as the format says (ad = its first 4 bytes), fails to open', async () => {
    await sodium.ready;
    const opens = (sealed: Uint8Array) => {
      try {
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          sealed.subarray(28),
          sealed.subarray(0, 4),
          sealed.subarray(4, 28),
          aeadKey,
        );
        return true;
      } catch (error) {
        // libsodium's refusals: fails authentication, or shorter than the tag. Anything else is a failure.
        expect((error as Error).message).toMatch(/^ciphertext (cannot be decrypted using that key|is too short)$/);
        return false;
      }
    };
    expect(vectors.invalid.map((c) => [c.comment, opens(fromHex(c.sealed))])).toEqual(
      vectors.invalid.map((c) => [c.comment, false]),
    );
    expect(vectors.valid.map((c) => opens(fromHex(c.sealed)))).toEqual(vectors.valid.map(() => true));
  });
});
