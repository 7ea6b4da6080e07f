import { hkdfSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { deriveHiveKey, newHiveKey } from './hive-key.ts';
import { pseudonymOf, secretKeyFrom } from './keys.ts';

const owner = secretKeyFrom(new Uint8Array(32).fill(7));
const other = secretKeyFrom(new Uint8Array(32).fill(8));
const nonce = '00112233445566778899aabbccddeeff';

describe('hive keys', () => {
  test('the same owner and nonce give the same hive on every device; another owner or nonce another hive', () => {
    const a = deriveHiveKey(owner, nonce);
    expect(deriveHiveKey(owner, nonce)).toEqual(a);
    expect(a.hive).toBe(pseudonymOf(a.secretKey));
    expect(a.hive).not.toBe(pseudonymOf(owner));
    expect(deriveHiveKey(other, nonce).hive).not.toBe(a.hive);
    expect(deriveHiveKey(owner, nonce.replace('00', '01')).hive).not.toBe(a.hive);
  });

  test('the secret is HKDF-SHA256(owner key, "murmur hive key v1", nonce), as node:crypto computes it', () => {
    const { secretKey, hive } = deriveHiveKey(owner, nonce);
    const info = Buffer.from(nonce, 'hex');
    expect(Buffer.from(secretKey)).toEqual(Buffer.from(hkdfSync('sha256', owner, 'murmur hive key v1', info, 32)));
    expect(hive).toBe('a360a9e3894b27f12207c6a39ef34529f625cdc23e49c7d1ecd40e67a719a6aa');
  });

  test('a fresh nonce each time; a malformed nonce is refused by name', () => {
    const random = (a: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(a);
    expect(newHiveKey(owner, random).hive).not.toBe(newHiveKey(owner, random).hive);
    for (const bad of ['', nonce.toUpperCase(), `${nonce}00`, nonce.slice(2)])
      expect(() => deriveHiveKey(owner, bad)).toThrow(expect.objectContaining({ name: 'InvalidField' }));
  });
});
