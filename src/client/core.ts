/**
 * The one place that creates the core worker: wraps it with comlink as a
 * typed CoreApi, offers change notices as a plain listener, tells the
 * worker what the page knows of connectivity (online/offline events), and
 * registers Background Sync while commits are queued (background-sync.ts).
 */
import * as Comlink from 'comlink';
import type { Change, CoreApi } from '../../workers/api/api-types.ts';
import { startBackgroundSync } from './background-sync.ts';
import { ChangeFanout } from './change-fanout.ts';

const worker = new Worker(new URL('../../workers/core.worker.ts', import.meta.url), { type: 'module', name: 'murmur-core' });

/** The core worker's API; every call is a message to the worker. */
export const core: Comlink.Remote<CoreApi> = Comlink.wrap<CoreApi>(worker);

const changes = new ChangeFanout((listener) => core.subscribe(Comlink.proxy(listener)));

/**
 * Calls `listener` for change notices (ids only: ask again), several alike in
 * one frame heard once (change-fanout.ts).
 * @returns the unsubscribe.
 */
export function onCoreChange(listener: (change: Change) => void): Promise<() => void> {
  return changes.add(listener);
}

function tellOnline(online: boolean): void {
  core.setOnline(online).catch((error: unknown) => console.error('murmur: could not tell the worker about connectivity', error));
}

if (typeof window !== 'undefined') {
  startBackgroundSync(core, (listener) => onCoreChange(listener).catch((error: unknown) => console.error('murmur: no change notices for background sync', error)));
  tellOnline(navigator.onLine);
  window.addEventListener('online', () => tellOnline(true));
  window.addEventListener('offline', () => tellOnline(false));
}
