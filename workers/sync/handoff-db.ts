/**
 * The small database the core worker leaves signed pushes in and the
 * service worker sends them from (handoff.ts, handoff-push.ts). Its own
 * database, not a store of the core's, so the service worker needs none of
 * the core's schema or code: only these types and idb.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';

export const HANDOFF_DB = 'murmur-handoff';
/**
 * The oldest handoff the service worker sends: a minute inside the hub's
 * window for a signed request's time (REQUEST_SKEW_MS, 5 minutes; a test
 * keeps the two in step without the service worker importing the signing code).
 */
export const HANDOFF_FRESH_MS = 4 * 60_000;

export interface HandoffRequest {
  readonly method: 'PUT';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface Handoff {
  readonly pseudonym: PseudonymId;
  readonly hub: string;
  readonly signedAt: number;
  /** The queued commits it carries. */
  readonly commits: readonly CommitId[];
  /** In sending order: blobs, then the head. The service worker drops each once the hub took it. */
  readonly requests: readonly HandoffRequest[];
}

interface HandoffSchema extends DBSchema {
  handoffs: { key: PseudonymId; value: Handoff };
}

export type HandoffDb = IDBPDatabase<HandoffSchema>;

export function openHandoffs(name = HANDOFF_DB): Promise<HandoffDb> {
  return openDB<HandoffSchema>(name, 1, {
    upgrade(db) {
      db.createObjectStore('handoffs', { keyPath: 'pseudonym' });
    },
  });
}
