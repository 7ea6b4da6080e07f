/**
 * Reads something from the core worker and reads it again when a relevant
 * change notice arrives (notices carry ids only: the hook asks again).
 *
 * Invariants:
 * - data is only returned for the `key` it was loaded for, so a view never
 *   shows another pseudonym's data while the new one loads;
 * - at most one load runs at a time; notices arriving meanwhile coalesce into
 *   one more load after it.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Change } from '../../../workers/api/api-types.ts';
import { useCoreChange } from './use-core-change.ts';

export interface CoreQuery<T> {
  /** Undefined until the first load for this key has finished. */
  readonly data: T | undefined;
  /** The last load's failure (data keeps the previous value). */
  readonly error: unknown;
  readonly loading: boolean;
  /** Load again now (or right after the load in flight). */
  readonly reload: () => void;
}

interface Loaded<T> {
  readonly key: string;
  readonly data?: T;
  readonly error?: unknown;
  readonly done: boolean;
}

export function useCoreQuery<T>(
  key: string,
  load: () => Promise<T>,
  isRelevant: (change: Change) => boolean,
): CoreQuery<T> {
  const [state, setState] = useState<Loaded<T>>({ key, done: false });
  const [version, setVersion] = useState(0);
  const inFlight = useRef(false);
  const dirty = useRef(false);
  const latestLoad = useRef(load);
  const latestRelevant = useRef(isRelevant);
  // Layout effects run before the effect below, so a load always uses this render's closure.
  useLayoutEffect(() => {
    latestLoad.current = load;
    latestRelevant.current = isRelevant;
  });

  const reload = useCallback(() => {
    if (inFlight.current) dirty.current = true;
    else setVersion((v) => v + 1);
  }, []);

  useCoreChange((change) => {
    if (latestRelevant.current(change)) reload();
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the trigger: reload() bumps it to load again
  useEffect(() => {
    let live = true;
    inFlight.current = true;
    dirty.current = false;
    latestLoad
      .current()
      .then(
        (data) => {
          if (live) setState({ key, data, done: true });
        },
        (error: unknown) => {
          if (live) setState((prev) => ({ key, data: prev.key === key ? prev.data : undefined, error, done: true }));
        },
      )
      .finally(() => {
        if (!live) return;
        inFlight.current = false;
        if (dirty.current) {
          dirty.current = false;
          setVersion((v) => v + 1);
        }
      });
    return () => {
      live = false;
      inFlight.current = false;
    };
  }, [key, version]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || !state.done,
    reload,
  };
}
