/**
 * The inbox half of the core's storage seam (core-store.ts): direct
 * messages, deliveries waiting for a hub, verified notifications, inbox read
 * positions and contacts, each row keyed by the local pseudonym that owns it
 * (inbox-rows.ts). The inbox code (workers/inbox/) reaches storage only
 * through this, so the worker (IndexedDB) and the command line (its journal)
 * run the same messaging; contract.ts holds every implementation to it.
 *
 * Promises every implementation keeps (the suite checks each):
 * - a message, a notification is kept once per [owner, id]: adding it again
 *   changes nothing (a notification keeps its read state);
 * - a DM and its delivery are queued in one step, and settling a delivery
 *   removes it and marks its DM sent (or failed, with the words) in one step;
 * - nothing of one owner is read or changed through another owner's calls.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { ContactRow, DeliveryRow, DmRow, NotificationRow } from './inbox-rows.ts';

/** A page of notifications: at most `limit`, older than `before` (a ts) when given. */
export interface NotificationRange {
  readonly limit: number;
  readonly before?: number;
}

export interface InboxStore {
  findDm(owner: PseudonymId, id: ObjectId): Promise<DmRow | undefined>;
  /** Stores the messages not held yet (by owner and id); held ones stay as they are. @returns how many were new */
  addDms(rows: readonly DmRow[]): Promise<number>;
  /** `owner`'s messages with `peer`, oldest first; with every peer when `peer` is absent. */
  listDms(owner: PseudonymId, peer?: PseudonymId): Promise<DmRow[]>;
  /** Marks `owner`'s messages from `peer` seen. @returns how many were unread */
  markDmsRead(owner: PseudonymId, peer: PseudonymId): Promise<number>;

  /** Puts these deliveries (replacing any of the same owner and id), with `dm`, in one step. */
  queueDeliveries(rows: readonly DeliveryRow[], dm?: DmRow): Promise<void>;
  /** `owner`'s queued deliveries, oldest first. */
  listDeliveries(owner: PseudonymId): Promise<DeliveryRow[]>;
  /** Removes the delivery; the DM it carries becomes 'sent', or 'failed' with `error`, in the same step. */
  settleDelivery(row: DeliveryRow, error?: string): Promise<void>;

  /** Stores a notification unless one of its owner and id is held. @returns true when new */
  addNotification(row: NotificationRow): Promise<boolean>;
  /** `owner`'s notifications, newest first (by ts). */
  listNotifications(owner: PseudonymId, range: NotificationRange): Promise<NotificationRow[]>;
  /** Marks `ids` (every one when absent) of `owner` read; ids not held are ignored. */
  markNotificationsRead(owner: PseudonymId, ids?: readonly string[]): Promise<void>;

  /** How far `owner` has read its inbox on `hub`. */
  findInboxCursor(owner: PseudonymId, hub: string): Promise<string | undefined>;
  putInboxCursor(owner: PseudonymId, hub: string, cursor: string): Promise<void>;

  findContact(owner: PseudonymId, peer: PseudonymId): Promise<ContactRow | undefined>;
  /** Merges what was learned about a peer into its contact row (fields given replace; hubs default to none). */
  putContact(update: Partial<ContactRow> & Pick<ContactRow, 'owner' | 'peer'>): Promise<void>;
}

/** The calls of InboxStore that write (a journaling store records these). */
export const INBOX_WRITES = [
  'addDms',
  'markDmsRead',
  'queueDeliveries',
  'settleDelivery',
  'addNotification',
  'markNotificationsRead',
  'putInboxCursor',
  'putContact',
] as const satisfies readonly (keyof InboxStore)[];

/** A delivery's DM row after settling: sent, or failed with why. */
export function settledDm(dm: DmRow, error: string | undefined): DmRow {
  return error ? { ...dm, state: 'failed', error } : { ...dm, state: 'sent' };
}
