/**
 * The one place that creates the core worker: wraps it with comlink as a
 * typed CoreApi, offers change notices as a plain listener, tells the
 * worker what the page knows of connectivity (online/offline events), and
 * registers Background Sync while commits are queued (startOutboxSync,
 * once the first screen shows: background-sync.ts).
 *
 * Nothing happens at import: main.tsx calls createWorkerCore() once and hands
 * the result to the UI's <CoreProvider>, so no other module holds the worker
 * and a component can be rendered against an in-process core in a test.
 */
import * as Comlink from 'comlink';
import type { Change, CoreApi } from '../../workers/api/api-types.ts';
import { ChangeFanout } from './change-fanout.ts';

export interface WorkerCore {
  /** The core worker's API; every call is a message to the worker. */
  readonly calls: Comlink.Remote<CoreApi>;
  /**
   * Calls `listener` for change notices (ids only: ask again), several alike in
   * one frame heard once (change-fanout.ts).
   * @returns the unsubscribe.
   */
  readonly onChange: (listener: (change: Change) => void) => Promise<() => void>;
}

/**
 * Starts the core worker and wires the page to it: connectivity now and on every online/offline event. Call it
 * once per page: each call is another worker over the same database.
 */
export function createWorkerCore(): WorkerCore {
  const worker = new Worker(new URL('../../workers/core.worker.ts', import.meta.url), {
    type: 'module',
    name: 'murmur-core',
  });
  const calls = Comlink.wrap<CoreApi>(worker);
  const changes = new ChangeFanout((listener) => calls.subscribe(Comlink.proxy(listener)));
  const onChange = (listener: (change: Change) => void) => changes.add(listener);

  const tellOnline = (online: boolean) => {
    calls.setOnline(online).catch((error: unknown) => {
      console.error('murmur: could not tell the worker about connectivity', error);
    });
  };
  tellOnline(navigator.onLine);
  window.addEventListener('online', () => tellOnline(true));
  window.addEventListener('offline', () => tellOnline(false));
  return { calls, onChange };
}

/**
 * Registers Background Sync while commits are queued (background-sync.ts, a chunk loaded now): main.tsx calls it
 * once the first screen shows, which it does not need.
 */
export async function startOutboxSync(core: WorkerCore): Promise<void> {
  const { startBackgroundSync } = await import('./background-sync.ts');
  startBackgroundSync(core.calls, (listener) =>
    core
      .onChange(listener)
      .catch((error: unknown) => console.error('murmur: no change notices for background sync', error)),
  );
}
