/**
 * A status line that says what just happened and then steps aside: "Posted", "Reposted", "Link copied" are news
 * for a moment, not a state to keep on screen (left there, a row reads "Reposted" long after, and the next note
 * is lost beside it). A note said with `stay` (an error, progress) remains until the next one replaces it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** How long a passing note stays: long enough to read twice, short enough not to become part of the row. */
export const NOTE_MS = 5_000;

export function useTransientNote(): [string | undefined, (text: string | undefined, stay?: boolean) => void] {
  const [note, setNote] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const say = useCallback((text: string | undefined, stay = false) => {
    clearTimeout(timer.current);
    setNote(text);
    if (text !== undefined && !stay) timer.current = setTimeout(() => setNote(undefined), NOTE_MS);
  }, []);
  return [note, say];
}
