/**
 * Background Sync for the outbox: while any pseudonym has commits queued,
 * the page registers the 'murmur-outbox' sync tag; when the browser decides
 * the network is back (even if the tab is in the background), the service
 * worker's 'sync' handler posts 'murmur-outbox' to the open pages, and each
 * asks its core worker to sync. The outbox itself lives in the core worker
 * (keys, IndexedDB), so with no page open nothing runs until the next start,
 * which pushes whatever is queued. Where SyncManager is missing (Firefox,
 * Safari) the worker's own retry timer and the 'online' event still apply.
 * Where the browser grants Periodic Background Sync (an installed app, in
 * Chromium), the same tag is registered as a periodic sync too: a retry
 * with no page open even when the one-shot event has given up.
 */
import type { Change, CoreApi, SyncStatus } from '../../workers/api/api-types.ts';

export const OUTBOX_SYNC_TAG = 'murmur-outbox';
export const OUTBOX_WAKE_MESSAGE = 'murmur-outbox';

/** The browser asks for a periodic retry no more often than this (Chromium decides the real interval). */
export const OUTBOX_PERIODIC_MS = 60 * 60_000;

interface SyncRegistration {
  readonly sync?: { register(tag: string): Promise<void> };
  readonly periodicSync?: { register(tag: string, options: { minInterval: number }): Promise<void> };
}

/** Registers the tag once per queued episode; true when the browser accepted it. */
export async function registerOutboxSync(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & SyncRegistration;
  await registerPeriodic(registration);
  if (!registration.sync) return false;
  await registration.sync.register(OUTBOX_SYNC_TAG);
  return true;
}

/** The periodic retry, only where the permission is granted (asking would throw, or prompt): never fails the caller. */
async function registerPeriodic(registration: SyncRegistration): Promise<void> {
  if (!registration.periodicSync) return;
  try {
    const permission = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    if (permission.state === 'granted')
      await registration.periodicSync.register(OUTBOX_SYNC_TAG, { minInterval: OUTBOX_PERIODIC_MS });
  } catch (error) {
    console.info('murmur: no periodic retry of queued posts here', error);
  }
}

/** Queued commits wait for the network (or an unreachable hub) rather than for a send under way. */
function waitsForNetwork(status: SyncStatus): boolean {
  return status.state === 'offline' || status.state === 'unreachable';
}

type CoreLike = Pick<CoreApi, 'getSyncStatus' | 'listPseudonyms' | 'syncNow'>;

/**
 * Wires the page: registers the tag whenever a status shows commits queued for want of a network or a hub,
 * and syncs every pseudonym when the service worker says the network is back.
 */
export function startBackgroundSync(core: CoreLike, onChange: (listener: (change: Change) => void) => unknown): void {
  let registered = false;
  onChange((change) => {
    if (change.kind !== 'sync' || !change.pseudonym) return;
    core.getSyncStatus(change.pseudonym).then(
      (status: SyncStatus) => {
        // Only what waits for the network: a post made online goes out at once, and a tag registered while online
        // fires at once, waking every open tab to sync every pseudonym (with 8 tabs, 8 inbox and private-state
        // pulls and 8 outbox passes for each post).
        if (status.queued === 0 || !waitsForNetwork(status)) {
          registered = false;
          return;
        }
        if (registered) return;
        registered = true;
        registerOutboxSync().catch((error: unknown) => {
          registered = false;
          console.info(
            'murmur: background sync is not available here; the outbox retries while the page is open',
            error,
          );
        });
      },
      (error: unknown) => console.error('murmur: could not read the sync status', error),
    );
  });
  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    if ((event.data as { type?: unknown } | null)?.type !== OUTBOX_WAKE_MESSAGE) return;
    core
      .listPseudonyms()
      .then(
        (list) => Promise.all(list.map((p) => core.syncNow(p.id))),
        (error: unknown) => console.error('murmur: background sync could not list pseudonyms', error),
      )
      .catch((error: unknown) => console.error('murmur: background sync failed', error));
  });
}
