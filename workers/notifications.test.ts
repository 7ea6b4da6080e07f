/** Notifications storage: per pseudonym, newest first, paged, kept once, and one query that a filter wraps for list and count alike. */
import { afterEach, expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../src/protocol/ids.ts';
import type { NotificationRow } from './db.ts';
import { putNotification } from './notifications.ts';
import { type Device, openDevice } from './testing/device.ts';

const id = (c: string, n = 64) => c.repeat(n) as PseudonymId;
const [me, other, friend, pest] = [id('a'), id('b'), id('c'), id('d')];
const row = (owner: PseudonymId, from: PseudonymId, ts: number): NotificationRow => ({
  owner, id: `react:${ts}`, kind: 'react', from, object: id('e') as unknown as ObjectId, ts, read: false, emoji: '🎉',
});

let device: Device;
afterEach(() => device.close());

test('lists only the owner\'s notifications, newest first, in pages; the same id is kept once with its read state', async () => {
  device = await openDevice();
  for (const ts of [1, 2, 3]) await putNotification(device.db, row(me, friend, ts));
  await putNotification(device.db, row(other, friend, 9));
  expect((await device.api.listNotifications(me, { limit: 10 })).map((n) => n.ts)).toEqual([3, 2, 1]);
  expect((await device.api.listNotifications(me, { limit: 2, before: 3 })).map((n) => n.ts)).toEqual([2, 1]);
  await device.api.markNotificationsRead(me, ['react:2']);
  expect(await putNotification(device.db, row(me, friend, 2))).toBe(false);
  expect((await device.api.listNotifications(me, { limit: 10 })).map((n) => n.read)).toEqual([false, true, false]);
  await device.api.markNotificationsRead(me);
  expect(await device.api.countUnreadNotifications(me)).toBe(0);
  expect(await device.api.countUnreadNotifications(other)).toBe(1); // another pseudonym's stay unread
});

test('a filter wrapping the query hides items from the list and the unread count alike', async () => {
  device = await openDevice({
    deps: { notificationFilter: (query) => async (db, owner, page) => (await query(db, owner, page)).filter((n) => n.from !== pest) },
  });
  await putNotification(device.db, row(me, friend, 1));
  await putNotification(device.db, { ...row(me, pest, 2), id: 'react:pest' });
  expect((await device.api.listNotifications(me, { limit: 10 })).map((n) => n.from)).toEqual([friend]);
  expect(await device.api.countUnreadNotifications(me)).toBe(1);
});
