/**
 * Sealing any plaintext to Bob as dm.ts seals a message, with fixed
 * randomness: lets the fuzzer reach what openDm checks after decryption
 * (the signed message inside), which mutating sealed bytes never does.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, utf8 } from '../src/protocol/bytes.ts';
import { DM_MAGIC, dmPublicKeyOf } from '../src/protocol/dm.ts';
import { buildSigned, type Fields } from '../src/protocol/signed.ts';
import { ALICE, BOB, dms } from './seeds.ts';

/** The ephemeral secret and nonce of seeds.dms[0]: its plaintext sealed again gives the same bytes. */
const EPHEMERAL = new Uint8Array(32).fill(7);
const NONCE = new Uint8Array(24).fill(8);
const EPK = x25519.getPublicKey(EPHEMERAL);
const TO_KEY = fromHex(dmPublicKeyOf(BOB));
const SALT = new Uint8Array([...EPK, ...TO_KEY]);
const KEY = hkdf(sha256, x25519.getSharedSecret(EPHEMERAL, TO_KEY), SALT, utf8('murmur dm v1'), 32);
const HEADER = new Uint8Array([...DM_MAGIC, ...EPK, ...NONCE]);

export function sealDmPlaintext(plaintext: Uint8Array): Uint8Array {
  const ciphertext = xchacha20poly1305(KEY, NONCE, HEADER).encrypt(plaintext);
  return new Uint8Array([...HEADER, ...ciphertext]);
}

/** The signed messages inside the seed DMs, each as if sealed with EPHEMERAL (so `epk` matches). */
export const dmPlaintexts: Uint8Array[] = dms.map(
  (d) =>
    buildSigned(
      {
        type: 'dm',
        ...d.message,
        epk: [...EPK].map((b) => b.toString(16).padStart(2, '0')).join(''),
        hubs: [...d.message.hubs],
      } as unknown as Fields,
      ALICE,
    ).bytes,
);
