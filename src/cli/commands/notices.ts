/**
 * What other people's inboxes are sent: the notices one's own commits call
 * for (a reply, a quote, a reaction, a repost, a mention) and queued DMs,
 * through the app's own deliveries (workers/inbox/deliveries.ts) over this
 * home's store and keys: queued on disk, delivered at once when a hub
 * answers, else by the next `sync`.
 */
import type { SignedCommit } from '../../protocol/commits.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../protocol/objects.ts';
import { deliverQueued, noticesFor } from '../../../workers/inbox/deliveries.ts';
import { type Device, pushOwn } from '../device.ts';
import { PrivateState } from '../home/private-state.ts';
import { inboxAdmits, wantedPolicyOf } from '../../../workers/inbox/inbox-policy-sync.ts';
import { settingsOf } from '../../../workers/private/doc.ts';

/**
 * What the inbox code needs, from the device: its store, keys, hubs, clock and randomness; and, for a pull by
 * the pseudonym named `name`, whom it blocks (their notices are dropped unread), and its own feed's catch-up.
 */
export function inboxDeps(device: Device, name?: string) {
  return {
    ...device.deps,
    store: device.store,
    random: (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes),
    ...(name !== undefined && {
      blocked: async () => PrivateState.open(device.home, name).hidden().blocked,
      // Dropped as its hubs would (they may hold an older policy): the app's rule (inbox-policy-sync.ts).
      inboxAdmits: async (owner: PseudonymId) =>
        inboxAdmits(
          owner,
          await wantedPolicyOf(owner, settingsOf(PrivateState.open(device.home, name).doc), device.store),
        ),
    }),
    // The sync run pulls what the hub holds of one's own feed (and sends what waits), as `sync` does.
    catchUpOwn: (pseudonym: PseudonymId) => pushOwn(device, pseudonym),
  };
}

/**
 * Sends what `pseudonym` has queued for other people's inboxes (notices, DMs). What a hub could not take now stays
 * queued for the next `sync`; a refusal drops it (a DM is marked failed). @returns how many are still queued
 */
export async function deliverInbox(device: Device, pseudonym: PseudonymId): Promise<number> {
  if ((await device.store.listDeliveries(pseudonym)).length === 0) return 0;
  await deliverQueued(inboxDeps(device), pseudonym);
  return (await device.store.listDeliveries(pseudonym)).length;
}

/** Queues the notices an own commit calls for and delivers them, as the app does. Never throws. */
export async function noticeCommit(
  device: Device,
  pseudonym: PseudonymId,
  commit: SignedCommit,
  post?: BuiltObject<PostObject>,
): Promise<void> {
  try {
    const deps = inboxDeps(device);
    await device.store.queueDeliveries(await noticesFor(deps, pseudonym, commit, post, device.deps.now()));
    await deliverInbox(device, pseudonym);
  } catch (error) {
    // The commit stands either way; only the other person's notification is missing.
    process.stderr.write(`murmur: could not queue notices for ${commit.id}: ${(error as Error).message}\n`);
  }
}
