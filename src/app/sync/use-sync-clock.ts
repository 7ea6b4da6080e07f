/**
 * The time to judge a sync status by: re-renders once when a send under way
 * has lasted SLOW_HUB_MS, so the badge can name a hub that is slow to answer
 * (no ticking while nothing is being sent).
 */
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../workers/api/api-types.ts';
import { SLOW_HUB_MS } from './sync-text.ts';

export function useSyncClock(status: SyncStatus | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  const since = status?.state === 'syncing' ? status.since : undefined;
  useEffect(() => {
    setNow(Date.now());
    if (since === undefined) return;
    const wait = since + SLOW_HUB_MS - Date.now();
    if (wait <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), wait);
    return () => clearTimeout(timer);
  }, [since]);
  return now;
}
