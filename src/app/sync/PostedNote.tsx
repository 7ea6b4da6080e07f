/**
 * What the composer says of the post it just sent, following the sync state
 * (its own component, so a sync notice re-renders this line, not the composer).
 * Once it says "Posted" nothing more will change, so it steps aside after a
 * passing note's time (`onSettled`); while the post waits it stays.
 */
import { useEffect, useRef } from 'react';
import type { PseudonymId } from '../../protocol/ids.ts';
import { NOTE_MS } from '../shell/use-transient-note.ts';
import { postedText } from './sync-text.ts';
import { useSyncClock } from './use-sync-clock.ts';
import { useSyncStatus } from './use-sync-status.ts';

export function PostedNote({
  pseudonym,
  onSettled,
}: {
  readonly pseudonym: PseudonymId;
  readonly onSettled: () => void;
}) {
  const { data } = useSyncStatus(pseudonym);
  const now = useSyncClock(data);
  const text = postedText(data, now);
  const settled = text === 'Posted';
  // The latest callback, so a parent's render (each keystroke in the composer) does not restart the time.
  const settle = useRef(onSettled);
  settle.current = onSettled;
  useEffect(() => {
    if (!settled) return;
    const timer = setTimeout(() => settle.current(), NOTE_MS);
    return () => clearTimeout(timer);
  }, [settled]);
  return text;
}
