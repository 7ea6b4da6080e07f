/**
 * The always-visible sync badge: offline, a hub unreachable or slow, N queued, syncing, synced, or the error in
 * words.
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { describeError } from '../core/error-text.ts';
import { syncText } from './sync-text.ts';
import { useSyncClock } from './use-sync-clock.ts';
import { useSyncStatus } from './use-sync-status.ts';

export function SyncStatus({ pseudonym }: { readonly pseudonym: PseudonymId }) {
  const { data, error } = useSyncStatus(pseudonym);
  const now = useSyncClock(data);
  const state = data?.state ?? (error ? 'error' : 'unknown');
  const text = data ? syncText(data, now) : error ? `Error: ${describeError('load', error)}` : 'Checking…';
  return (
    <p className={`sync-badge sync-${state}`} role="status" data-testid="sync-status" title={data?.message ?? text}>
      <span className="sync-dot" aria-hidden="true" />
      {text}
    </p>
  );
}
