/**
 * The encrypted backup of one pseudonym: a versioned container in the
 * protocol's canonical encoding (so one backup has exactly one byte form and
 * a vector pins it):
 *
 *   {"aead":{"name":"xchacha20poly1305","nonce":HEX24},"check":HEX16,
 *    "ciphertext":HEX,"kdf":{"N":..,"name":"scrypt","p":1,"r":8,"salt":HEX16},
 *    "murmur":"pseudonym-backup","version":1}
 *
 * The ciphertext is XChaCha20-Poly1305 of the canonical contents (secret key,
 * id, name, handle, hubs, createdAt) under a key from the passphrase
 * (passphrase.ts); every other field of the container is the associated
 * data, so no header field can be changed unnoticed either.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { fromHex, isLowerHex, toHex } from '../../src/protocol/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/protocol/canonical.ts';
import { type PseudonymId, isPseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf } from '../../src/protocol/keys.ts';
import { CoreError } from '../errors.ts';
import { SCRYPT_DEFAULT, type ScryptParams, derivePassphraseKeys, isAcceptedScrypt, sameBytes } from './passphrase.ts';

export const BACKUP_VERSION = 1;
const KIND = 'pseudonym-backup';

export interface BackupContents {
  readonly id: PseudonymId;
  readonly secretKey: SecretKey;
  readonly name: string;
  readonly handle?: string;
  readonly hubs: readonly string[];
  readonly createdAt: number;
}

/** Fresh randomness for one backup (passed in so vectors are reproducible). */
export interface BackupRandom {
  /** 16 bytes. */
  readonly salt: Uint8Array;
  /** 24 bytes (XChaCha's extended nonce: random nonces never collide in practice). */
  readonly nonce: Uint8Array;
}

/** @throws RangeError for a salt or nonce of the wrong length. */
export async function encodeBackup(
  contents: BackupContents,
  passphrase: string,
  random: BackupRandom,
  params: ScryptParams = SCRYPT_DEFAULT,
): Promise<Uint8Array> {
  if (random.salt.length !== 16 || random.nonce.length !== 24)
    throw new RangeError('a backup needs a 16-byte salt and a 24-byte nonce');
  const { key, check } = await derivePassphraseKeys(passphrase, random.salt, params, 'backup');
  const header = {
    aead: { name: 'xchacha20poly1305', nonce: toHex(random.nonce) },
    check: toHex(check),
    kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: toHex(random.salt) },
    murmur: KIND,
    version: BACKUP_VERSION,
  };
  const plain = encodeCanonical({
    createdAt: contents.createdAt,
    handle: contents.handle,
    hubs: [...contents.hubs],
    id: contents.id,
    name: contents.name,
    secretKey: toHex(contents.secretKey),
    version: BACKUP_VERSION,
  });
  const sealed = xchacha20poly1305(key, random.nonce, encodeCanonical(header)).encrypt(plain);
  plain.fill(0);
  return encodeCanonical({ ...header, ciphertext: toHex(sealed) });
}

/**
 * @throws CoreError BackupUnreadable (not a Murmur backup, or a version or cost
 *   we do not accept), WrongPassphrase, BackupTampered (the passphrase is right
 *   but the contents fail authentication or do not match their key).
 */
export async function decodeBackup(bytes: Uint8Array, passphrase: string): Promise<BackupContents> {
  const { header, ciphertext } = parseContainer(bytes);
  const salt = fromHex(header.kdf.salt);
  const { key, check } = await derivePassphraseKeys(passphrase, salt, header.kdf, 'backup');
  if (!sameBytes(check, fromHex(header.check)))
    throw new CoreError('WrongPassphrase', 'That passphrase does not open this backup.');
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(key, fromHex(header.aead.nonce), encodeCanonical(header)).decrypt(ciphertext);
  } catch {
    throw new CoreError('BackupTampered', 'This backup file was changed or damaged after it was made.');
  }
  return parseContents(plain);
}

interface Header {
  aead: { name: 'xchacha20poly1305'; nonce: string };
  check: string;
  kdf: ScryptParams & { name: 'scrypt'; salt: string };
  murmur: typeof KIND;
  version: number;
}

function unreadable(why: string): CoreError {
  return new CoreError('BackupUnreadable', `This is not a Murmur backup this version can read (${why}).`);
}

function parseContainer(bytes: Uint8Array): { header: Header; ciphertext: Uint8Array } {
  let value: unknown;
  try {
    value = decodeCanonical(bytes);
  } catch {
    throw unreadable('not canonical JSON');
  }
  const v = value as Partial<Header> & { ciphertext?: unknown };
  if (typeof v !== 'object' || v === null || v.murmur !== KIND) throw unreadable('no backup marker');
  if (v.version !== BACKUP_VERSION) throw unreadable(`version ${String(v.version)}`);
  const { aead, kdf } = v;
  if (aead?.name !== 'xchacha20poly1305' || !isLowerHex(aead.nonce, 24)) throw unreadable('unknown cipher');
  if (kdf?.name !== 'scrypt' || !isLowerHex(kdf.salt, 16) || !isAcceptedScrypt(kdf))
    throw unreadable('unknown or unsafe key derivation');
  if (!isLowerHex(v.check, 16) || typeof v.ciphertext !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(v.ciphertext))
    throw unreadable('bad fields');
  if (Object.keys(v).length !== 6 || Object.keys(aead).length !== 2 || Object.keys(kdf).length !== 5)
    throw unreadable('unknown fields');
  const { ciphertext, ...header } = v;
  return { header: header as Header, ciphertext: fromHex(ciphertext) };
}

function parseContents(plain: Uint8Array): BackupContents {
  let c: Record<string, unknown>;
  try {
    c = decodeCanonical(plain) as Record<string, unknown>;
  } catch {
    throw new CoreError('BackupTampered', 'The backup decrypted to something that is not a pseudonym.');
  }
  const { id, secretKey, name, handle, hubs, createdAt } = c;
  const valid =
    c.version === BACKUP_VERSION &&
    isPseudonymId(id) &&
    isLowerHex(secretKey, 32) &&
    typeof name === 'string' &&
    (handle === undefined || typeof handle === 'string') &&
    Array.isArray(hubs) &&
    hubs.every((h) => typeof h === 'string') &&
    Number.isSafeInteger(createdAt);
  if (!valid) throw new CoreError('BackupTampered', 'The backup decrypted to something that is not a pseudonym.');
  const key = fromHex(secretKey as string);
  if (pseudonymOf(key) !== id)
    throw new CoreError('BackupTampered', 'The key in this backup does not belong to the pseudonym it names.');
  return {
    id,
    secretKey: key,
    name,
    hubs: hubs as string[],
    createdAt: createdAt as number,
    ...(handle !== undefined && { handle: handle as string }),
  };
}

/**
 * A file name that says what it is without naming the pseudonym's id (the name the person chose is theirs to share).
 */
export function backupFileName(name: string, now: number): string {
  const safe =
    name
      .replace(/[^\p{L}\p{N}_-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'pseudonym';
  return `murmur-${safe}-${new Date(now).toISOString().slice(0, 10)}.murmur`;
}
