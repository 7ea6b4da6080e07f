/**
 * The service worker: precaches the app shell (the list is injected at build
 * time by vite-plugin-pwa), answers navigations with the cached index.html so
 * Murmur starts offline, and leaves the hub's own routes to the network.
 * A new version waits until the page asks it to take over (the
 * "Update available" prompt posts SKIP_WAITING). On the Background Sync tag
 * 'murmur-outbox' (and the periodic sync of that tag, where the browser
 * grants one to an installed app) it wakes the open pages so their core
 * worker pushes the outbox (the keys and the outbox live there, not here; see
 * src/client/background-sync.ts); with no page open, it sends the requests
 * the core worker left signed for it (handoff.ts, handoff-push.ts). A push
 * that fails for want of a network rejects the event, so the browser fires
 * it again later; the handoff's slots are signed for those later times.
 */
import { clientsClaim } from 'workbox-core';
import {
  type PrecacheEntry,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { openHandoffs } from './sync/handoff-db.ts';
import { pushHandoffs } from './sync/handoff-push.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

/** The Background Sync and Periodic Background Sync events (not in TypeScript's WebWorker lib yet). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

/**
 * With no page open, a pseudonym's lead lock can only be held by the core worker of a tab being closed: wait
 * this long for it to let go rather than skip the push (seen on a busy machine: the event came first).
 */
const LOCK_WAIT_MS = 30_000;

/** Wakes the open pages to push their outbox, or with none open sends what the core worker left signed. */
async function pushQueued(): Promise<void> {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  // An open page's core worker pushes (it can sign, merge and retry); with none, the requests it left signed go.
  if (pages.length > 0) {
    for (const page of pages) page.postMessage({ type: 'murmur-outbox' });
    return;
  }
  const handoffs = await openHandoffs();
  try {
    const locks = self.navigator.locks;
    const outcomes = await pushHandoffs({
      handoffs,
      fetch: self.fetch.bind(self),
      now: Date.now,
      lockWaitMs: LOCK_WAIT_MS,
      ...(locks && { locks }),
    });
    for (const o of outcomes) {
      if (o.result !== 'sent')
        console.info(
          `murmur: queued posts of ${o.pseudonym.slice(0, 8)} not sent in the background: ${o.result} ` +
            `${o.detail ?? ''}`,
        );
    }
  } finally {
    handoffs.close();
  }
}

for (const type of ['sync', 'periodicsync']) {
  self.addEventListener(type, ((event: SyncEvent) => {
    if (event.tag === 'murmur-outbox') event.waitUntil(pushQueued());
  }) as EventListener);
}

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    // The hub's API and discovery documents are never the app shell, nor a mist's embed and raw pages (/m/...).
    denylist: [/^\/v1\//, /^\/\.well-known\//, /^\/m\//],
  }),
);

clientsClaim();
