/**
 * The inbox half of the facade: notifications (one query function, which a
 * mute/block filter can wrap: `query`), direct messages and their
 * conversation views, and the notices one's own actions send. Each method
 * delegates; expected failures come back as Result values.
 */
import type { SignedCommit } from '../../src/protocol/commits.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { Change, CoreApi } from './api-types.ts';
import { noticesFor } from '../inbox/deliveries.ts';
import {
  type DmDeps,
  ensureDmKey,
  listConversations,
  listDmThread,
  markConversationRead,
  sendDm,
} from '../inbox/direct-messages.ts';
import { CoreError, asResult } from '../errors.ts';
import type { Feeds } from '../feed/feeds.ts';
import type { HubClient } from '../net/hub-client.ts';
import { resolveHandle } from '../feed/handles.ts';
import type { Messaging } from '../inbox/messaging.ts';
import { type NotificationQuery, countUnread, listNotifications } from '../inbox/notifications.ts';
import { findDmKeyOf, findHandleOf } from '../inbox/contacts.ts';
import type { SentMessage } from '../private/sent.ts';

export interface MessagingApiDeps extends DmDeps {
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly emit: (change: Change) => void;
  readonly feeds: Feeds;
  readonly messaging: Messaging;
  /** A local commit was stored (the DM key's profile op): notify and push it like any commit. */
  readonly committed: (pseudonym: PseudonymId) => void;
  /** The notifications query; a filter (mutes, blocks) wraps listNotifications and passes the result here. */
  readonly query?: NotificationQuery;
  /** Keeps a sent message for this pseudonym's other devices (the private document). */
  readonly recordSent?: (pseudonym: PseudonymId, message: SentMessage) => Promise<void>;
}

export type MessagingApi = Pick<
  CoreApi,
  | 'listNotifications'
  | 'countUnreadNotifications'
  | 'markNotificationsRead'
  | 'refreshInbox'
  | 'enableMessages'
  | 'openConversation'
  | 'listConversations'
  | 'getContact'
  | 'listMessages'
  | 'sendMessage'
  | 'markConversationRead'
>;

export function createMessagingApi(deps: MessagingApiDeps): MessagingApi {
  const { store, messaging } = deps;
  const query = deps.query ?? listNotifications;
  return {
    listNotifications: (pseudonym, page) => query(store, pseudonym, page),
    countUnreadNotifications: (pseudonym) => countUnread(query, store, pseudonym),
    async markNotificationsRead(pseudonym, ids) {
      await store.markNotificationsRead(pseudonym, ids);
      deps.emit({ kind: 'notifications', pseudonym });
    },
    refreshInbox: (pseudonym) =>
      asResult(async () => {
        const [pulled] = await Promise.all([messaging.pull(pseudonym), messaging.deliver(pseudonym)]);
        return { notifications: pulled.notifications, messages: pulled.messages };
      }),
    enableMessages: (pseudonym) =>
      asResult(async () => {
        const published = await ensureDmKey(deps, pseudonym);
        if (published) deps.committed(pseudonym);
        return { published };
      }),
    openConversation: (pseudonym, handle) =>
      asResult(async () => {
        const resolved = await resolveHandle(deps, handle, { as: pseudonym });
        if (resolved.target === pseudonym)
          throw new CoreError('InvalidField', 'that is you: messages go to someone else', { field: 'handle' });
        await store.putContact({
          owner: pseudonym,
          peer: resolved.target,
          handle: resolved.handle,
          hubs: [resolved.hub],
        });
        // Their DM key is in their profile: fetch their feed when this device does not hold it yet.
        if (!(await findDmKeyOf(store, pseudonym, resolved.target)))
          await deps.feeds.update(resolved.target, [resolved.hub], { forPseudonym: pseudonym });
        if (!(await findDmKeyOf(store, pseudonym, resolved.target))) {
          throw new CoreError(
            'NoDmKey',
            `${resolved.handle} has not published a key for messages yet (they need to open Messages once)`,
          );
        }
        return { peer: resolved.target };
      }),
    listConversations: (pseudonym) => listConversations(store, pseudonym),
    async getContact(pseudonym, peer) {
      const [handle, name] = await Promise.all([
        findHandleOf(store, pseudonym, peer),
        store.findProfileField(peer, 'name'),
      ]);
      return { peer, ...(handle && { handle }), ...(typeof name === 'string' && { name }) };
    },
    listMessages: (pseudonym, peer) => listDmThread(store, pseudonym, peer),
    sendMessage: (pseudonym, peer, body) =>
      asResult(async () => {
        const row = await sendDm(deps, pseudonym, peer, body);
        deps.emit({ kind: 'messages', pseudonym });
        void messaging.deliver(pseudonym);
        // The message is stored and queued either way; only the other devices' copy would be missing.
        await deps
          .recordSent?.(pseudonym, { id: row.id, peer: row.peer, body: row.body, ts: row.ts })
          .catch((error: unknown) => {
            console.error('murmur: could not keep a sent message for other devices', error);
          });
        return { id: row.id };
      }),
    async markConversationRead(pseudonym, peer) {
      if (await markConversationRead(store, pseudonym, peer)) deps.emit({ kind: 'messages', pseudonym });
    },
  };
}

/**
 * Queues the notices an own commit calls for and starts delivering them. Never throws: the commit stands either way.
 */
export async function noticeCommit(
  deps: Pick<MessagingApiDeps, 'store' | 'keys' | 'now' | 'messaging'>,
  pseudonym: PseudonymId,
  commit: SignedCommit,
  post?: BuiltObject<PostObject>,
): Promise<void> {
  try {
    await deps.store.queueDeliveries(await noticesFor(deps, pseudonym, commit, post, deps.now()));
    void deps.messaging.deliver(pseudonym);
  } catch (error) {
    console.error('murmur: could not queue notices for a commit', error);
  }
}
