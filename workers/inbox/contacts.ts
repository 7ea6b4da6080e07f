/**
 * Where a person reads its inbox and which DM key it uses, as one local
 * pseudonym knows it: the contact row (what the person signed inside a DM,
 * or what a handle resolved to) first, then the follow hints any feed held
 * here published about it. Storage and keys are parameters (the core store,
 * a key source), so the worker and the command line share it.
 */
import { currentHandle, hubOrigin, parseHandle } from '../../src/protocol/handle-names.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { CoreStore, PeopleReads } from '../store/core-store.ts';
import type { KeySource } from '../keys/key-source.ts';
import { readHubs } from '../feed/catch-up-plan.ts';

/** What finding a person needs: the store, and this device's own pseudonyms (one may write to another). */
export interface ContactDeps {
  readonly store: CoreStore;
  readonly keys: KeySource;
}

/** Hub origins where `peer` reads its inbox, best first (possibly none). */
export async function findHubsOf(deps: ContactDeps, owner: PseudonymId, peer: PseudonymId): Promise<string[]> {
  const { store, keys } = deps;
  const [local, signed, contact, follows] = await Promise.all([
    keys.listPseudonyms().then((ids) => (ids.includes(peer) ? keys.getHubs(peer) : [])),
    store.findProfileField(peer, 'hubs'),
    store.findContact(owner, peer),
    store.listFollowHints(peer),
  ]);
  // The hubs its feed last signed (a feed that moved names its new home there: PROTOCOL.md, Moving hubs).
  const hubs: string[] = [...local, ...readHubs(signed, []), ...(contact?.hubs ?? [])];
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
export async function findDmKeyOf(
  store: PeopleReads,
  owner: PseudonymId,
  peer: PseudonymId,
): Promise<string | undefined> {
  const [contact, published] = await Promise.all([
    store.findContact(owner, peer),
    store.findProfileField(peer, 'dm_key'),
  ]);
  if (contact?.key) return contact.key;
  return typeof published === 'string' ? published : undefined;
}

/**
 * How `owner` knows `peer` by: the handle of its contact row, else of a follow hint (own follows first), on the
 * hub `peer`'s newest signed profile names when it moved since (currentHandle).
 * Undefined when no held feed names it by handle.
 */
export async function findHandleOf(
  store: PeopleReads,
  owner: PseudonymId,
  peer: PseudonymId,
): Promise<string | undefined> {
  const [contact, hints, hubs] = await Promise.all([
    store.findContact(owner, peer),
    store.listFollowHints(peer),
    store.findProfileField(peer, 'hubs'),
  ]);
  const own = hints.filter((f) => f.pseudonym === owner && f.handle);
  const any = hints.filter((f) => f.handle).sort((a, b) => b.ts - a.ts);
  return currentHandle(contact?.handle ?? own[0]?.handle ?? any[0]?.handle, hubs);
}
