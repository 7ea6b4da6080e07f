/**
 * The CoreApi methods for keys and storage: rename, retire, encrypted
 * export and import, the at-rest lock, and storage figures. Each delegates
 * to the keyring, backup and key-lock modules; none returns a secret.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change, CoreApi, StorageInfo } from './api-types.ts';
import { backupFileName, decodeBackup, encodeBackup } from '../keys/backup.ts';
import type { CoreDb } from '../store/db.ts';
import { CoreError, asResult } from '../errors.ts';
import { vaultOf } from '../keys/key-lock.ts';
import {
  type Random,
  getPseudonym,
  getSecretKey,
  importPseudonymRow,
  renamePseudonym,
  retirePseudonym,
  summaryOf,
} from '../keys/keyring.ts';
import type { ScryptParams } from '../keys/passphrase.ts';
import { packedPostCount } from '../store/lazy-posts.ts';

/** The part of navigator.storage a worker can use. */
export interface StorageEstimator {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted?(): Promise<boolean>;
}

export interface KeysDeps {
  readonly db: CoreDb;
  readonly now: () => number;
  readonly random: Random;
  readonly emit: (change: Change) => void;
  readonly storage?: StorageEstimator;
  /** Cost of the passphrase KDF (tests may lower it; the default is passphrase.ts's). */
  readonly scrypt?: ScryptParams;
  /** Called after a pseudonym is removed, to stop its sync and streams. */
  readonly retired?: (pseudonym: PseudonymId) => Promise<void>;
  /** Puts the pseudonym's signed retirement on its hubs (retire-everywhere.ts). */
  readonly publishRetirement?: (pseudonym: PseudonymId) => Promise<void>;
}

export type KeysApi = Pick<
  CoreApi,
  | 'renamePseudonym'
  | 'retirePseudonym'
  | 'exportPseudonym'
  | 'importPseudonym'
  | 'setLock'
  | 'unlock'
  | 'lock'
  | 'getLockState'
  | 'getStorageInfo'
>;

export function createKeysApi(deps: KeysDeps): KeysApi {
  const { db, emit } = deps;
  const vault = vaultOf(db, deps.random, deps.scrypt);
  const passphraseOf = (text: unknown) => {
    if (typeof text !== 'string' || text.length === 0)
      throw new CoreError('InvalidField', 'a passphrase is needed', { field: 'passphrase' });
    return text;
  };
  return {
    renamePseudonym: (pseudonym, name) =>
      asResult(async () => {
        const row = await renamePseudonym(db, pseudonym, name);
        emit({ kind: 'pseudonyms', pseudonym });
        return summaryOf(row);
      }),
    retirePseudonym: (pseudonym, options = {}) =>
      asResult(async () => {
        if (options.everywhere) {
          if (!deps.publishRetirement) throw new TypeError('this core cannot reach hubs to retire a pseudonym');
          await deps.publishRetirement(pseudonym);
        }
        await retirePseudonym(db, pseudonym);
        await deps.retired?.(pseudonym);
        emit({ kind: 'pseudonyms', pseudonym });
        return null;
      }),
    exportPseudonym: (pseudonym, passphrase) =>
      asResult(async () => {
        const row = await getPseudonym(db, pseudonym);
        const secretKey = await getSecretKey(db, pseudonym);
        const random = { salt: deps.random(new Uint8Array(16)), nonce: deps.random(new Uint8Array(24)) };
        const bytes = await encodeBackup({ ...row, secretKey }, passphraseOf(passphrase), random, deps.scrypt);
        return { fileName: backupFileName(row.name, deps.now()), bytes };
      }),
    importPseudonym: (bytes, passphrase) =>
      asResult(async () => {
        if (!(bytes instanceof Uint8Array)) throw new CoreError('BackupUnreadable', 'no backup file was given');
        const { secretKey, ...contents } = await decodeBackup(bytes, passphraseOf(passphrase));
        const row = await importPseudonymRow(db, contents, secretKey);
        secretKey.fill(0);
        emit({ kind: 'pseudonyms', pseudonym: row.id });
        return summaryOf(row);
      }),
    setLock: (passphrase) =>
      asResult(async () => {
        const state = await vault.setLock(passphrase === undefined ? undefined : passphraseOf(passphrase));
        emit({ kind: 'lock' });
        return state;
      }),
    unlock: (passphrase) =>
      asResult(async () => {
        const state = await vault.unlock(passphraseOf(passphrase));
        emit({ kind: 'lock' });
        return state;
      }),
    async lock() {
      const state = await vault.lock();
      emit({ kind: 'lock' });
      return state;
    },
    getLockState: () => vault.state(),
    async getStorageInfo(): Promise<StorageInfo> {
      const none: { usage?: number; quota?: number } = {};
      const [estimate, persisted, posts, blobs] = await Promise.all([
        deps.storage?.estimate().catch(() => none) ?? none,
        deps.storage?.persisted?.().catch(() => false) ?? false,
        // Stubs (posts named but not held) are not in the index; posts only packs hold yet are (lazy-posts.ts).
        Promise.all([db.countFromIndex('posts', 'byAuthorTs'), packedPostCount(db)]).then(
          ([rows, packed]) => rows + packed,
        ),
        db.count('blobs'),
      ]);
      return {
        persisted,
        posts,
        blobs,
        ...(estimate.usage !== undefined && { usage: estimate.usage }),
        ...(estimate.quota !== undefined && { quota: estimate.quota }),
      };
    },
  };
}
