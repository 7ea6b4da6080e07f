/**
 * Notifications storage: per pseudonym, newest first, paged, kept
 * once, and one query that a filter wraps for list and count alike.
 */
import { afterEach, expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { NotificationRow } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { type Device, openDevice } from '../testing/device.ts';

const id = (c: string, n = 64) => c.repeat(n) as PseudonymId;
const [me, other, friend, pest] = [id('a'), id('b'), id('c'), id('d')];
const row = (owner: PseudonymId, from: PseudonymId, ts: number): NotificationRow => ({
  owner,
  id: `react:${ts}`,
  kind: 'react',
  from,
  object: id('e') as unknown as ObjectId,
  ts,
  read: false,
  emoji: '🎉',
});

let device: Device;
afterEach(() => device.close());

/** Stores a notification as a verified notice would (the store's own add-once). */
const putNotification = (r: NotificationRow) => new IdbCoreStore(device.db).addNotification(r);

test("lists only the owner's notifications, newest first, in pages; an id kept once with its read state", async () => {
  device = await openDevice();
  for (const ts of [1, 2, 3]) await putNotification(row(me, friend, ts));
  await putNotification(row(other, friend, 9));
  expect((await device.api.listNotifications(me, { limit: 10 })).map((n) => n.ts)).toEqual([3, 2, 1]);
  expect((await device.api.listNotifications(me, { limit: 2, before: 3 })).map((n) => n.ts)).toEqual([2, 1]);
  await device.api.markNotificationsRead(me, ['react:2']);
  expect(await putNotification(row(me, friend, 2))).toBe(false);
  expect((await device.api.listNotifications(me, { limit: 10 })).map((n) => n.read)).toEqual([false, true, false]);
  await device.api.markNotificationsRead(me);
  expect(await device.api.countUnreadNotifications(me)).toBe(0);
  expect(await device.api.countUnreadNotifications(other)).toBe(1); // another pseudonym's stay unread
});

test('each notification names its sender by the handle its owner knows, when it knows one', async () => {
  device = await openDevice();
  const store = new IdbCoreStore(device.db);
  await store.putContact({ owner: me, peer: friend, hubs: [], handle: 'friend@hub.example' });
  await store.putContact({ owner: other, peer: pest, hubs: [], handle: 'pest@hub.example' });
  await putNotification(row(me, friend, 1));
  await putNotification({ ...row(me, pest, 2), id: 'react:pest' });
  const items = await device.api.listNotifications(me, { limit: 10 });
  // Another pseudonym's contact names nobody here: what one pseudonym knows stays its own.
  expect(items.map((n) => [n.from, n.fromHandle])).toEqual([
    [pest, undefined],
    [friend, 'friend@hub.example'],
  ]);
});

test('a filter wrapping the query hides items from the list and the unread count alike', async () => {
  device = await openDevice({
    deps: {
      notificationFilter: (query) => async (store, owner, page) =>
        (await query(store, owner, page)).filter((n) => n.from !== pest),
    },
  });
  await putNotification(row(me, friend, 1));
  await putNotification({ ...row(me, pest, 2), id: 'react:pest' });
  expect((await device.api.listNotifications(me, { limit: 10 })).map((n) => n.from)).toEqual([friend]);
  expect(await device.api.countUnreadNotifications(me)).toBe(1);
});

test('muting a feed, a word or a tag hides its notifications, list and count alike, until unmuted', async () => {
  device = await openDevice();
  const mine = (await device.api.createPseudonym({ name: 'Me', homeHub: 'http://127.0.0.1:9' })).id;
  await putNotification(row(mine, friend, 1));
  await putNotification({ ...row(mine, pest, 2), id: 'react:pest' });
  await putNotification({ ...row(mine, other, 3), id: 'reply:spam', kind: 'reply', body: 'Buy CRYPTO now' });
  await putNotification({ ...row(mine, other, 4), id: 'reply:tag', kind: 'reply', body: 'see #Launch' });
  const froms = async () => (await device.api.listNotifications(mine, { limit: 10 })).map((n) => n.id);
  expect(await froms()).toEqual(['reply:tag', 'reply:spam', 'react:pest', 'react:1']);

  expect((await device.api.setMute(mine, 'user', pest, true)).ok).toBe(true);
  expect((await device.api.setMute(mine, 'word', 'crypto', true)).ok).toBe(true);
  expect((await device.api.setMute(mine, 'tag', 'launch', true)).ok).toBe(true);
  expect(await froms()).toEqual(['react:1']);
  expect(await device.api.countUnreadNotifications(mine)).toBe(1);

  expect((await device.api.setMute(mine, 'user', pest, false)).ok).toBe(true);
  expect(await froms()).toEqual(['react:pest', 'react:1']);
  expect(await device.api.countUnreadNotifications(mine)).toBe(2);
});
