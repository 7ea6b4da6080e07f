/**
 * The inbox half of the core store (inbox-store.ts) in Maps, keyed
 * `owner id` as IndexedDB keys them [owner, id]: MemoryCoreStore
 * (memory-core-store.ts) is this plus the feeds and the outbox. Each call is
 * one synchronous step after its reads, so a step is all or nothing; rows are
 * replaced, never edited in place, so a snapshot may share them.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { ContactRow, DeliveryRow, DmRow, NotificationRow } from './inbox-rows.ts';
import { type InboxStore, type NotificationRange, settledDm } from './inbox-store.ts';

/** What a MemoryInboxStore holds, as structured-cloneable Maps (part of MemoryCoreSnapshot). */
export interface MemoryInboxSnapshot {
  readonly dms: ReadonlyMap<string, DmRow>;
  readonly deliveries: ReadonlyMap<string, DeliveryRow>;
  readonly notifications: ReadonlyMap<string, NotificationRow>;
  readonly cursors: ReadonlyMap<string, string>;
  readonly contacts: ReadonlyMap<string, ContactRow>;
}

const keyOf = (owner: PseudonymId, id: string) => `${owner} ${id}`;

/** The rows of `map` that `owner` owns. */
function ownedBy<T extends { readonly owner: PseudonymId }>(map: ReadonlyMap<string, T>, owner: PseudonymId): T[] {
  return [...map.values()].filter((r) => r.owner === owner);
}

export class MemoryInboxStore implements InboxStore {
  readonly #dms = new Map<string, DmRow>();
  readonly #deliveries = new Map<string, DeliveryRow>();
  readonly #notifications = new Map<string, NotificationRow>();
  readonly #cursors = new Map<string, string>();
  readonly #contacts = new Map<string, ContactRow>();

  /** Copies of the Maps (the rows shared: they are replaced, never edited). */
  inboxSnapshot(): MemoryInboxSnapshot {
    return {
      dms: new Map(this.#dms),
      deliveries: new Map(this.#deliveries),
      notifications: new Map(this.#notifications),
      cursors: new Map(this.#cursors),
      contacts: new Map(this.#contacts),
    };
  }

  /** Holds exactly what `snapshot` describes (absent: nothing, as a store from before the inbox was kept). */
  protected restoreInbox(snapshot: MemoryInboxSnapshot | undefined): void {
    const fill = <V>(into: Map<string, V>, from: ReadonlyMap<string, V> | undefined) => {
      into.clear();
      for (const [k, v] of from ?? []) into.set(k, v);
    };
    fill(this.#dms, snapshot?.dms);
    fill(this.#deliveries, snapshot?.deliveries);
    fill(this.#notifications, snapshot?.notifications);
    fill(this.#cursors, snapshot?.cursors);
    fill(this.#contacts, snapshot?.contacts);
  }

  async findDm(owner: PseudonymId, id: ObjectId): Promise<DmRow | undefined> {
    return this.#dms.get(keyOf(owner, id));
  }

  async addDms(rows: readonly DmRow[]): Promise<number> {
    const fresh = rows.filter((r) => !this.#dms.has(keyOf(r.owner, r.id)));
    for (const r of fresh) this.#dms.set(keyOf(r.owner, r.id), r);
    return fresh.length;
  }

  async listDms(owner: PseudonymId, peer?: PseudonymId): Promise<DmRow[]> {
    return ownedBy(this.#dms, owner)
      .filter((r) => peer === undefined || r.peer === peer)
      .sort((a, b) => a.ts - b.ts);
  }

  async markDmsRead(owner: PseudonymId, peer: PseudonymId): Promise<number> {
    const unread = ownedBy(this.#dms, owner).filter((r) => r.peer === peer && r.unread);
    for (const { unread: _, ...rest } of unread) this.#dms.set(keyOf(owner, rest.id), rest);
    return unread.length;
  }

  async queueDeliveries(rows: readonly DeliveryRow[], dm?: DmRow): Promise<void> {
    if (dm) this.#dms.set(keyOf(dm.owner, dm.id), dm);
    for (const r of rows) this.#deliveries.set(keyOf(r.owner, r.id), r);
  }

  async listDeliveries(owner: PseudonymId): Promise<DeliveryRow[]> {
    return ownedBy(this.#deliveries, owner).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async settleDelivery(row: DeliveryRow, error?: string): Promise<void> {
    const dm = row.kind === 'dm' ? this.#dms.get(keyOf(row.owner, row.ids[0]!)) : undefined;
    this.#deliveries.delete(keyOf(row.owner, row.id));
    if (dm) this.#dms.set(keyOf(dm.owner, dm.id), settledDm(dm, error));
  }

  async addNotification(row: NotificationRow): Promise<boolean> {
    if (this.#notifications.has(keyOf(row.owner, row.id))) return false;
    this.#notifications.set(keyOf(row.owner, row.id), row);
    return true;
  }

  async listNotifications(owner: PseudonymId, range: NotificationRange): Promise<NotificationRow[]> {
    const { before } = range;
    // Newest first; equal times as IndexedDB's byTs index gives them backwards: by id, descending.
    return ownedBy(this.#notifications, owner)
      .filter((r) => before === undefined || r.ts < before)
      .sort((a, b) => b.ts - a.ts || (a.id < b.id ? 1 : -1))
      .slice(0, range.limit);
  }

  async markNotificationsRead(owner: PseudonymId, ids?: readonly string[]): Promise<void> {
    const rows = ids
      ? ids.flatMap((id) => this.#notifications.get(keyOf(owner, id)) ?? [])
      : ownedBy(this.#notifications, owner);
    for (const r of rows) if (!r.read) this.#notifications.set(keyOf(owner, r.id), { ...r, read: true });
  }

  async findInboxCursor(owner: PseudonymId, hub: string): Promise<string | undefined> {
    return this.#cursors.get(keyOf(owner, hub));
  }

  async putInboxCursor(owner: PseudonymId, hub: string, cursor: string): Promise<void> {
    this.#cursors.set(keyOf(owner, hub), cursor);
  }

  async findContact(owner: PseudonymId, peer: PseudonymId): Promise<ContactRow | undefined> {
    return this.#contacts.get(keyOf(owner, peer));
  }

  async putContact(update: Partial<ContactRow> & Pick<ContactRow, 'owner' | 'peer'>): Promise<void> {
    const key = keyOf(update.owner, update.peer);
    this.#contacts.set(key, { hubs: [], ...this.#contacts.get(key), ...update });
  }
}
