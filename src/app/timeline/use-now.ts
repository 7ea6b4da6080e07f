/**
 * The current time, refreshed every `intervalMs`, so relative times stay true while the page is open.
 * A tick re-renders every post on screen, and nothing about it is urgent: a transition.
 */
import { startTransition, useEffect, useState } from 'react';

export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => startTransition(() => setNow(Date.now())), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
