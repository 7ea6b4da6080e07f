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
 * How far from its time a slot's requests are sent: a minute inside the
 * hub's window for a signed request's time (REQUEST_SKEW_MS, 5 minutes; a
 * test keeps the two in step without the service worker importing the
 * signing code).
 */
export const HANDOFF_FRESH_MS = 4 * 60_000;

export interface HandoffRequest {
  readonly method: 'PUT';
  readonly url: string;
  /** The headers every slot sends (content type). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The signed-request headers for each of the handoff's slots, in slot order; none for the head (it is signed itself).
   */
  readonly auth: readonly Readonly<Record<string, string>>[];
  readonly body: Uint8Array;
}

export interface Handoff {
  readonly pseudonym: PseudonymId;
  readonly hub: string;
  readonly signedAt: number;
  /**
   * The times its requests are signed for, a slot every HANDOFF_SLOT_MS from signedAt: each is good within
   * HANDOFF_FRESH_MS of its time, so together they cover the hours after the tab closed, and a sync event
   * (or the browser's retry of one, or a periodic sync) that fires long after still finds requests the hub takes.
   */
  readonly slots: readonly number[];
  /** The queued commits it carries. */
  readonly commits: readonly CommitId[];
  /** In sending order: blobs, then the head. The service worker drops each once the hub took it. */
  readonly requests: readonly HandoffRequest[];
}

/** Slots back to back, each good HANDOFF_FRESH_MS either side of its time, with no gap between. */
export const HANDOFF_SLOT_MS = 2 * HANDOFF_FRESH_MS;

/**
 * The slot of `handoff` whose requests a hub takes at `now`, or undefined when none is (the app's next start sends).
 */
export function slotAt(handoff: Pick<Handoff, 'slots'>, now: number): number | undefined {
  // A handoff an older version left (one slot, no `slots`) is not sent: the open tab signs it anew within a minute.
  const index = (handoff.slots ?? []).findIndex((at) => Math.abs(now - at) <= HANDOFF_FRESH_MS);
  return index < 0 ? undefined : index;
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
