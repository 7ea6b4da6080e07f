/**
 * The hives a pseudonym owns, kept in its private document so that each of
 * its devices can act as their owner: a hive's key derives from the owner's
 * key and the charter's nonce (hive-key.ts), and without the nonce only the
 * device that made the hive could. The private document travels sealed
 * (private-seal.ts), like drafts and link keys, so no hub learns which hives
 * a pseudonym owns beyond what the charters say publicly.
 *
 * `ownedHives`: Y.Map of hive id -> { nonce, hubs, createdAt, name?, handle? }
 * (written when a hive is made, with its name then; the handle added once its
 * key claims one).
 * A reader checks an entry against the key before trusting it
 * (hives/adopt-owned.ts).
 */
import type * as Y from 'yjs';
import { checkHubOrigins } from '../../src/protocol/fields.ts';
import { type PseudonymId, isPseudonymId } from '../../src/protocol/ids.ts';

export interface OwnedHiveEntry {
  readonly hive: PseudonymId;
  readonly nonce: string;
  readonly hubs: readonly string[];
  readonly createdAt: number;
  /** Its name when made (the charter says the current one). */
  readonly name?: string;
  readonly handle?: string;
}

const OWNED = 'ownedHives';
/** A hive lives on a few hubs (as a feed's profile names a few). */
const MAX_HUBS = 8;

/** Records (or updates: a handle claimed later) a hive the pseudonym owns (call inside a transaction). */
export function recordOwnedHive(doc: Y.Doc, entry: OwnedHiveEntry): void {
  const { hive, nonce, hubs, createdAt, name, handle } = entry;
  const value = { nonce, hubs: [...hubs], createdAt, ...(name && { name }), ...(handle && { handle }) };
  doc.getMap<unknown>(OWNED).set(hive, value);
}

/** Every well-formed entry; anything else (another version's, a damaged one) is left out, not trusted. */
export function ownedHivesOf(doc: Y.Doc): OwnedHiveEntry[] {
  const out: OwnedHiveEntry[] = [];
  doc.getMap<unknown>(OWNED).forEach((value, hive) => {
    const { nonce, hubs, createdAt, name, handle } = (value ?? {}) as Record<string, unknown>;
    if (!isPseudonymId(hive) || typeof nonce !== 'string' || typeof createdAt !== 'number') return;
    try {
      checkHubOrigins(hubs, MAX_HUBS);
    } catch {
      return;
    }
    if (hubs.length === 0 || (handle !== undefined && typeof handle !== 'string')) return;
    if (name !== undefined && typeof name !== 'string') return;
    out.push({ hive, nonce, hubs, createdAt, ...(name && { name }), ...(handle && { handle }) });
  });
  return out;
}
