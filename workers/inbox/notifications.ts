/**
 * Notifications: verified notices stored per local pseudonym, listed
 * newest first, marked read. `listNotifications` is the one query every
 * view goes through (the unread count too), so a filter (mutes, blocks) can
 * wrap it in one place: see `NotificationQuery`. The store is a parameter
 * (the core store), so the worker and the command line list the same.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { NotificationItem, NotificationPage } from '../api/api-types.ts';
import type { PeopleReads } from '../store/core-store.ts';
import type { NotificationRow } from '../store/inbox-rows.ts';
import { findHandleOf } from './contacts.ts';
import { type Hidden, hidesNotification, hidesNothing } from '../private/filter.ts';

/** The shape a filter wraps: same arguments, a subset of the items. */
export type NotificationQuery = (
  store: PeopleReads,
  owner: PseudonymId,
  page: NotificationPage,
) => Promise<NotificationItem[]>;

/**
 * `query` with the notifications from muted or blocked feeds, or naming muted words or tags, left out: they vanish
 * from the list and the unread count.
 */
export function hidingMuted(query: NotificationQuery, hiddenFor: (owner: PseudonymId) => Promise<Hidden>) {
  return async (...[store, owner, page]: Parameters<NotificationQuery>): Promise<NotificationItem[]> => {
    const [items, hidden] = await Promise.all([query(store, owner, page), hiddenFor(owner)]);
    return hidesNothing(hidden) ? items : items.filter((n) => !hidesNotification(hidden, n));
  };
}

/** At most this many notifications count towards the unread badge ("99+" is shown past 99 anyway). */
const UNREAD_SCAN = 500;

export const listNotifications: NotificationQuery = async (store, owner, page) => {
  const limit = Math.max(1, Math.min(page.limit, UNREAD_SCAN));
  const rows = await store.listNotifications(owner, {
    limit,
    ...(page.before !== undefined && { before: page.before }),
  });
  // Each sender named once per page: the same person often reacts to several posts.
  const people = [...new Set(rows.map((r) => r.from))];
  const known = await Promise.all(
    people.map(async (from) => {
      const [name, handle] = await Promise.all([
        store.findProfileField(from, 'name'),
        findHandleOf(store, owner, from),
      ]);
      return [from, { name, handle }] as const;
    }),
  );
  const byFrom = new Map(known);
  return rows.map((row) => itemOf(row, byFrom.get(row.from)!));
};

function itemOf(row: NotificationRow, known: { name: unknown; handle: string | undefined }): NotificationItem {
  const { name, handle } = known;
  return {
    id: row.id,
    kind: row.kind,
    from: row.from,
    object: row.object,
    ts: row.ts,
    read: row.read,
    ...(typeof name === 'string' && { fromName: name }),
    ...(handle !== undefined && { fromHandle: handle }),
    ...(row.subject !== undefined && { subject: row.subject }),
    ...(row.body !== undefined && { body: row.body }),
    ...(row.emoji !== undefined && { emoji: row.emoji }),
  };
}

/** Unread among what `query` shows (so a wrapped filter hides from the count what it hides from the list). */
export async function countUnread(query: NotificationQuery, store: PeopleReads, owner: PseudonymId): Promise<number> {
  return (await query(store, owner, { limit: UNREAD_SCAN })).filter((n) => !n.read).length;
}
