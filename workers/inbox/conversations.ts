/**
 * The conversation list and a conversation's messages, as stored: reading
 * only, with no DM crypto (direct-messages.ts seals and opens), so the
 * worker can list them before it loads the rest of the core.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { ConversationSummary, MessageItem } from '../api/api-types.ts';
import type { PeopleReads } from '../store/core-store.ts';
import { type DmRow, messageItemOf } from '../store/inbox-rows.ts';
import { findHandleOf } from './contacts.ts';

export async function listDmThread(store: PeopleReads, owner: PseudonymId, peer: PseudonymId): Promise<MessageItem[]> {
  return (await store.listDms(owner, peer)).map(messageItemOf);
}

/** One entry per peer, the most recent conversation first. */
export async function listConversations(store: PeopleReads, owner: PseudonymId): Promise<ConversationSummary[]> {
  const byPeer = new Map<PseudonymId, { last: DmRow; unread: number }>();
  for (const row of await store.listDms(owner)) {
    const entry = byPeer.get(row.peer) ?? { last: row, unread: 0 };
    if (row.ts >= entry.last.ts) entry.last = row;
    if (row.unread) entry.unread++;
    byPeer.set(row.peer, entry);
  }
  const peers = [...byPeer.keys()];
  const [names, handles] = await Promise.all([
    Promise.all(peers.map((p) => store.findProfileField(p, 'name'))),
    Promise.all(peers.map((p) => findHandleOf(store, owner, p))),
  ]);
  return peers
    .map((peer, i) => {
      const { last, unread } = byPeer.get(peer)!;
      const name = names[i];
      const handle = handles[i];
      return {
        peer,
        last: messageItemOf(last),
        unread,
        ...(typeof name === 'string' && { peerName: name }),
        ...(handle && { peerHandle: handle }),
      };
    })
    .sort((a, b) => b.last.ts - a.last.ts);
}

export async function markConversationRead(
  store: PeopleReads,
  owner: PseudonymId,
  peer: PseudonymId,
): Promise<boolean> {
  return (await store.markDmsRead(owner, peer)) > 0;
}
