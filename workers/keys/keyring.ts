/**
 * The keyring: pseudonyms and their secret keys. Keys are made here from
 * injected randomness, stored in the pseudonyms store, and read back only by
 * the worker's signing paths; summaries (no secrets) are what leaves.
 */
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import type { CoreDb, PointerOwedRow, PseudonymRow } from '../store/db.ts';
import { CoreError } from '../errors.ts';
import { vaultOf } from './key-lock.ts';
// Listing apart, so the first screen lists pseudonyms before the keys' crypto is loaded (api/early-api.ts).
export { listPseudonyms, summaryOf } from './summaries.ts';
import type { KeySource, OwedPointers } from './key-source.ts';
import { ROW_STORES, postsSeenBy, rebuildRows, refreshAuthorRows } from '../store/timeline-rows.ts';
import { parseHubOrigin } from './hub-origin.ts';

export { parseHubOrigin };

const MAX_NAME_CHARS = 64;

/** Fills the array with random bytes and returns it (the shape of crypto.getRandomValues). */
export type Random = (array: Uint8Array<ArrayBuffer>) => Uint8Array;

/**
 * Makes a new keypair from 32 random bytes and stores it.
 * @throws CoreError InvalidField for an empty or overlong name or a bad hub origin.
 */
export async function createPseudonym(
  db: CoreDb,
  input: { name: string; homeHub: string },
  random: Random,
  now: number,
): Promise<PseudonymRow> {
  const name = parseDisplayName(input.name);
  const hub = parseHubOrigin(input.homeHub);
  const secretKey = secretKeyFrom(random(new Uint8Array(32)));
  const id = pseudonymOf(secretKey);
  const row: PseudonymRow = { id, name, hubs: [hub], createdAt: now, ...(await vaultOf(db).keyFields(id, secretKey)) };
  await db.add('pseudonyms', row);
  return row;
}

/** @throws CoreError InvalidField for an empty or overlong name. */
export function parseDisplayName(text: string): string {
  const name = text.trim();
  if (name.length === 0 || [...name].length > MAX_NAME_CHARS || !name.isWellFormed()) {
    throw new CoreError('InvalidField', `a display name is 1 to ${MAX_NAME_CHARS} characters`, { field: 'name' });
  }
  return name;
}

/** @throws CoreError InvalidField; ProtocolError NotFound */
export async function renamePseudonym(db: CoreDb, id: PseudonymId, text: string): Promise<PseudonymRow> {
  const name = parseDisplayName(text);
  const tx = db.transaction('pseudonyms', 'readwrite');
  const row = await tx.store.get(id);
  if (!row) {
    await tx.done;
    throw new ProtocolError('NotFound', `no pseudonym ${id} on this device`);
  }
  const renamed = { ...row, name };
  await Promise.all([tx.store.put(renamed), tx.done]);
  return renamed;
}

/** At most this many hubs beyond home: each costs a request per sync. */
export const MAX_OTHER_HUBS = 8;

/**
 * Sets the hubs our feed is copied to beyond home (home stays first and
 * unchanged). @throws CoreError InvalidField; ProtocolError NotFound
 */
export async function setOtherHubs(db: CoreDb, id: PseudonymId, others: readonly string[]): Promise<PseudonymRow> {
  const parsed = others.map((text) => parseHubOrigin(text));
  const tx = db.transaction('pseudonyms', 'readwrite');
  const row = await tx.store.get(id);
  if (!row) {
    await tx.done;
    throw new ProtocolError('NotFound', `no pseudonym ${id} on this device`);
  }
  const home = homeHubOf(row);
  const hubs = [home, ...new Set(parsed.filter((h) => h !== home))];
  if (hubs.length - 1 > MAX_OTHER_HUBS) {
    await tx.done;
    throw new CoreError('InvalidField', `at most ${MAX_OTHER_HUBS} hubs beside the home hub`, { field: 'hubs' });
  }
  const updated = { ...row, hubs };
  await Promise.all([tx.store.put(updated), tx.done]);
  return updated;
}

/**
 * Makes `hubs[0]` the pseudonym's home, the rest its other hubs, and records its handle there (moving hubs,
 * sync/move-hub.ts); its own timeline rows then show the new handle.
 * @throws ProtocolError NotFound
 */
export async function setHome(
  db: CoreDb,
  id: PseudonymId,
  hubs: readonly string[],
  handle: string | undefined,
): Promise<PseudonymRow> {
  const tx = db.transaction('pseudonyms', 'readwrite');
  const row = await tx.store.get(id);
  if (!row) {
    await tx.done;
    throw new ProtocolError('NotFound', `no pseudonym ${id} on this device`);
  }
  const former = row.handle !== undefined && handle !== undefined && handle !== row.handle ? [row.handle] : [];
  const formerHandles = [...new Set([...(row.formerHandles ?? []), ...former])];
  const updated: PseudonymRow = {
    ...row,
    hubs: [...hubs],
    ...(handle !== undefined && { handle }),
    ...(formerHandles.length > 0 && { formerHandles }),
  };
  await Promise.all([tx.store.put(updated), tx.done]);
  await refreshAuthorRows(db, [id]);
  return updated;
}

/** Stores of rows that belong to one local pseudonym, keyed [pseudonym, ...]. */
const OWNED_STORES = [
  'outbox',
  'follows',
  'dms',
  'deliveries',
  'notifications',
  'inboxCursors',
  'contacts',
  'privateUpdates',
  'privateSync',
] as const;

/**
 * Removes the pseudonym, its key, its queued commits and the rows only it
 * uses from this device, in one transaction. Commits and objects stay: they
 * are public, content-addressed and may be shared with other pseudonyms here.
 * @throws ProtocolError NotFound
 */
export async function retirePseudonym(db: CoreDb, id: PseudonymId): Promise<void> {
  const stores = OWNED_STORES.filter((s) => db.objectStoreNames.contains(s));
  const tx = db.transaction([...new Set(['pseudonyms', ...stores, ...ROW_STORES] as const)], 'readwrite');
  if (!(await tx.objectStore('pseudonyms').getKey(id))) {
    await tx.done;
    throw new ProtocolError('NotFound', `no pseudonym ${id} on this device`);
  }
  // [id] < [id, anything that is not an array] < [id, []] in IndexedDB's key order.
  const range = IDBKeyRange.bound([id], [id, []]);
  const seen = await postsSeenBy(tx as never, id);
  await Promise.all([tx.objectStore('pseudonyms').delete(id), ...stores.map((s) => tx.objectStore(s).delete(range))]);
  // Its timeline is an index of the post rows: rebuilt without it, they leave the index.
  await Promise.all([rebuildRows(tx as never, seen), tx.done]);
}

/**
 * Adds an imported pseudonym; importing one already here changes nothing.
 * @throws CoreError Locked (a lock is set and closed)
 */
export async function importPseudonymRow(
  db: CoreDb,
  input: Omit<PseudonymRow, 'secretKey' | 'sealedKey'>,
  secretKey: SecretKey,
): Promise<PseudonymRow> {
  const existing = await db.get('pseudonyms', input.id);
  if (existing) return existing;
  const row: PseudonymRow = { ...input, ...(await vaultOf(db).keyFields(input.id, secretKey)) };
  const tx = db.transaction('pseudonyms', 'readwrite');
  const raced = await tx.store.get(input.id); // another tab imported it meanwhile
  if (!raced) await tx.store.add(row);
  await tx.done;
  return raced ?? row;
}

/** @throws ProtocolError NotFound */
export async function getPseudonym(db: CoreDb, id: PseudonymId): Promise<PseudonymRow> {
  const row = await db.get('pseudonyms', id);
  if (!row) throw new ProtocolError('NotFound', `no pseudonym ${id} on this device`);
  return row;
}

/** The secret key, for signing inside the worker only. @throws ProtocolError NotFound; CoreError Locked */
export async function getSecretKey(db: CoreDb, id: PseudonymId): Promise<SecretKey> {
  return vaultOf(db).secretKeyOf(await getPseudonym(db, id));
}

export function homeHubOf(row: PseudonymRow): string {
  const home = row.hubs[0];
  if (!home) throw new CoreError('InvalidField', `pseudonym ${row.id} has no home hub`);
  return home;
}

/** The keyring as a KeySource (key-source.ts): what the sync engine and local commits read of it. */
export function keyringSource(db: CoreDb): KeySource {
  return {
    listPseudonyms: () => db.getAllKeys('pseudonyms'),
    getHubs: async (id) => (await getPseudonym(db, id)).hubs,
    findHandle: async (id) => (await getPseudonym(db, id)).handle,
    listFormerHandles: async (id) => (await getPseudonym(db, id)).formerHandles ?? [],
    getSecretKey: (id) => getSecretKey(db, id),
  };
}

/** The pointers a moved feed still owes the hubs it left, on the pseudonym's row (sync/pointer-retry.ts). */
export function keyringOwedPointers(db: CoreDb): OwedPointers {
  const change = async (id: PseudonymId, edit: (owed: readonly PointerOwedRow[]) => PointerOwedRow[]) => {
    const tx = db.transaction('pseudonyms', 'readwrite');
    const row = await tx.store.get(id);
    // A pseudonym removed meanwhile owes nothing.
    if (row) await tx.store.put({ ...row, pointersOwed: edit(row.pointersOwed ?? []) });
    await tx.done;
  };
  return {
    list: async (id) => (await db.get('pseudonyms', id))?.pointersOwed ?? [],
    put: (id, { hub, pointer }) => change(id, (owed) => [...owed.filter((o) => o.hub !== hub), { hub, pointer }]),
    settle: (id, hub) => change(id, (owed) => owed.filter((o) => o.hub !== hub)),
  };
}
