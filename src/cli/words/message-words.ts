/**
 * Messages and notifications in words, for people: who (a handle, else a
 * name, else the start of the key), how long ago, what; in aligned columns,
 * like the timeline (post-words.ts).
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { MessageItem } from '../../../workers/api/api-types.ts';
import { ago } from './post-words.ts';

/** Someone as `dms` and `notifications` name them. */
export interface Person {
  readonly peer: PseudonymId;
  readonly handle: string | null;
  readonly name: string | null;
}

/** One conversation of `dms --json`. */
export interface ConversationLine extends Person {
  /** Messages from them not yet read (`dms HANDLE` reads them). */
  readonly unread: number;
  readonly last: MessageItem;
}

/** One notification of `notifications --json` (docs/cli.md). */
export interface NotificationLine {
  readonly id: string;
  readonly kind: 'mention' | 'reply' | 'quote' | 'react' | 'repost' | 'follow' | 'dm';
  readonly from: PseudonymId;
  readonly handle: string | null;
  readonly name: string | null;
  readonly ts: number;
  /** Read before this listing (a listing marks what it shows read). */
  readonly read: boolean;
  /** Your post it concerns (none for a mention). */
  readonly subject: ObjectId | null;
  /** Their post (reply, quote, mention) or their commit (react, repost). */
  readonly object: ObjectId;
  readonly body: string | null;
  readonly emoji: string | null;
}

function nameOf(person: { readonly handle: string | null; readonly name: string | null }, id: string): string {
  return person.handle ?? person.name ?? `${id.slice(0, 12)}…`;
}

/** Rows of cells, each column padded to its widest cell (the last left as is); a column empty in every row goes. */
function columns(rows: readonly (readonly string[])[]): string {
  const kept = (rows[0] ?? []).map((_, i) => i).filter((i) => rows.some((r) => r[i] !== ''));
  const table = rows.map((r) => kept.map((i) => r[i]!));
  const widths = kept.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table
    .map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  '))
    .join('\n');
}

function oneLine(text: string, max = 60): string {
  const flat = text.replaceAll(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function stateNote(message: MessageItem): string {
  if (message.state === 'queued') return ' (queued: murmur sync sends it)';
  if (message.state === 'failed') return ` (not delivered: ${message.error ?? 'refused'})`;
  return '';
}

export function conversationsWords(conversations: readonly ConversationLine[], now: number): string {
  if (conversations.length === 0) return 'No messages yet. Write to someone: murmur dm NAME@HUB TEXT';
  return columns(
    conversations.map((c) => [
      nameOf(c, c.peer),
      ago(now - c.last.ts),
      c.unread > 0 ? `${c.unread} unread` : '',
      `${c.last.direction === 'out' ? 'you: ' : ''}${oneLine(c.last.body)}${stateNote(c.last)}`,
    ]),
  );
}

export function messagesWords(who: Person, messages: readonly MessageItem[], now: number): string {
  const them = nameOf(who, who.peer);
  const title = who.name && who.handle ? `${who.name} (${who.handle})` : them;
  if (messages.length === 0) return `No messages with ${title} yet.`;
  const rows = messages.map((m) => [
    m.direction === 'out' ? 'you' : them,
    ago(now - m.ts),
    `${m.body.replaceAll('\n', ' ')}${stateNote(m)}`,
  ]);
  return `Messages with ${title}, oldest first:\n${columns(rows).replaceAll(/^/gm, '  ')}`;
}

const DID: Record<NotificationLine['kind'], string> = {
  mention: 'mentioned you',
  reply: 'replied',
  quote: 'quoted your post',
  react: 'reacted',
  repost: 'reposted your post',
  follow: 'followed you',
  dm: 'wrote to you',
};

export function notificationsWords(list: readonly NotificationLine[], now: number): string {
  if (list.length === 0) return 'No notifications.';
  return columns(
    list.map((n) => [
      n.read ? ' ' : '•',
      nameOf(n, n.from),
      ago(now - n.ts),
      [DID[n.kind], n.emoji, n.body !== null && `"${oneLine(n.body)}"`].filter(Boolean).join(' '),
    ]),
  );
}
