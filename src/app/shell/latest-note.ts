/**
 * The note under a group of settings says the outcome of the choice made
 * last. Two choices in quick succession run at once and may finish in either
 * order; a note set by whichever finished last would report the earlier
 * choice over the later one, so each outcome is said only if no choice was
 * made after it.
 */
import { useCallback, useRef, useState } from 'react';

/** Hands out turns; a turn asks whether it is still the latest one taken. */
export function latestTurns(): () => () => boolean {
  let last = 0;
  return () => {
    const mine = ++last;
    return () => mine === last;
  };
}

/** A note, and `say(outcome)`: the outcome's words are shown unless a later `say` was called before it settled. */
export function useLatestNote(): [string | undefined, (outcome: Promise<string>) => Promise<void>] {
  const [note, setNote] = useState<string>();
  const take = useRef(latestTurns()).current;
  const say = useCallback(
    async (outcome: Promise<string>) => {
      const isLatest = take();
      const text = await outcome;
      if (isLatest()) setNote(text);
    },
    [take],
  );
  return [note, say];
}
