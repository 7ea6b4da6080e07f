/**
 * Taking up, on this device, the hives its pseudonym made on another
 * (private/owned-hives-doc.ts): each entry whose nonce derives the hive's
 * key from the owner's (so a damaged or planted entry names no hive it
 * cannot sign for) becomes an owned row here, and a known one for the
 * owner's list, and the hive's feed is fetched and pushed by its sync engine.
 * An entry already held only brings a handle claimed since.
 */
import { deriveHiveKey } from '../../src/protocol/hive-key.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { OwnedHiveEntry } from '../private/owned-hives-doc.ts';
import type { KnownHives, OwnedHives } from './owned-hives.ts';

export interface AdoptOwnedDeps {
  readonly owned: OwnedHives;
  readonly known: KnownHives;
  readonly keys: KeySource;
  readonly now: () => number;
  /** Pulls and pushes the hive's own feed (its sync engine). */
  readonly syncHive: (hive: PseudonymId) => void;
}

/** @returns how many hives were taken up or changed here */
export async function adoptOwnedHives(
  deps: AdoptOwnedDeps,
  owner: PseudonymId,
  entries: readonly OwnedHiveEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const ownerKey = await deps.keys.getSecretKey(owner);
  let changed = 0;
  for (const entry of entries) {
    const held = await deps.owned.find(entry.hive);
    if (held && (held.owner !== owner || held.handle === entry.handle || !entry.handle)) continue;
    let derived: PseudonymId;
    try {
      derived = deriveHiveKey(ownerKey, entry.nonce).hive;
    } catch {
      continue; // a malformed nonce
    }
    if (derived !== entry.hive) continue;
    if (held) {
      await deps.owned.put({ ...held, handle: entry.handle! });
    } else {
      const { hive, nonce, hubs, createdAt, name, handle } = entry;
      await deps.owned.put({ hive, owner, nonce, hubs, createdAt, ...(handle && { handle }) });
      const mine = (await deps.known.list(owner)).some((k) => k.hive === hive);
      if (!mine) await deps.known.put({ pseudonym: owner, hive, hubs, since: deps.now(), ...(name && { name }) });
      deps.syncHive(hive);
    }
    changed++;
  }
  return changed;
}
