/**
 * Notifications: verified notices stored per local pseudonym, listed
 * newest first, marked read. `listNotifications` is the one query every
 * view goes through (the unread count too), so a filter (mutes, blocks) can
 * wrap it in one place: see `NotificationQuery`.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { NotificationItem, NotificationPage } from '../api/api-types.ts';
import type { CoreDb, NotificationRow } from '../store/db.ts';

/** The shape a filter wraps: same arguments, a subset of the items. */
export type NotificationQuery = (db: CoreDb, owner: PseudonymId, page: NotificationPage) => Promise<NotificationItem[]>;

/** At most this many notifications count towards the unread badge ("99+" is shown past 99 anyway). */
const UNREAD_SCAN = 500;

export const listNotifications: NotificationQuery = async (db, owner, page) => {
  const limit = Math.max(1, Math.min(page.limit, UNREAD_SCAN));
  const range = IDBKeyRange.bound(
    [owner, -Infinity],
    [owner, page.before ?? Infinity],
    false,
    page.before !== undefined,
  );
  const tx = db.transaction(['notifications', 'profiles']);
  const rows: NotificationRow[] = [];
  for (
    let cursor = await tx.objectStore('notifications').index('byTs').openCursor(range, 'prev');
    cursor && rows.length < limit;
    cursor = await cursor.continue()
  ) {
    rows.push(cursor.value);
  }
  const names = await Promise.all(rows.map((r) => tx.objectStore('profiles').get([r.from, 'name'])));
  await tx.done;
  return rows.map((row, i) => itemOf(row, names[i]?.value));
};

function itemOf(row: NotificationRow, name: unknown): NotificationItem {
  return {
    id: row.id,
    kind: row.kind,
    from: row.from,
    object: row.object,
    ts: row.ts,
    read: row.read,
    ...(typeof name === 'string' && { fromName: name }),
    ...(row.subject !== undefined && { subject: row.subject }),
    ...(row.body !== undefined && { body: row.body }),
    ...(row.emoji !== undefined && { emoji: row.emoji }),
  };
}

/** Unread among what `query` shows (so a wrapped filter hides from the count what it hides from the list). */
export async function countUnread(query: NotificationQuery, db: CoreDb, owner: PseudonymId): Promise<number> {
  return (await query(db, owner, { limit: UNREAD_SCAN })).filter((n) => !n.read).length;
}

/** Stores a notification unless one with its id is held (its read state stays). @returns true when new. */
export async function putNotification(db: CoreDb, row: NotificationRow): Promise<boolean> {
  const tx = db.transaction('notifications', 'readwrite');
  const held = await tx.store.getKey([row.owner, row.id]);
  if (!held) await tx.store.add(row);
  await tx.done;
  return !held;
}

/** Marks `ids` (all when absent) of `owner` read; another pseudonym's rows are out of its key range. */
export async function markNotificationsRead(db: CoreDb, owner: PseudonymId, ids?: readonly string[]): Promise<void> {
  const tx = db.transaction('notifications', 'readwrite');
  const rows = ids
    ? (await Promise.all(ids.map((id) => tx.store.get([owner, id])))).filter(
        (r): r is NotificationRow => r !== undefined,
      )
    : await tx.store.getAll(IDBKeyRange.bound([owner], [owner, []]));
  await Promise.all(rows.filter((r) => !r.read).map((r) => tx.store.put({ ...r, read: true })));
  await tx.done;
}
