/**
 * Where a person reads its inbox and which DM key it uses, as one local
 * pseudonym knows it: the contact row (what the person signed inside a DM,
 * or what a handle resolved to) first, then the follow hints any feed held
 * here published about it.
 */
import { hubOrigin, parseHandle } from '../../src/protocol/handle-names.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { ContactRow, CoreDb } from '../store/db.ts';

/** Hub origins where `peer` reads its inbox, best first (possibly none). */
export async function findHubsOf(db: CoreDb, owner: PseudonymId, peer: PseudonymId): Promise<string[]> {
  const [local, contact, follows] = await Promise.all([
    db.get('pseudonyms', peer),
    db.get('contacts', [owner, peer]),
    db.getAllFromIndex('follows', 'byTarget', peer),
  ]);
  const hubs: string[] = [...(local?.hubs ?? []), ...(contact?.hubs ?? [])];
  // Newest follow hint first: a feed that moved hubs says so in its later follows.
  for (const f of follows.sort((a, b) => b.ts - a.ts)) {
    hubs.push(...f.hubs);
    if (f.handle) {
      try {
        hubs.push(hubOrigin(parseHandle(f.handle).host));
      } catch {
        // a follow hint is unverified text: a malformed one just gives no hub
      }
    }
  }
  return [...new Set(hubs)];
}

/** The DM key `peer` signed in its last message to `owner`, else the one its profile publishes. */
export async function findDmKeyOf(db: CoreDb, owner: PseudonymId, peer: PseudonymId): Promise<string | undefined> {
  const [contact, profile] = await Promise.all([
    db.get('contacts', [owner, peer]),
    db.get('profiles', [peer, 'dm_key']),
  ]);
  if (contact?.key) return contact.key;
  return typeof profile?.value === 'string' ? profile.value : undefined;
}

/** Merges what was learned about `peer` into the contact row. */
export async function putContact(
  db: CoreDb,
  update: Partial<ContactRow> & Pick<ContactRow, 'owner' | 'peer'>,
): Promise<void> {
  const tx = db.transaction('contacts', 'readwrite');
  const held = await tx.store.get([update.owner, update.peer]);
  await tx.store.put({ hubs: [], ...held, ...update });
  await tx.done;
}
