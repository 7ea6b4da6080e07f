/**
 * The core store contract's inbox cases (contract.ts runs them on every store, on a fresh store each):
 * messages, deliveries, notifications, inbox cursors and contacts (inbox-store.ts).
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { expect } from 'vitest';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { CoreStore } from './core-store.ts';
import type { DeliveryRow, DmRow, NotificationRow } from './inbox-rows.ts';

/** Registers one case on a fresh store (contract.ts). */
export type WithStore = (title: string, body: (store: CoreStore) => Promise<void>) => void;

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function inboxContractCases(
  withStore: WithStore,
  { alice, bob, ts: TS }: { alice: PseudonymId; bob: PseudonymId; ts: number },
): void {
  withStore('messages are kept once per owner and id, listed oldest first, read per peer', async (store) => {
    const dm = (owner: PseudonymId, n: number, peer: PseudonymId, extra: Partial<DmRow> = {}): DmRow => ({
      owner,
      id: hashBytes(bytesOf(`dm ${n}`)),
      peer,
      direction: 'in',
      body: `message ${n}`,
      ts: TS + n,
      state: 'received',
      unread: true,
      ...extra,
    });
    expect(await store.addDms([dm(alice, 2, bob), dm(alice, 1, bob), dm(bob, 1, alice)])).toBe(3);
    expect(await store.addDms([dm(alice, 1, bob, { body: 'again' }), dm(alice, 3, alice as PseudonymId)])).toBe(1);
    expect((await store.listDms(alice, bob)).map((r) => r.body)).toEqual(['message 1', 'message 2']);
    expect((await store.listDms(alice)).map((r) => r.ts)).toEqual([TS + 1, TS + 2, TS + 3]);
    expect(await store.findDm(alice, dm(alice, 1, bob).id)).toEqual(dm(alice, 1, bob));
    expect(await store.findDm(alice, hashBytes(bytesOf('none')))).toBeUndefined();
    expect(await store.markDmsRead(alice, bob)).toBe(2);
    expect(await store.markDmsRead(alice, bob)).toBe(0);
    expect((await store.listDms(alice, bob)).some((r) => r.unread)).toBe(false);
    expect((await store.listDms(bob))[0]?.unread).toBe(true); // another owner's message stays unread
  });

  withStore('a DM is queued with its delivery in one step; settling marks it sent or failed', async (store) => {
    const delivery = (id: string, queuedAt: number, ids: ObjectId[], kind: DeliveryRow['kind']): DeliveryRow => ({
      owner: alice,
      id,
      kind,
      to: bob,
      hubs: ['https://h'],
      ids,
      blobs: [],
      queuedAt,
      attempts: 0,
    });
    const [m1, m2] = [hashBytes(bytesOf('m1')), hashBytes(bytesOf('m2'))];
    const sent = (id: ObjectId): DmRow => ({
      owner: alice,
      id,
      peer: bob,
      direction: 'out',
      body: id,
      ts: TS,
      state: 'queued',
    });
    await store.queueDeliveries([delivery('dm:2', TS + 2, [m2], 'dm')], sent(m2));
    await store.queueDeliveries([delivery('dm:1', TS + 1, [m1], 'dm')], sent(m1));
    await store.queueDeliveries([delivery('react:1', TS + 3, [m1], 'react')]);
    expect((await store.listDeliveries(alice)).map((d) => d.id)).toEqual(['dm:1', 'dm:2', 'react:1']);
    expect(await store.listDeliveries(bob)).toEqual([]);
    expect((await store.findDm(alice, m1))?.state).toBe('queued');
    // A retry keeps its signed notice: the same id replaced.
    const notice = { bytes: bytesOf('notice'), ts: TS };
    await store.queueDeliveries([{ ...delivery('dm:1', TS + 1, [m1], 'dm'), notice, attempts: 1 }]);
    expect((await store.listDeliveries(alice))[0]).toMatchObject({ notice, attempts: 1 });
    await store.settleDelivery(delivery('dm:1', TS + 1, [m1], 'dm'));
    await store.settleDelivery(delivery('dm:2', TS + 2, [m2], 'dm'), 'TooLarge: no');
    expect((await store.listDeliveries(alice)).map((d) => d.id)).toEqual(['react:1']);
    expect(await store.findDm(alice, m1)).toMatchObject({ state: 'sent' });
    expect(await store.findDm(alice, m2)).toMatchObject({ state: 'failed', error: 'TooLarge: no' });
  });

  withStore('notifications: kept once with their read state, newest first, paged, per owner', async (store) => {
    const note = (owner: PseudonymId, ts: number): NotificationRow => ({
      owner,
      id: `react:${ts}`,
      kind: 'react',
      from: bob,
      object: hashBytes(bytesOf(`n${ts}`)),
      ts,
      read: false,
    });
    for (const ts of [1, 3, 2]) expect(await store.addNotification(note(alice, ts))).toBe(true);
    expect(await store.addNotification(note(bob, 9))).toBe(true);
    await store.markNotificationsRead(alice, ['react:2', 'react:7']);
    expect(await store.addNotification(note(alice, 2))).toBe(false);
    const page = async (limit: number, before?: number) =>
      (await store.listNotifications(alice, { limit, ...(before !== undefined && { before }) })).map((n) => [
        n.ts,
        n.read,
      ]);
    expect(await page(10)).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);
    expect(await page(1, 3)).toEqual([[2, true]]);
    await store.markNotificationsRead(alice);
    expect((await page(10)).every(([, read]) => read)).toBe(true);
    expect((await store.listNotifications(bob, { limit: 10 }))[0]?.read).toBe(false);
  });

  withStore('inbox cursors per owner and hub; contacts merge what was learned', async (store) => {
    expect(await store.findInboxCursor(alice, 'https://h')).toBeUndefined();
    await store.putInboxCursor(alice, 'https://h', 'c1');
    await store.putInboxCursor(alice, 'https://h', 'c2');
    expect(await store.findInboxCursor(alice, 'https://h')).toBe('c2');
    expect(await store.findInboxCursor(bob, 'https://h')).toBeUndefined();
    await store.putContact({ owner: alice, peer: bob, handle: 'bob@h' });
    expect(await store.findContact(alice, bob)).toEqual({ owner: alice, peer: bob, hubs: [], handle: 'bob@h' });
    await store.putContact({ owner: alice, peer: bob, key: 'cd'.repeat(32), hubs: ['https://h'] });
    expect(await store.findContact(alice, bob)).toEqual({
      owner: alice,
      peer: bob,
      hubs: ['https://h'],
      handle: 'bob@h',
      key: 'cd'.repeat(32),
    });
    expect(await store.findContact(bob, alice)).toBeUndefined();
  });
}
