/**
 * A pseudonym's sync status, re-read on sync notices and connectivity changes.
 * (src/client tells the worker about online/offline; the worker then sends a
 * 'sync' notice, and we also look again on the events themselves.)
 */
import { useEffect } from 'react';
import type { SyncStatus } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { type CoreQuery, useCoreQuery } from '../core/use-core-query.ts';

export function useSyncStatus(pseudonym: PseudonymId): CoreQuery<SyncStatus> {
  const core = useCore();
  const query = useCoreQuery(
    `sync:${pseudonym}`,
    () => core.getSyncStatus(pseudonym),
    // Own posts change the queue too, so a timeline notice is a reason to look again.
    (change) =>
      (change.kind === 'sync' || change.kind === 'timeline') && (!change.pseudonym || change.pseudonym === pseudonym),
  );
  const { reload } = query;
  useEffect(() => {
    window.addEventListener('online', reload);
    window.addEventListener('offline', reload);
    return () => {
      window.removeEventListener('online', reload);
      window.removeEventListener('offline', reload);
    };
  }, [reload]);
  return query;
}
