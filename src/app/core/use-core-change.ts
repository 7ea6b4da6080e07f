/** Subscribes a component to the core worker's change notices for as long as it is mounted. */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Change } from '../../../workers/api/api-types.ts';
import { useCoreContext } from './use-core.ts';

/** Calls `listener` (always the latest one passed) for every change notice. */
export function useCoreChange(listener: (change: Change) => void): void {
  const { onChange } = useCoreContext();
  const latest = useRef(listener);
  useLayoutEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    let closed = false;
    let unsubscribe: (() => void) | undefined;
    onChange((change: Change) => latest.current(change)).then(
      (stop) => {
        if (closed) stop();
        else unsubscribe = stop;
      },
      (error: unknown) => console.error('murmur: could not subscribe to core changes', error),
    );
    return () => {
      closed = true;
      unsubscribe?.();
    };
  }, [onChange]);
}
