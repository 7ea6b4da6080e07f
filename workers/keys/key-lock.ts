/**
 * The optional passphrase lock of secret keys at rest. With a lock set, every
 * pseudonym row holds its key sealed (XChaCha20-Poly1305 under a key derived
 * from the passphrase, the pseudonym id as associated data) and no plaintext
 * key is written to IndexedDB. unlock() keeps the derived key in this
 * worker's memory only; lock() forgets it; signing while locked fails with
 * 'Locked'. Each tab's worker unlocks for itself (memory is not shared).
 *
 * What it does not do: IndexedDB may keep overwritten plaintext in its files
 * until the browser compacts them, so a lock set after keys were stored
 * protects new copies at once and old ones eventually.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import type { LockState } from '../api/api-types.ts';
import type { CoreDb, PseudonymRow } from '../store/db.ts';
import { CoreError } from '../errors.ts';
import { SCRYPT_DEFAULT, type ScryptParams, derivePassphraseKeys, sameBytes } from './passphrase.ts';
import { LOCK_META_KEY } from './lock-row.ts';

interface LockMeta extends ScryptParams {
  readonly version: 1;
  readonly salt: Uint8Array;
  readonly check: Uint8Array;
}

type Random = (array: Uint8Array<ArrayBuffer>) => Uint8Array;

const locked = () => new CoreError('Locked', 'Your keys are locked. Unlock them with your passphrase to post or sync.');

export class KeyVault {
  /** The lock key while unlocked, with the salt it belongs to (another tab may re-key). */
  #open: { key: Uint8Array; salt: Uint8Array } | undefined;

  readonly #db: CoreDb;
  readonly #random: Random;
  readonly #params: ScryptParams;
  constructor(db: CoreDb, random: Random, params: ScryptParams = SCRYPT_DEFAULT) {
    this.#db = db;
    this.#random = random;
    this.#params = params;
  }

  async state(): Promise<LockState> {
    const meta = await this.#meta();
    return !meta ? 'none' : this.#keyFor(meta) ? 'unlocked' : 'locked';
  }

  /** The row's secret key for signing. @throws CoreError Locked */
  async secretKeyOf(row: PseudonymRow): Promise<SecretKey> {
    if (row.secretKey) return row.secretKey;
    if (!row.sealedKey) throw new CoreError('NotFound', `pseudonym ${row.id} has no key on this device`);
    const key = this.#keyFor(await this.#meta());
    if (!key) throw locked();
    return unseal(key, row);
  }

  /** The key fields of a new row: sealed when a lock is set. @throws CoreError Locked when locked. */
  async keyFields(id: PseudonymId, secretKey: SecretKey): Promise<Pick<PseudonymRow, 'secretKey' | 'sealedKey'>> {
    const meta = await this.#meta();
    if (!meta) return { secretKey };
    const key = this.#keyFor(meta);
    if (!key) throw locked();
    return { sealedKey: seal(key, id, secretKey, this.#random) };
  }

  /** Sets (or with undefined, removes) the lock; re-keys when one is set and open. @throws CoreError Locked */
  async setLock(passphrase: string | undefined): Promise<LockState> {
    const meta = await this.#meta();
    const oldKey = meta && this.#keyFor(meta);
    if (meta && !oldKey) throw locked();
    let next: { meta: LockMeta; key: Uint8Array } | undefined;
    if (passphrase !== undefined) {
      if (passphrase.length === 0)
        throw new CoreError('InvalidField', 'a passphrase cannot be empty', { field: 'passphrase' });
      const salt = this.#random(new Uint8Array(16));
      const { key, check } = await derivePassphraseKeys(passphrase, salt, this.#params, 'lock');
      next = { meta: { version: 1, ...this.#params, salt, check }, key };
    }
    // Derivation done first: the transaction below awaits only IndexedDB.
    const tx = this.#db.transaction(['pseudonyms', 'meta'], 'readwrite');
    const rows = await tx.objectStore('pseudonyms').getAll();
    const writes: Promise<unknown>[] = [];
    for (const row of rows) {
      const plain = row.secretKey ?? (oldKey && row.sealedKey ? unseal(oldKey, row) : undefined);
      if (!plain) continue; // a row without a key of ours: left as it is
      const { secretKey: _s, sealedKey: _k, ...rest } = row;
      writes.push(
        tx
          .objectStore('pseudonyms')
          .put(
            next ? { ...rest, sealedKey: seal(next.key, row.id, plain, this.#random) } : { ...rest, secretKey: plain },
          ),
      );
    }
    writes.push(
      next
        ? tx.objectStore('meta').put({ key: LOCK_META_KEY, value: next.meta })
        : tx.objectStore('meta').delete(LOCK_META_KEY),
    );
    await Promise.all([...writes, tx.done]);
    this.#open = next && { key: next.key, salt: next.meta.salt };
    return next ? 'unlocked' : 'none';
  }

  /** @throws CoreError WrongPassphrase */
  async unlock(passphrase: string): Promise<LockState> {
    const meta = await this.#meta();
    if (!meta) return 'none';
    const { key, check } = await derivePassphraseKeys(passphrase, meta.salt, meta, 'lock');
    if (!sameBytes(check, meta.check))
      throw new CoreError('WrongPassphrase', 'That passphrase does not unlock your keys.');
    this.#open = { key, salt: meta.salt };
    return 'unlocked';
  }

  async lock(): Promise<LockState> {
    this.#open?.key.fill(0);
    this.#open = undefined;
    return (await this.#meta()) ? 'locked' : 'none';
  }

  async #meta(): Promise<LockMeta | undefined> {
    return (await this.#db.get('meta', LOCK_META_KEY))?.value as LockMeta | undefined;
  }

  #keyFor(meta: LockMeta | undefined): Uint8Array | undefined {
    return meta && this.#open && sameBytes(this.#open.salt, meta.salt) ? this.#open.key : undefined;
  }
}

function seal(
  key: Uint8Array,
  id: PseudonymId,
  secretKey: SecretKey,
  random: Random,
): { nonce: Uint8Array; ciphertext: Uint8Array } {
  const nonce = random(new Uint8Array(24));
  return { nonce, ciphertext: xchacha20poly1305(key, nonce, new TextEncoder().encode(id)).encrypt(secretKey) };
}

function unseal(key: Uint8Array, row: PseudonymRow): SecretKey {
  const { nonce, ciphertext } = row.sealedKey!;
  try {
    return xchacha20poly1305(key, nonce, new TextEncoder().encode(row.id)).decrypt(ciphertext);
  } catch {
    throw new CoreError('BackupTampered', `the stored key of ${row.id} fails authentication`);
  }
}

const vaults = new WeakMap<CoreDb, KeyVault>();

/**
 * The vault of this database handle (one per worker). Kept beside the handle
 * rather than passed through every module, because every signing path
 * already reaches keys through getSecretKey(db, id).
 */
export function vaultOf(db: CoreDb, random?: Random, params?: ScryptParams): KeyVault {
  let vault = vaults.get(db);
  if (!vault) {
    vault = new KeyVault(db, random ?? ((a) => crypto.getRandomValues(a)), params);
    vaults.set(db, vault);
  }
  return vault;
}
