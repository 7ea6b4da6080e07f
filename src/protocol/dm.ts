/**
 * Direct messages: sealing and opening one message. A pseudonym's DM key is
 * an X25519 keypair derived from its Ed25519 secret (HKDF-SHA256), so it is
 * backed up, locked and retired with the pseudonym and never stored apart;
 * its public half is published as the profile field `dm_key`.
 *
 * A sealed DM is a blob: `"mdm1" | epk (32) | nonce (24) | ciphertext`. The
 * key is HKDF(X25519(ephemeral, recipient dm_key)); the AEAD is
 * XChaCha20-Poly1305 with the 60-byte header as associated data. The
 * plaintext is a signed record `{type:"dm", from, to, from_key, to_key, epk,
 * body, ts, hubs, sig}` signed by the sender's pseudonym key. *Why the signature
 * names epk and to_key:* the seal alone proves nothing about the sender (any
 * one can encrypt to a public key); the signature does, and binding it to
 * this very seal means a recipient who decrypts a message cannot re-encrypt
 * it to someone else as if the sender had written to them (`Resealed`).
 * Only the header is readable outside: a hub holding the blob learns a
 * random key, a nonce and a length.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256Hasher } from '../runtime/sha256-hasher.ts';
import { bytesEqual, fromHex, isLowerHex, toHex, utf8 } from './bytes.ts';
import { ProtocolError } from './errors.ts';
import { checkHubOrigins, readInt, readPseudonymId, readString, requireKeys } from './fields.ts';
import { type ObjectId, type PseudonymId, hashBytes } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { type Fields, buildSigned, decodeSigned, verifySigned } from './signed.ts';

export const DM_MAGIC = utf8('mdm1');
export const DM_LIMITS = { bodyChars: 4096, bytes: 32 * 1024, hubs: 8 } as const;
const HEADER_BYTES = 4 + 32 + 24;

/** The X25519 secret of a pseudonym's DM key (derived, so it needs no storage of its own). */
export function dmSecretOf(secretKey: SecretKey): Uint8Array {
  if (secretKey.length !== 32) throw new RangeError('an Ed25519 secret key is 32 bytes');
  return hkdf(sha256Hasher, secretKey, utf8('murmur dm key v1'), utf8('x25519'), 32);
}

/** The public DM key (64 lowercase hex) that goes into the profile op's `dm_key`. */
export function dmPublicKeyOf(secretKey: SecretKey): string {
  return toHex(x25519.getPublicKey(dmSecretOf(secretKey)));
}

export interface DmMessage {
  readonly from: PseudonymId;
  readonly to: PseudonymId;
  /** The sender's DM public key (so the recipient can answer without looking it up). */
  readonly from_key: string;
  /** The recipient's DM public key it was sealed to. */
  readonly to_key: string;
  /** The ephemeral public key of the seal it was signed for. */
  readonly epk: string;
  readonly body: string;
  readonly ts: number;
  /** The sender's hub origins: where the recipient's answer goes (private, unlike a follow op's hint). */
  readonly hubs: readonly string[];
}

export interface SealedDm {
  /** sha256 of the bytes: the blob id the notice names. */
  readonly id: ObjectId;
  readonly bytes: Uint8Array;
  readonly message: DmMessage;
}

function keyOf(shared: Uint8Array, epk: Uint8Array, toKey: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(epk, 0);
  salt.set(toKey, 32);
  return hkdf(sha256Hasher, shared, salt, utf8('murmur dm v1'), 32);
}

/**
 * Seals `body` from the pseudonym of `secretKey` to `to`, whose DM key is `toKey`.
 * @param random `ephemeral` (32 bytes) and `nonce` (24 bytes), fresh for each message (passed in so vectors are exact).
 * @throws ProtocolError InvalidField (empty or overlong body), MalformedId (toKey); RangeError for misuse
 */
export function sealDm(
  secretKey: SecretKey,
  fields: { to: PseudonymId; toKey: string; body: string; ts: number; hubs: readonly string[] },
  random: { ephemeral: Uint8Array; nonce: Uint8Array },
): SealedDm {
  if (random.ephemeral.length !== 32 || random.nonce.length !== 24)
    throw new RangeError('a seal needs 32 random bytes and a 24-byte nonce');
  if (!isLowerHex(fields.toKey, 32))
    throw new ProtocolError('MalformedId', 'toKey: expected 64 lowercase hex characters', { field: 'to_key' });
  checkBody(fields.body);
  checkHubs(fields.hubs);
  const epk = x25519.getPublicKey(random.ephemeral);
  const toKey = fromHex(fields.toKey);
  const message: DmMessage = {
    from: pseudonymOf(secretKey),
    to: fields.to,
    from_key: dmPublicKeyOf(secretKey),
    to_key: fields.toKey,
    epk: toHex(epk),
    body: fields.body,
    ts: fields.ts,
    hubs: [...fields.hubs],
  };
  const plaintext = buildSigned({ type: 'dm', ...message, hubs: [...message.hubs] } as Fields, secretKey).bytes;
  const header = new Uint8Array(HEADER_BYTES);
  header.set(DM_MAGIC, 0);
  header.set(epk, 4);
  header.set(random.nonce, 36);
  const key = keyOf(x25519.getSharedSecret(random.ephemeral, toKey), epk, toKey);
  const ciphertext = xchacha20poly1305(key, random.nonce, header).encrypt(plaintext);
  const bytes = new Uint8Array(HEADER_BYTES + ciphertext.length);
  bytes.set(header, 0);
  bytes.set(ciphertext, HEADER_BYTES);
  if (bytes.length > DM_LIMITS.bytes)
    throw new ProtocolError('TooLarge', `a sealed message is at most ${DM_LIMITS.bytes} bytes`);
  return { id: hashBytes(bytes), bytes, message };
}

function checkHubs(hubs: unknown): asserts hubs is string[] {
  checkHubOrigins(hubs, DM_LIMITS.hubs);
}

function checkBody(body: string): void {
  if (typeof body !== 'string' || body.trim().length === 0)
    throw new ProtocolError('InvalidField', 'a message needs some text', { field: 'body' });
  if ([...body].length > DM_LIMITS.bodyChars)
    throw new ProtocolError('InvalidField', `a message is at most ${DM_LIMITS.bodyChars} characters`, {
      field: 'body',
    });
}

/**
 * Opens a sealed DM addressed to the pseudonym of `secretKey` and checks who wrote it.
 * Checks, in order: form (DecodeError, TooLarge), decryption (Undecryptable:
 * changed bytes or another recipient's key), the sender's signature
 * (BadSignature), that the signature was made for this seal (Resealed), that
 * it names this recipient and DM key (WrongRecipient), and, when given, the
 * sender the notice claims (WrongSender).
 * @throws ProtocolError as listed; nothing is returned unless every check passes.
 */
export async function openDm(
  bytes: Uint8Array,
  secretKey: SecretKey,
  verify: Verify,
  expected: { from?: PseudonymId } = {},
): Promise<DmMessage> {
  if (bytes.length > DM_LIMITS.bytes)
    throw new ProtocolError('TooLarge', `a sealed message is at most ${DM_LIMITS.bytes} bytes`);
  if (bytes.length < HEADER_BYTES + 16 || !bytesEqual(bytes.subarray(0, 4), DM_MAGIC)) {
    throw new ProtocolError('DecodeError', 'not a sealed message (mdm1)');
  }
  const header = bytes.subarray(0, HEADER_BYTES);
  const epk = bytes.subarray(4, 36);
  const nonce = bytes.subarray(36, HEADER_BYTES);
  const dmSecret = dmSecretOf(secretKey);
  const myKey = x25519.getPublicKey(dmSecret);
  let plaintext: Uint8Array;
  try {
    const key = keyOf(x25519.getSharedSecret(dmSecret, epk), epk, myKey);
    plaintext = xchacha20poly1305(key, nonce, header).decrypt(bytes.subarray(HEADER_BYTES));
  } catch {
    // Poly1305 refused the tag (or the epk is a low-order point): the bytes were changed, or not sealed to this key.
    throw new ProtocolError(
      'Undecryptable',
      "this message does not open with this pseudonym's DM key: it was changed or is for someone else",
    );
  }
  const message = decodeDmMessage(plaintext);
  const signed = decodeSigned(plaintext, 'dm');
  if (!(await verifySigned(signed, message.from, verify)))
    throw new ProtocolError('BadSignature', 'the message is not signed by the pseudonym it names as sender');
  if (message.epk !== toHex(epk))
    throw new ProtocolError('Resealed', 'the sender signed this message for another seal: someone re-encrypted it');
  if (message.to !== pseudonymOf(secretKey) || message.to_key !== toHex(myKey)) {
    throw new ProtocolError('WrongRecipient', `the sender wrote this message to ${message.to}`);
  }
  if (expected.from !== undefined && expected.from !== message.from) {
    throw new ProtocolError('WrongSender', `the message is from ${message.from}, not ${expected.from}`);
  }
  return message;
}

/** @throws ProtocolError DecodeError, NonCanonical, InvalidField, MalformedId */
function decodeDmMessage(plaintext: Uint8Array): DmMessage {
  const { fields } = decodeSigned(plaintext, 'dm');
  requireKeys(fields, ['type', 'from', 'to', 'from_key', 'to_key', 'epk', 'body', 'ts', 'hubs'], 'dm');
  checkHubs(fields.hubs);
  for (const field of ['from_key', 'to_key', 'epk'] as const) {
    if (!isLowerHex(fields[field], 32))
      throw new ProtocolError('MalformedId', `${field}: expected 64 lowercase hex characters`, { field });
  }
  const body = readString(fields, 'body', DM_LIMITS.bodyChars)!;
  checkBody(body);
  return {
    from: readPseudonymId(fields, 'from'),
    to: readPseudonymId(fields, 'to'),
    from_key: fields.from_key as string,
    to_key: fields.to_key as string,
    epk: fields.epk as string,
    body,
    ts: readInt(fields, 'ts', 0),
    hubs: fields.hubs as string[],
  };
}
