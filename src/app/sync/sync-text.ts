/** The sync state in words, as the badge shows it. */
import type { SyncStatus } from '../../../workers/api-types.ts';

export function syncText(status: SyncStatus): string {
  switch (status.state) {
    case 'offline':
      return status.queued > 0 ? `Offline · ${status.queued} queued` : 'Offline';
    case 'queued':
      return `${status.queued} queued`;
    case 'syncing':
      return status.progress ? `Syncing… ${status.progress.done} of ${status.progress.total}` : 'Syncing…';
    case 'synced':
      return 'Synced';
    case 'error':
      return `Error: ${status.message ?? 'sync failed'}`;
  }
}
