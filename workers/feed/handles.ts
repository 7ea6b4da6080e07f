/**
 * The worker's handles: claiming one for a pseudonym of the keyring and
 * recording it in IndexedDB. Claiming and resolving themselves take only a
 * hub client (handle-lookup.ts), which the command line uses too.
 */
import { refreshAuthorRows } from '../store/timeline-rows.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import type { CoreDb } from '../store/db.ts';
import type { HubClient } from '../net/hub-client.ts';
import { getPseudonym, getSecretKey, homeHubOf } from '../keys/keyring.ts';
import { checkHandleName, putHandleClaim } from './handle-lookup.ts';

export { type ResolvedHandle, resolveHandle } from './handle-lookup.ts';

export interface HandleDeps {
  readonly db: CoreDb;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly now: () => number;
  readonly verify: Verify;
}

/**
 * Claims `name` on the pseudonym's home hub and records the handle locally.
 * @throws ProtocolError InvalidField, HandleTaken, WrongHost, NotFound; CoreError Offline
 */
export async function claimHandle(
  deps: HandleDeps,
  pseudonym: PseudonymId,
  rawName: string,
): Promise<{ handle: string }> {
  checkHandleName(rawName); // before the keyring, so a bad name is InvalidField even while keys are locked
  const row = await getPseudonym(deps.db, pseudonym);
  const secretKey = await getSecretKey(deps.db, pseudonym);
  const handle = await putHandleClaim(deps.hub, secretKey, homeHubOf(row), rawName, deps.now());
  const tx = deps.db.transaction('pseudonyms', 'readwrite');
  const current = await tx.store.get(pseudonym);
  if (current) await tx.store.put({ ...current, handle });
  await tx.done;
  // Own timeline rows carry the handle the author is shown with.
  await refreshAuthorRows(deps.db, [pseudonym]);
  return { handle };
}
