/**
 * Handles a person asked for while the claim could not reach the hub
 * (offline). Kept on this device only, per pseudonym id, so the header can
 * retry the claim later.
 */
import type { PseudonymId } from '../../protocol/ids.ts';

const PREFIX = 'murmur.pending-handle.';

export function findPendingHandle(pseudonym: PseudonymId): string | undefined {
  try {
    return localStorage.getItem(PREFIX + pseudonym) ?? undefined;
  } catch {
    return undefined;
  }
}

export function putPendingHandle(pseudonym: PseudonymId, name: string | undefined): void {
  try {
    if (name) localStorage.setItem(PREFIX + pseudonym, name);
    else localStorage.removeItem(PREFIX + pseudonym);
  } catch (error) {
    console.warn('murmur: could not keep the pending handle', error);
  }
}
