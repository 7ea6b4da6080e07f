/**
 * The core as the UI sees it, handed down by <CoreProvider>: main.tsx gives
 * it the worker-backed core (src/client/core.ts); a component test gives it
 * an in-process one (src/app/testing/). No module below main.tsx knows
 * which: that is what lets a screen be rendered without a worker.
 */
import { createContext } from 'react';
import type { Change, CoreApi } from '../../../workers/api/api-types.ts';

/**
 * The calls the UI makes. `subscribe` is left out: a listener would have to cross as a comlink proxy, and the page
 * keeps one subscription that it fans out (src/client/change-fanout.ts), reached through `Core.onChange`.
 */
export type CoreCalls = Omit<CoreApi, 'subscribe'>;

export interface Core {
  readonly calls: CoreCalls;
  /**
   * Calls `listener` for change notices (ids only: ask again).
   * @returns the unsubscribe.
   */
  readonly onChange: (listener: (change: Change) => void) => Promise<() => void>;
}

/** Undefined outside a provider, so that a missing provider is an error that says so rather than a silent no-op. */
export const CoreContext = createContext<Core | undefined>(undefined);
