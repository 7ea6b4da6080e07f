/**
 * Change notices: ids only ("the timeline of X changed"); listeners ask
 * again. A listener that throws or whose page is gone (a comlink proxy whose
 * call rejects) is dropped, so one dead tab never stops the others' notices.
 */
import type { Change } from './api-types.ts';

export type ChangeListener = (change: Change) => unknown;

export interface ChangeEmitter {
  emit(change: Change): void;
  /** @returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void;
}

export function createChangeEmitter(): ChangeEmitter {
  const listeners = new Set<ChangeListener>();
  return {
    emit(change) {
      for (const listener of [...listeners]) {
        try {
          const result = listener({ ...change });
          if (result instanceof Promise) result.catch(() => listeners.delete(listener));
        } catch {
          listeners.delete(listener); // a broken listener is dropped; the others still hear
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
