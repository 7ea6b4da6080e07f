/**
 * Which pseudonym is on screen. Remembered in localStorage (its id only) and
 * told to the worker with setActive, so only that pseudonym's live
 * subscriptions run.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';

const STORAGE_KEY = 'murmur.active-pseudonym';

function readRemembered(): string | undefined {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: start with the first pseudonym
  }
}

/**
 * Whether this browser remembers a pseudonym on screen: it was onboarded here (main.tsx preloads onboarding if not).
 */
export function hasRememberedPseudonym(): boolean {
  return readRemembered() !== undefined;
}

function remember(id: PseudonymId | undefined): void {
  try {
    if (id) localStorage.setItem(STORAGE_KEY, id);
    else localStorage.removeItem(STORAGE_KEY);
  } catch (error) {
    console.warn('murmur: could not remember the active pseudonym', error);
  }
}

export interface ActivePseudonym {
  /** The pseudonym on screen; undefined while loading or when there is none. */
  readonly active: PseudonymSummary | undefined;
  readonly select: (id: PseudonymId) => void;
}

/** @param pseudonyms undefined while the list loads (setActive waits for it). */
export function useActivePseudonym(pseudonyms: readonly PseudonymSummary[] | undefined): ActivePseudonym {
  const core = useCore();
  const [chosen, setChosen] = useState<string | undefined>(readRemembered);
  const active = pseudonyms?.find((p) => p.id === chosen) ?? pseudonyms?.[0];
  const activeId = active?.id;
  const loaded = pseudonyms !== undefined;

  useEffect(() => {
    if (!loaded) return;
    remember(activeId);
    core.setActive(activeId).catch((error: unknown) => console.error('murmur: setActive failed', error));
  }, [core, loaded, activeId]);

  const select = useCallback((id: PseudonymId) => setChosen(id), []);
  return { active, select };
}
