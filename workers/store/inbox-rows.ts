/**
 * Row types of the inbox side (DB version 5): direct messages (and how the UI sees one), deliveries
 * waiting for a hub, verified notifications and inbox read positions. Every
 * row is keyed [owner, ...] by the local pseudonym it belongs to, so nothing
 * of one pseudonym is ever read with another's (and retiring one removes
 * them by key range).
 */
import type { NoticeKind } from '../../src/protocol/notices.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { MessageItem } from '../api/api-types.ts';

export interface DmRow {
  readonly owner: PseudonymId;
  /** The sealed blob's id: one message, however often it is delivered or pulled. */
  readonly id: ObjectId;
  readonly peer: PseudonymId;
  readonly direction: 'in' | 'out';
  readonly body: string;
  /** The signed time inside the message. */
  readonly ts: number;
  /**
   * 'queued' until the peer's hub holds it and its notice; 'sent'
   * after; 'failed' when it never can be; 'received' for incoming.
   */
  readonly state: 'queued' | 'sent' | 'failed' | 'received';
  /** For 'failed': why, in words. */
  readonly error?: string;
  /** Incoming: not yet seen in the thread. */
  readonly unread?: true;
}

/**
 * A person one pseudonym writes with or hears from: the DM key and hubs it last signed or published, its handle,
 * and when this pseudonym last fetched its feed to name it (inbox/people.ts).
 */
export interface ContactRow {
  readonly owner: PseudonymId;
  readonly peer: PseudonymId;
  readonly key?: string;
  readonly hubs: readonly string[];
  readonly handle?: string;
  /** When `owner` last asked its hubs for this person's feed, found or not (ms). */
  readonly fetchedAt?: number;
}

/**
 * One notice to deliver: the blobs the recipient must be able to fetch, put
 * to its hub first, then the notice. Deleted once the hub acknowledged the
 * notice; the signed notice is kept so a retry sends the same bytes (the hub
 * keeps a notice once).
 */
export interface DeliveryRow {
  readonly owner: PseudonymId;
  readonly id: string;
  readonly kind: NoticeKind;
  /** The recipient; absent while only a mention's handle is known. */
  readonly to?: PseudonymId;
  readonly handle?: string;
  /** The recipient's hubs (first tried first); empty until a handle resolves. */
  readonly hubs: readonly string[];
  readonly ids: readonly ObjectId[];
  /** Public blobs from the local store the notice names (commit, post), put to the recipient's hub. */
  readonly blobs: readonly ObjectId[];
  /** A sealed DM's bytes (it is in no other store). */
  readonly sealed?: Uint8Array;
  readonly queuedAt: number;
  readonly notice?: { readonly bytes: Uint8Array; readonly ts: number };
  readonly attempts: number;
}

export interface NotificationRow {
  readonly owner: PseudonymId;
  /** kind + the ids the notice named: the same event notified twice is kept once. */
  readonly id: string;
  /** A hive's announcements are read from its board (workers/hives), never notified. */
  readonly kind: Exclude<NoticeKind, 'hive'>;
  readonly from: PseudonymId;
  /** The owner's post it concerns (reply, quote, react, repost; a mention has none). */
  readonly subject?: ObjectId;
  /** Their post (reply, quote, mention) or their commit. */
  readonly object: ObjectId;
  /** Their post's text, from the verified object. */
  readonly body?: string;
  readonly emoji?: string;
  /** The signed time of the commit or message. */
  readonly ts: number;
  readonly read: boolean;
}

export interface InboxCursorRow {
  readonly owner: PseudonymId;
  readonly hub: string;
  readonly cursor: string;
}

/** A stored message as the UI sees it (the conversation, and the messages a search finds). */
export function messageItemOf(row: DmRow): MessageItem {
  return {
    id: row.id,
    peer: row.peer,
    direction: row.direction,
    body: row.body,
    ts: row.ts,
    state: row.state,
    ...(row.error !== undefined && { error: row.error }),
  };
}
