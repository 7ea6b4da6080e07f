/**
 * Direct messages and notifications: `dm HANDLE TEXT`, `dms [HANDLE]` and
 * `notifications`, run by the app's own inbox code (workers/inbox/: sealing
 * and opening DMs, deliveries, the signed inbox pull, each notice checked
 * against what it names) over this home's store and keys, so a message sent
 * here is read in the app and the other way round.
 */
import type { PseudonymId } from '../../protocol/ids.ts';
import { CoreError, errorName } from '../../../workers/errors.ts';
import { resolveHandle } from '../../../workers/feed/handle-lookup.ts';
import { findDmKeyOf, findHandleOf } from '../../../workers/inbox/contacts.ts';
import { ensureDmKey, listConversations, listDmThread, sendDm } from '../../../workers/inbox/direct-messages.ts';
import { pullInbox } from '../../../workers/inbox/inbox-pull.ts';
import { listNotifications } from '../../../workers/inbox/notifications.ts';
import { hidesNotification } from '../../../workers/private/filter.ts';
import type { Answer } from '../answer.ts';
import { EXIT } from '../errors.ts';
import { PrivateState } from '../home/private-state.ts';
import {
  type NotificationLine,
  conversationsWords,
  messagesWords,
  notificationsWords,
} from '../words/message-words.ts';
import { type CommandContext, actingAs } from './context.ts';
import { deliverInbox, inboxDeps } from './notices.ts';
import { send } from './social.ts';

/** A person by handle: one followed as followed (no network), else resolved on their hub. */
async function personNamed(context: CommandContext, handle: string) {
  const me = actingAs(context);
  const wanted = handle.toLowerCase();
  const followed = (await context.device.store.listFollows(me.id)).find((f) => f.handle?.toLowerCase() === wanted);
  if (followed?.handle && followed.hubs[0])
    return { target: followed.target, handle: followed.handle, hub: followed.hubs[0] };
  return resolveHandle(context.device.deps, handle);
}

/** Publishes one's key for messages (as opening Messages in the app does), so people can write back. */
async function openMessages(context: CommandContext) {
  const me = actingAs(context);
  const published = await ensureDmKey(inboxDeps(context.device), me.id);
  if (published) await send(context.device, me.id);
  return me;
}

/**
 * Pulls the inbox (and sends what waits), keeping what is held when no hub answers.
 * @returns the failure in words, if the pull failed
 */
async function refreshInbox(context: CommandContext, me: { readonly id: PseudonymId; readonly name: string }) {
  const { device } = context;
  await deliverInbox(device, me.id);
  try {
    await pullInbox(inboxDeps(device, me.name), me.id);
    return undefined;
  } catch (error) {
    return `could not read the inbox (${errorName(error)}): showing what this device holds`;
  }
}

/** @throws CoreError NotFound (no such handle), NoDmKey, InvalidField (oneself, an empty or long text); Offline */
export async function dm(context: CommandContext, handle: string, text: string): Promise<Answer> {
  const { device } = context;
  const { store } = device;
  const peer = await personNamed(context, handle);
  if (peer.target === actingAs(context).id)
    throw new CoreError('InvalidField', 'that is you: messages go to someone else', { field: 'handle' });
  const me = await openMessages(context);
  await store.putContact({ owner: me.id, peer: peer.target, handle: peer.handle, hubs: [peer.hub] });
  // Their key for messages is in their profile: fetch their feed when this device does not hold it yet.
  if (!(await findDmKeyOf(store, me.id, peer.target)))
    await device.feeds.update(peer.target, [peer.hub], { forPseudonym: me.id });
  const row = await sendDm(inboxDeps(device), me.id, peer.target, text);
  const queued = await deliverInbox(device, me.id);
  const held = (await store.findDm(me.id, row.id)) ?? row;
  const failed = held.state === 'failed' ? (held.error ?? 'Refused') : undefined;
  const json = {
    id: row.id,
    to: peer.target,
    handle: peer.handle,
    sent: held.state === 'sent',
    queued,
    ...(held.state === 'queued' && { reason: 'no hub answered; `murmur sync` sends it' }),
    ...(failed && { error: failed.split(':')[0] }),
  };
  const words =
    held.state === 'sent'
      ? `Sent to ${peer.handle}.`
      : failed
        ? `Refused: ${failed}`
        : `Queued for ${peer.handle}: no hub answered. Run \`murmur sync\` to send it.`;
  return {
    json,
    text: words,
    ...(failed && { exitCode: EXIT.refused, problem: `the hub refused the message: ${failed}` }),
  };
}

/** Conversations, or the messages with one person (then marked read), after pulling the inbox. */
export async function dms(context: CommandContext, handle: string | undefined): Promise<Answer> {
  const me = await openMessages(context);
  const { store } = context.device;
  const problem = await refreshInbox(context, me);
  const now = Date.now();
  const said = problem === undefined ? {} : { problem };
  if (handle === undefined) {
    const conversations = (await listConversations(store, me.id)).map((c) => ({
      peer: c.peer,
      handle: c.peerHandle ?? null,
      name: c.peerName ?? null,
      unread: c.unread,
      last: c.last,
    }));
    return { json: { conversations }, text: conversationsWords(conversations, now), ...said };
  }
  const wanted = handle.toLowerCase();
  const known = (await listConversations(store, me.id)).find((c) => c.peerHandle?.toLowerCase() === wanted);
  const peer = known?.peer ?? (await personNamed(context, handle)).target;
  const messages = await listDmThread(store, me.id, peer);
  await store.markDmsRead(me.id, peer);
  const name = await store.findProfileField(peer, 'name');
  const who = {
    peer,
    handle: known?.peerHandle ?? (await findHandleOf(store, me.id, peer)) ?? handle,
    name: typeof name === 'string' ? name : null,
  };
  return { json: { ...who, messages }, text: messagesWords(who, messages, now), ...said };
}

/** What the app shows as notifications, newest first, with who by handle; shown ones are marked read after. */
export async function notifications(context: CommandContext, limit: number): Promise<Answer> {
  const me = actingAs(context);
  const { store } = context.device;
  const problem = await refreshInbox(context, me);
  const hidden = PrivateState.open(context.device.home, me.name).hidden();
  const items = (await listNotifications(store, me.id, { limit })).filter((n) => !hidesNotification(hidden, n));
  const handles = await Promise.all(items.map((n) => findHandleOf(store, me.id, n.from)));
  const list: NotificationLine[] = items.map((n, i) => ({
    id: n.id,
    kind: n.kind,
    from: n.from,
    handle: handles[i] ?? null,
    name: n.fromName ?? null,
    ts: n.ts,
    read: n.read,
    subject: n.subject ?? null,
    object: n.object,
    body: n.body ?? null,
    emoji: n.emoji ?? null,
  }));
  const unread = list.filter((n) => !n.read).map((n) => n.id);
  if (unread.length > 0) await store.markNotificationsRead(me.id, unread);
  return {
    json: { notifications: list },
    text: notificationsWords(list, Date.now()),
    ...(problem !== undefined && { problem }),
  };
}
