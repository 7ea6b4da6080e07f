/** The sync state in words, as the badge shows it. */
import type { SyncStatus } from '../../../workers/api/api-types.ts';

/** A send that has not finished after this long names the hub it waits for (a slow hub is not an offline device). */
export const SLOW_HUB_MS = 8_000;

/** A hub origin as people read it: host[:port]. */
export function hubHost(hub: string): string {
  try {
    return new URL(hub).host;
  } catch {
    return hub;
  }
}

/** The hub a send has waited on for SLOW_HUB_MS or more, if any. */
export function slowHub(status: SyncStatus, now: number): string | undefined {
  if (status.state !== 'syncing' || status.progress || !status.hub || status.queued === 0 || status.since === undefined)
    return undefined;
  return now - status.since >= SLOW_HUB_MS ? hubHost(status.hub) : undefined;
}

/** @param now the current time (ms), to tell a slow hub from a send under way. */
export function syncText(status: SyncStatus, now: number): string {
  switch (status.state) {
    case 'offline':
      return status.queued > 0 ? `Offline · ${status.queued} queued` : 'Offline';
    case 'unreachable': {
      const who = status.hub ? `${hubHost(status.hub)} unreachable` : 'Hub unreachable';
      return status.queued > 0 ? `${who} · ${status.queued} waiting for it` : who;
    }
    case 'queued':
      return `${status.queued} queued`;
    case 'syncing': {
      if (status.progress) return `Syncing… ${status.progress.done} of ${status.progress.total}`;
      const slow = slowHub(status, now);
      return slow ? `Waiting for ${slow} · ${status.queued} queued` : 'Syncing…';
    }
    case 'synced':
      return 'Synced';
    case 'error':
      return `Error: ${status.message ?? 'sync failed'}`;
  }
}

/**
 * What the composer says of a post it just sent, from the sync state: "Posted"
 * only once nothing waits; otherwise where it waits, in words.
 */
export function postedText(status: SyncStatus | undefined, now: number): string {
  if (!status) return 'Saved';
  switch (status.state) {
    case 'offline':
      return 'Saved; it goes out when you are back online';
    case 'unreachable':
      return `Saved; it goes out when ${status.hub ? hubHost(status.hub) : 'your hub'} answers`;
    case 'syncing':
    case 'queued': {
      if (status.queued === 0) return 'Posted';
      const slow = slowHub(status, now);
      return slow ? `Saved; waiting for ${slow}, which is slow to answer` : 'Saved; sending…';
    }
    case 'synced':
      return 'Posted';
    case 'error':
      return status.queued > 0 ? 'Saved; not sent yet (see the sync status)' : 'Posted';
  }
}
