/**
 * The inbox's half of the worker API's plain data (api-types.ts re-exports
 * it): notifications and their paging, direct messages, conversations.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';

export interface NotificationItem {
  readonly id: string;
  readonly kind: 'mention' | 'reply' | 'quote' | 'react' | 'repost' | 'follow' | 'dm';
  readonly from: PseudonymId;
  /** Their profile name, when this device holds it. */
  readonly fromName?: string;
  /** Their handle, when this pseudonym knows it (a follow, a contact). */
  readonly fromHandle?: string;
  /** The viewer's post it concerns (a mention has none). */
  readonly subject?: ObjectId;
  /** Their post (reply, quote, mention) or their commit (react, repost). */
  readonly object: ObjectId;
  /** Their post's text, from the verified object. */
  readonly body?: string;
  readonly emoji?: string;
  /** The signed time of what they did. */
  readonly ts: number;
  readonly read: boolean;
}

export interface NotificationPage {
  readonly limit: number;
  /** Only notifications older than this ts (the last item of the previous page). */
  readonly before?: number;
}

export interface MessageItem {
  readonly id: ObjectId;
  readonly peer: PseudonymId;
  readonly direction: 'in' | 'out';
  readonly body: string;
  readonly ts: number;
  /** 'queued' (not yet on their hub), 'sent', 'failed' (with error), or 'received'. */
  readonly state: 'queued' | 'sent' | 'failed' | 'received';
  readonly error?: string;
}

export interface ConversationSummary {
  readonly peer: PseudonymId;
  readonly peerName?: string;
  readonly peerHandle?: string;
  readonly last: MessageItem;
  readonly unread: number;
}
