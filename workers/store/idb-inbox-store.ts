/**
 * The inbox half of the core store (inbox-store.ts) on the worker's
 * IndexedDB: the dms, deliveries, notifications, inboxCursors and contacts
 * stores (db.ts, rows in inbox-rows.ts), each call one transaction.
 * IdbCoreStore (idb-core-store.ts) is this plus the feeds and the outbox.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { ContactRow, CoreDb, DeliveryRow, DmRow, NotificationRow } from './db.ts';
import { type InboxStore, type NotificationRange, settledDm } from './inbox-store.ts';

/** Every key [owner, ...] of one owner. */
function ownerRange(owner: PseudonymId): IDBKeyRange {
  return IDBKeyRange.bound([owner], [owner, []]);
}

export class IdbInboxStore implements InboxStore {
  readonly #db: CoreDb;
  constructor(db: CoreDb) {
    this.#db = db;
  }

  findDm(owner: PseudonymId, id: ObjectId): Promise<DmRow | undefined> {
    return this.#db.get('dms', [owner, id]);
  }

  async addDms(rows: readonly DmRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const tx = this.#db.transaction('dms', 'readwrite');
    const held = await Promise.all(rows.map((r) => tx.store.getKey([r.owner, r.id])));
    const fresh = rows.filter((_, i) => held[i] === undefined);
    await Promise.all([...fresh.map((r) => tx.store.put(r)), tx.done]);
    return fresh.length;
  }

  listDms(owner: PseudonymId, peer?: PseudonymId): Promise<DmRow[]> {
    if (peer === undefined)
      return this.#db.getAll('dms', ownerRange(owner)).then((rows) => rows.sort((a, b) => a.ts - b.ts));
    const range = IDBKeyRange.bound([owner, peer, -Infinity], [owner, peer, Infinity]);
    return this.#db.getAllFromIndex('dms', 'byPeer', range);
  }

  async markDmsRead(owner: PseudonymId, peer: PseudonymId): Promise<number> {
    const tx = this.#db.transaction('dms', 'readwrite');
    const range = IDBKeyRange.bound([owner, peer, -Infinity], [owner, peer, Infinity]);
    const unread = (await tx.store.index('byPeer').getAll(range)).filter((r) => r.unread);
    await Promise.all([...unread.map(({ unread: _, ...rest }) => tx.store.put(rest)), tx.done]);
    return unread.length;
  }

  async queueDeliveries(rows: readonly DeliveryRow[], dm?: DmRow): Promise<void> {
    if (rows.length === 0 && !dm) return;
    const tx = this.#db.transaction(['dms', 'deliveries'], 'readwrite');
    await Promise.all([
      ...(dm ? [tx.objectStore('dms').put(dm)] : []),
      ...rows.map((r) => tx.objectStore('deliveries').put(r)),
      tx.done,
    ]);
  }

  async listDeliveries(owner: PseudonymId): Promise<DeliveryRow[]> {
    return (await this.#db.getAll('deliveries', ownerRange(owner))).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async settleDelivery(row: DeliveryRow, error?: string): Promise<void> {
    const tx = this.#db.transaction(['deliveries', 'dms'], 'readwrite');
    const dm = row.kind === 'dm' ? await tx.objectStore('dms').get([row.owner, row.ids[0]!]) : undefined;
    await Promise.all([
      tx.objectStore('deliveries').delete([row.owner, row.id]),
      ...(dm ? [tx.objectStore('dms').put(settledDm(dm, error))] : []),
      tx.done,
    ]);
  }

  async addNotification(row: NotificationRow): Promise<boolean> {
    const tx = this.#db.transaction('notifications', 'readwrite');
    const held = await tx.store.getKey([row.owner, row.id]);
    if (!held) await tx.store.add(row);
    await tx.done;
    return !held;
  }

  async listNotifications(owner: PseudonymId, range: NotificationRange): Promise<NotificationRow[]> {
    const { before } = range;
    const keys = IDBKeyRange.bound([owner, -Infinity], [owner, before ?? Infinity], false, before !== undefined);
    const tx = this.#db.transaction('notifications');
    const rows: NotificationRow[] = [];
    for (
      let cursor = await tx.store.index('byTs').openCursor(keys, 'prev');
      cursor && rows.length < range.limit;
      cursor = await cursor.continue()
    ) {
      rows.push(cursor.value);
    }
    await tx.done;
    return rows;
  }

  async markNotificationsRead(owner: PseudonymId, ids?: readonly string[]): Promise<void> {
    const tx = this.#db.transaction('notifications', 'readwrite');
    const rows = ids
      ? (await Promise.all(ids.map((id) => tx.store.get([owner, id])))).filter(
          (r): r is NotificationRow => r !== undefined,
        )
      : await tx.store.getAll(ownerRange(owner));
    await Promise.all([...rows.filter((r) => !r.read).map((r) => tx.store.put({ ...r, read: true })), tx.done]);
  }

  async findInboxCursor(owner: PseudonymId, hub: string): Promise<string | undefined> {
    return (await this.#db.get('inboxCursors', [owner, hub]))?.cursor;
  }

  async putInboxCursor(owner: PseudonymId, hub: string, cursor: string): Promise<void> {
    await this.#db.put('inboxCursors', { owner, hub, cursor });
  }

  findContact(owner: PseudonymId, peer: PseudonymId): Promise<ContactRow | undefined> {
    return this.#db.get('contacts', [owner, peer]);
  }

  async putContact(update: Partial<ContactRow> & Pick<ContactRow, 'owner' | 'peer'>): Promise<void> {
    const tx = this.#db.transaction('contacts', 'readwrite');
    const held = await tx.store.get([update.owner, update.peer]);
    await Promise.all([tx.store.put({ hubs: [], ...held, ...update }), tx.done]);
  }
}
