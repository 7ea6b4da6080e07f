/**
 * The hives a device's pseudonyms own, and the key source that signs as them.
 * A hive's key is derived from its owner's key and the charter's nonce
 * (hive-key.ts), so a row holds no secret: only which owner, which nonce and
 * which hubs. Signing asks the keyring for the owner's key each time (a
 * passphrase lock applies to the hive as to its owner). The hive's own feed
 * is pushed by a sync engine over this source, as a pseudonym's is. The
 * worker keeps the rows in IndexedDB (idb-hives.ts), the command line in its
 * home (src/cli/home/hive-files.ts).
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { deriveHiveKey } from '../../src/protocol/hive-key.ts';
import { CoreError } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';

export interface OwnedHive {
  readonly hive: PseudonymId;
  readonly owner: PseudonymId;
  /** The charter's nonce (hex). */
  readonly nonce: string;
  /** Hub origins, home first: where the hive's feed and board live. */
  readonly hubs: readonly string[];
  readonly createdAt: number;
  /** The hubs that took the hive's board policy (inbox mode `board`) so far. */
  readonly boardOn?: readonly string[];
  /** Its handle once its key claimed one (a listed hive). */
  readonly handle?: string;
}

/** Where a device keeps the hives it owns (the worker's meta store; a Node client its own file). */
export interface OwnedHives {
  list(): Promise<OwnedHive[]>;
  find(hive: PseudonymId): Promise<OwnedHive | undefined>;
  put(row: OwnedHive): Promise<void>;
}

/**
 * Keys for the hives of `owned`, over the owners' keys in `owners`.
 * @throws (getHubs, getSecretKey) ProtocolError-like CoreError NotFound for a hive this device does not own.
 */
export function hiveKeySource(owned: OwnedHives, owners: KeySource): KeySource {
  const row = async (hive: PseudonymId) => {
    const found = await owned.find(hive);
    if (!found) throw new CoreError('NotFound', `this device owns no hive ${hive}`);
    return found;
  };
  return {
    listPseudonyms: async () => (await owned.list()).map((r) => r.hive),
    getHubs: async (hive) => (await row(hive)).hubs,
    findHandle: async () => undefined,
    async getSecretKey(hive) {
      const { owner, nonce } = await row(hive);
      return deriveHiveKey(await owners.getSecretKey(owner), nonce).secretKey;
    },
  };
}

/** A hive a pseudonym of this device made or joined: where it is, so its screen can list and read it. */
export interface KnownHive {
  readonly pseudonym: PseudonymId;
  readonly hive: PseudonymId;
  readonly hubs: readonly string[];
  /** Its name when last read here. */
  readonly name?: string;
  readonly since: number;
  /** Left since (a leave), still listed so it can be found again. */
  readonly left?: boolean;
}

/** The hives each pseudonym of a device knows (kept beside the owned ones, per pseudonym: never shared). */
export interface KnownHives {
  list(pseudonym: PseudonymId): Promise<KnownHive[]>;
  put(row: KnownHive): Promise<void>;
}
