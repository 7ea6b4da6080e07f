/**
 * What the sync badge says with the device offline: from the sync engine
 * (sync-status.ts) and from the first screen's reads before it is loaded
 * (api/early-api.ts), which import this alone so the worker's first script
 * does not carry the engine's status tracking.
 */
import type { SyncStatus } from '../api/api-types.ts';

export function offlineStatus(queued: number): SyncStatus {
  const waiting = queued > 0 ? ` ${queued} waiting to be sent.` : '';
  return { state: 'offline', queued, message: `This device is offline.${waiting}` };
}
