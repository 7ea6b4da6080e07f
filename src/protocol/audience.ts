/**
 * Audiences: sealing a post object for `followers`, `allowlist` or `link`
 * readers (a `public` post is not sealed at all). Each post gets a fresh
 * 32-byte content key, so a reader removed later still reads what it could
 * read, and nothing after. Hubs hold only ciphertext.
 *
 * - Sealed object: `"mau1" | nonce (24) | XChaCha20-Poly1305(content key)`,
 *   the 28-byte header as associated data (the cipher of dm.ts and
 *   private-seal.ts, one primitive to review).
 * - Key envelope (followers, allowlist): `"mak1" | epk (32) | slots`, each
 *   slot the content key sealed to one reader's DM key (dm.ts's X25519 and
 *   HKDF), padded with random filler to a power-of-two bucket and shuffled,
 *   so the blob names no reader and tells their number only up to the bucket.
 * - Link: the content key is derived from a 32-byte secret that travels in
 *   the URL fragment (`#k=` + 43 base64url characters), never to a hub.
 * - A sealed post's media and the versions of its edits are sealed under its
 *   content key in the same form, each with a nonce of its own: whoever opens
 *   the post opens them, and no one else (a hub holds their ciphertext).
 *
 * Randomness is a parameter (`random(n)`) so the vectors are exact; the order
 * it is drawn in is part of the vector format (PROTOCOL.md, Audiences).
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256Hasher } from '../runtime/sha256-hasher.ts';
import { bytesEqual, fromBase64url, fromHex, isLowerHex, toHex, utf8 } from './bytes.ts';
import { dmSecretOf } from './dm.ts';
import { ProtocolError } from './errors.ts';
import type { PseudonymId } from './ids.ts';
import type { SecretKey } from './keys.ts';

// Kept apart (no crypto), so the core worker's first script can write a secret link without the ciphers.
import { LINK_PREFIX, linkFragment } from './link-fragment.ts';

export { linkFragment };

/** Who may read a post. The author decides who the readers are; the protocol only seals to them. */
export type Audience =
  | { readonly kind: 'public' }
  | { readonly kind: 'followers' }
  | { readonly kind: 'allowlist'; readonly readers: readonly PseudonymId[] }
  | { readonly kind: 'link' };
export type AudienceKind = Audience['kind'];
/** The audiences whose posts are sealed. */
export type SealedAudience = Exclude<Audience, { kind: 'public' }>;

export const AUDIENCE_OBJECT_MAGIC = utf8('mau1');
export const AUDIENCE_KEYS_MAGIC = utf8('mak1');
/** Most slots one envelope holds: the author and 1023 readers. More is TooLarge (the author splits the audience). */
export const MAX_ENVELOPE_SLOTS = 1024;
/** Content key (32) sealed with its Poly1305 tag (16). */
export const SLOT_BYTES = 48;
export const ENVELOPE_HEADER_BYTES = 4 + 32;
const OBJECT_HEADER_BYTES = 4 + 24;
const TAG_BYTES = 16;
/** Each slot key is derived for one envelope and one reader and used once, so a fixed nonce never repeats a key. */
const SLOT_NONCE = new Uint8Array(24);
const SLOT_INFO = utf8('murmur audience key v1');
const LINK_INFO = utf8('murmur link v1');

/** Random bytes: crypto.getRandomValues in use, a fixed stream in the vectors. */
export type Random = (length: number) => Uint8Array;

/** A sealed post's content key, drawn before anything is sealed under it (its media come before the post). */
export interface ContentKey {
  readonly contentKey: Uint8Array;
  /** For a link: the secret the content key is derived from. */
  readonly linkSecret?: Uint8Array;
}

export interface SealedPost extends ContentKey {
  /** The `"mau1"` blob: what the post op's `object` names. */
  readonly sealed: Uint8Array;
  /** The `"mak1"` blob (followers, allowlist): what the post op's `keys` names. */
  readonly envelope?: Uint8Array;
  /** The link secret (link): goes only into the URL fragment (`linkFragment`). */
  readonly linkSecret?: Uint8Array;
}

/**
 * Seals the canonical bytes of a post object for a non-public audience.
 * Randomness is drawn in this order: content key (32) or link secret (32), nonce (24); then, for an envelope,
 * the ephemeral key (32), filler (48 per empty slot) and the shuffle (4 bytes per draw, see `shuffle`).
 * @param keys the author's DM public key (hex) and the readers' DM public keys (hex; the caller resolves
 *   followers or the allowlist's `readers` to their profiles' `dm_key`, and must tell the author about a reader
 *   without one, who cannot be sealed to); no readers for a link.
 * @throws ProtocolError TooLarge (more than MAX_ENVELOPE_SLOTS - 1 readers), MalformedId (a key not 64 hex, or
 *   a low-order point: `context.dmKey` names it);
 *   RangeError for misuse (readers given for a link).
 */
export function sealForAudience(
  audience: SealedAudience,
  plaintext: Uint8Array,
  keys: { readonly authorKey: string; readonly readerKeys: readonly string[] },
  random: Random,
  drawn?: ContentKey,
): SealedPost {
  if (audience.kind === 'link') {
    if (keys.readerKeys.length > 0) throw new RangeError('a link audience has no envelope, so no reader keys');
    const { contentKey, linkSecret } = drawn ?? drawContentKey(audience, random);
    if (!linkSecret) throw new RangeError('a link post is sealed under a key derived from its link secret');
    return { sealed: sealObject(contentKey, draw(random, 24), plaintext), contentKey, linkSecret };
  }
  const slotKeys = distinctKeys([keys.authorKey, ...keys.readerKeys]);
  const { contentKey } = drawn ?? drawContentKey(audience, random);
  const sealed = sealObject(contentKey, draw(random, 24), plaintext);
  return { sealed, contentKey, envelope: sealEnvelope(contentKey, slotKeys, random) };
}

/** A fresh content key for `audience` (for a link: derived from a fresh link secret). */
export function drawContentKey(audience: SealedAudience, random: Random): ContentKey {
  if (audience.kind !== 'link') return { contentKey: draw(random, 32) };
  const linkSecret = draw(random, 32);
  return { contentKey: linkContentKey(linkSecret), linkSecret };
}

/** One more object under a sealed post's content key (a medium, an edit's version): the same form, its own nonce. */
export function sealUnderKey(contentKey: Uint8Array, plaintext: Uint8Array, random: Random): Uint8Array {
  if (contentKey.length !== 32) throw new RangeError('a content key is 32 bytes');
  return sealObject(contentKey, draw(random, 24), plaintext);
}

/** What sealing adds to an object's length: the header and the tag. */
export const SEALED_OVERHEAD_BYTES = OBJECT_HEADER_BYTES + TAG_BYTES;

/** Whether a blob is a sealed post by its form (its magic): a store tells it from a post object without a key. */
export function isSealedPost(bytes: Uint8Array): boolean {
  return bytes.length >= OBJECT_HEADER_BYTES + TAG_BYTES && bytesEqual(bytes.subarray(0, 4), AUDIENCE_OBJECT_MAGIC);
}

/** @throws ProtocolError DecodeError (form), Undecryptable (changed bytes or another content key). */
export function openSealedObject(contentKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (contentKey.length !== 32) throw new RangeError('a content key is 32 bytes');
  if (sealed.length < OBJECT_HEADER_BYTES + TAG_BYTES || !bytesEqual(sealed.subarray(0, 4), AUDIENCE_OBJECT_MAGIC)) {
    throw new ProtocolError('DecodeError', 'not a sealed post (mau1)');
  }
  const header = sealed.subarray(0, OBJECT_HEADER_BYTES);
  try {
    return xchacha20poly1305(contentKey, sealed.subarray(4, OBJECT_HEADER_BYTES), header).decrypt(
      sealed.subarray(OBJECT_HEADER_BYTES),
    );
  } catch {
    throw new ProtocolError(
      'Undecryptable',
      'this post does not open with this key: it was changed or is another post',
    );
  }
}

/**
 * The content key in `envelope` for the pseudonym of `secretKey`, found by trial: one X25519 and at most
 * one AEAD open per slot (1024 at most, each of 48 bytes).
 * @throws ProtocolError DecodeError (form), TooLarge (more slots than MAX_ENVELOPE_SLOTS), NotAReader (no slot
 *   opens: not sealed to this pseudonym, or changed; the two cannot be told apart without a slot to compare).
 */
export function openEnvelope(envelope: Uint8Array, secretKey: SecretKey): Uint8Array {
  const slots = slotCountOf(envelope);
  const header = envelope.subarray(0, ENVELOPE_HEADER_BYTES);
  const epk = envelope.subarray(4, ENVELOPE_HEADER_BYTES);
  const dmSecret = dmSecretOf(secretKey);
  let key: Uint8Array;
  try {
    key = slotKey(x25519.getSharedSecret(dmSecret, epk), epk, x25519.getPublicKey(dmSecret));
  } catch {
    // A low-order epk: no reader's key opens anything sealed with it.
    throw new ProtocolError('NotAReader', 'this post is not shared with this pseudonym');
  }
  for (let i = 0; i < slots; i++) {
    const start = ENVELOPE_HEADER_BYTES + i * SLOT_BYTES;
    try {
      return xchacha20poly1305(key, SLOT_NONCE, header).decrypt(envelope.subarray(start, start + SLOT_BYTES));
    } catch {
      // Filler or another reader's slot: try the next.
    }
  }
  throw new ProtocolError('NotAReader', 'this post is not shared with this pseudonym (or its key list was changed)');
}

/** @throws ProtocolError as openEnvelope, then as openSealedObject. */
export function openWithEnvelope(sealed: Uint8Array, envelope: Uint8Array, secretKey: SecretKey): Uint8Array {
  return openSealedObject(openEnvelope(envelope, secretKey), sealed);
}

/** @throws ProtocolError as openSealedObject. */
export function openWithLink(sealed: Uint8Array, linkSecret: Uint8Array): Uint8Array {
  return openSealedObject(linkContentKey(linkSecret), sealed);
}

/** The content key a link secret stands for. */
export function linkContentKey(linkSecret: Uint8Array): Uint8Array {
  if (linkSecret.length !== 32) throw new RangeError('a link secret is 32 bytes');
  return hkdf(sha256Hasher, linkSecret, undefined, LINK_INFO, 32);
}

/** The envelope's length for `slots` slots (a bucket). */
export function envelopeLength(slots: number): number {
  return ENVELOPE_HEADER_BYTES + slots * SLOT_BYTES;
}

/** The smallest power of two holding `count` slots. @throws ProtocolError TooLarge past MAX_ENVELOPE_SLOTS. */
export function bucketOf(count: number): number {
  if (count > MAX_ENVELOPE_SLOTS) {
    throw new ProtocolError('TooLarge', `an audience key list holds at most ${MAX_ENVELOPE_SLOTS - 1} readers`, {
      readers: count - 1,
    });
  }
  let bucket = 1;
  while (bucket < count) bucket *= 2;
  return bucket;
}

function sealObject(contentKey: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const header = new Uint8Array(OBJECT_HEADER_BYTES);
  header.set(AUDIENCE_OBJECT_MAGIC, 0);
  header.set(nonce, 4);
  const ciphertext = xchacha20poly1305(contentKey, nonce, header).encrypt(plaintext);
  const out = new Uint8Array(OBJECT_HEADER_BYTES + ciphertext.length);
  out.set(header, 0);
  out.set(ciphertext, OBJECT_HEADER_BYTES);
  return out;
}

function sealEnvelope(contentKey: Uint8Array, readerKeys: readonly Uint8Array[], random: Random): Uint8Array {
  const bucket = bucketOf(readerKeys.length);
  const ephemeral = draw(random, 32);
  const epk = x25519.getPublicKey(ephemeral);
  const out = new Uint8Array(envelopeLength(bucket));
  out.set(AUDIENCE_KEYS_MAGIC, 0);
  out.set(epk, 4);
  const header = out.subarray(0, ENVELOPE_HEADER_BYTES);
  const slots: Uint8Array[] = readerKeys.map((readerKey) => {
    const key = slotKey(sharedWith(ephemeral, readerKey), epk, readerKey);
    return xchacha20poly1305(key, SLOT_NONCE, header).encrypt(contentKey);
  });
  // Filler: random bytes, which no one can tell from a slot sealed to a key they do not hold.
  while (slots.length < bucket) slots.push(draw(random, SLOT_BYTES));
  shuffle(slots, random).forEach((slot, i) => {
    out.set(slot, ENVELOPE_HEADER_BYTES + i * SLOT_BYTES);
  });
  return out;
}

/**
 * X25519 with a reader's published key. A low-order key (all-zero shared secret) is refused by name, with the
 * key in the context, so one follower publishing a bad `dm_key` cannot break the author's posting: the caller
 * leaves that reader out (and can say so).
 */
function sharedWith(ephemeral: Uint8Array, readerKey: Uint8Array): Uint8Array {
  try {
    return x25519.getSharedSecret(ephemeral, readerKey);
  } catch {
    throw new ProtocolError('MalformedId', 'a DM key that no one can read from (a low-order point)', {
      field: 'dm_key',
      dmKey: toHex(readerKey),
    });
  }
}

function slotKey(shared: Uint8Array, epk: Uint8Array, readerKey: Uint8Array): Uint8Array {
  // The salt names this envelope and this reader (as dm.ts's does), so no two slots share a key.
  const salt = new Uint8Array(64);
  salt.set(epk, 0);
  salt.set(readerKey, 32);
  return hkdf(sha256Hasher, shared, salt, SLOT_INFO, 32);
}

/** The keys as bytes, each once (a key listed twice would get two equal slots, telling a hub it was listed twice). */
function distinctKeys(hexKeys: readonly string[]): Uint8Array[] {
  const seen = new Set<string>();
  for (const key of hexKeys) {
    if (!isLowerHex(key, 32))
      throw new ProtocolError('MalformedId', 'a DM key: expected 64 lowercase hex characters', { field: 'dm_key' });
    seen.add(key);
  }
  bucketOf(seen.size);
  return [...seen].map(fromHex);
}

/**
 * Fisher-Yates, each index drawn from 4 random bytes (big-endian) and redrawn when it falls in the last,
 * partial, range of 2^32 (so every order is equally likely: no modulo bias).
 */
function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const range = i + 1;
    const limit = 2 ** 32 - (2 ** 32 % range);
    let value: number;
    do {
      const bytes = draw(random, 4);
      value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    } while (value >= limit);
    const j = value % range;
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function draw(random: Random, length: number): Uint8Array {
  const bytes = random(length);
  if (bytes.length !== length) throw new RangeError(`random(${length}) returned ${bytes.length} bytes`);
  return bytes;
}

/** The number of slots, checked against the form. @throws ProtocolError DecodeError, TooLarge */
function slotCountOf(envelope: Uint8Array): number {
  if (envelope.length > envelopeLength(MAX_ENVELOPE_SLOTS))
    throw new ProtocolError('TooLarge', `an audience key list holds at most ${MAX_ENVELOPE_SLOTS} slots`);
  const slots = (envelope.length - ENVELOPE_HEADER_BYTES) / SLOT_BYTES;
  const isBucket = Number.isInteger(slots) && slots >= 1 && (slots & (slots - 1)) === 0;
  if (!isBucket || !bytesEqual(envelope.subarray(0, 4), AUDIENCE_KEYS_MAGIC))
    throw new ProtocolError('DecodeError', 'not an audience key list (mak1 and a power-of-two number of slots)');
  return slots;
}

/**
 * The link secret in a fragment (`location.hash`, with its `#`). Only the exact form `linkFragment` writes is
 * accepted, so one secret has one spelling (the last character's 2 unused bits are zero).
 * @throws ProtocolError MalformedLink
 */
export function parseLinkFragment(fragment: string): Uint8Array {
  const secret = fragment.startsWith(LINK_PREFIX) ? fromBase64url(fragment.slice(LINK_PREFIX.length)) : undefined;
  if (secret?.length !== 32 || linkFragment(secret) !== fragment) {
    throw new ProtocolError(
      'MalformedLink',
      'this link does not carry a key: expected #k= and 43 base64url characters',
    );
  }
  return secret;
}
