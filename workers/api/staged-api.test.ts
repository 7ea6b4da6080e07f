import 'fake-indexeddb/auto';
import { afterEach, expect, test } from 'vitest';
import { pickVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import type { Change, CoreApi } from './api-types.ts';
import { type CoreService, createCoreApi } from './api.ts';
import { createEarlyApi } from './early-api.ts';
import { stagedApi } from './staged-api.ts';
import { type CoreDb, type PseudonymRow, openCoreDb } from '../store/db.ts';
import { ok } from '../testing/ok.ts';

const secretKey = secretKeyFrom(new Uint8Array(32).fill(11));
const me = pseudonymOf(secretKey);
const row: PseudonymRow = { id: me, name: 'Alice', hubs: ['http://127.0.0.1:9'], createdAt: 1, secretKey };
const open: { close(): Promise<void> | void }[] = [];
let n = 0;

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** A core over `db` as the worker's second stage makes it (offline: these tests need no hub). */
async function fullCore(db: CoreDb, online = false): Promise<CoreService> {
  const core = createCoreApi({
    db,
    fetch: () => Promise.reject(new TypeError('no network in this test')),
    now: Date.now,
    random: (a) => crypto.getRandomValues(a),
    verify: await pickVerify(),
    online,
  });
  open.push(core);
  return core;
}

/** A database where Alice posted twice, muted one word, and left a draft: written by a full core, then closed. */
async function storedDatabase(): Promise<CoreDb> {
  const db = await openCoreDb(`staged-${process.pid}-${++n}`);
  open.push(db);
  await db.put('pseudonyms', row);
  const writer = await fullCore(db);
  ok(await writer.post(me, 'a post about the weather'));
  ok(await writer.post(me, 'a post with a spoiler in it'));
  ok(await writer.setMute(me, 'word', 'spoiler', true));
  ok(await writer.saveDraft(me, { id: 'new', body: 'half a thought' }));
  await writer.close();
  open.splice(open.indexOf(writer), 1);
  return db;
}

/** The staged API over `db`, counting how often the full core is loaded and with which connectivity. */
function staged(db: CoreDb) {
  const loads: boolean[] = [];
  const api = stagedApi({
    early: createEarlyApi(db, () => api.online()),
    load: async (online) => {
      loads.push(online);
      return fullCore(db, online);
    },
  });
  return { api, loads };
}

test("the first screen's reads are answered before the full core loads, as the full core answers them", async () => {
  const db = await storedDatabase();
  const { api, loads } = staged(db);
  const page = { limit: 20 };
  const early = {
    pseudonyms: await api.listPseudonyms(),
    lock: await api.getLockState(),
    timeline: await api.listTimeline(me, page),
    drafts: await api.listDrafts(me),
    status: await api.getSyncStatus(me),
  };
  expect(loads).toEqual([]);
  expect(early.timeline.map((i) => i.body)).toEqual(['a post about the weather']); // the muted word hides one
  expect(early.drafts.map((d) => d.body)).toEqual(['half a thought']);
  expect(early.status).toMatchObject({ state: 'syncing', queued: 2 });

  const full = await fullCore(db);
  expect(early).toMatchObject({
    pseudonyms: await full.listPseudonyms(),
    lock: await full.getLockState(),
    timeline: await full.listTimeline(me, page),
    drafts: await full.listDrafts(me),
  });
});

// The page asks for them after its first screen (src/app/notifications/use-unread.ts).
test('the unread counts are not an early read: asking for them loads the full core', async () => {
  const db = await storedDatabase();
  const { api, loads } = staged(db);
  await api.listTimeline(me, { limit: 20 });
  expect(loads).toEqual([]);
  expect(await api.countUnreadNotifications(me)).toBe(0);
  expect(loads).toEqual([true]);
  expect(await api.listConversations(me)).toEqual([]);
  expect(loads).toEqual([true]);
});

test('any other call, or startBackground, loads the full core once, with what the page said meanwhile', async () => {
  const db = await storedDatabase();
  const { api, loads } = staged(db);
  const heard: Change[] = [];
  await api.subscribe((change) => heard.push(change));
  await api.setOnline(false);
  await api.setActive(me);
  expect(loads).toEqual([]);

  expect((await api.getPrivateSettings(me)).mutedWords.map((e) => e.value)).toEqual(['spoiler']);
  expect(loads).toEqual([false]);
  await api.startBackground();
  await api.listTimeline(me, { limit: 5 });
  expect(loads).toEqual([false]);
  // Offline was handed over: the full core's own status says so.
  expect(await api.getSyncStatus(me)).toMatchObject({ state: 'offline' });
  // A listener from before the load hears the full core's notices.
  ok(await api.post(me, 'after the load'));
  await expect.poll(() => heard.some((c) => c.kind === 'timeline' && c.pseudonym === me)).toBe(true);
});

test('where an early read cannot answer (a row its view was not made from, a lock), the full core does', async () => {
  const db = await storedDatabase();
  // Another tab's private row the stored view does not cover: the view must not be used.
  const [stored] = await db.getAll('privateUpdates');
  await db.put('privateUpdates', { ...stored!, key: 'zz-another-tab' });
  const { api, loads } = staged(db);
  expect((await api.listTimeline(me, { limit: 20 })).map((i) => i.body)).toEqual(['a post about the weather']);
  expect(loads).toHaveLength(1);

  const locked = await storedDatabase();
  const writer = await fullCore(locked);
  ok(await writer.setLock('a long enough passphrase'));
  // A new worker (its own connection): it does not hold the lock open.
  const reopened = await openCoreDb(locked.name);
  open.push(reopened);
  const second = staged(reopened);
  expect(await second.api.getLockState()).toBe('locked');
  expect(second.loads).toHaveLength(1);
});

test('an early read of a pseudonym not on this device gets the full core’s named error', async () => {
  const db = await storedDatabase();
  const { api } = staged(db);
  const stranger = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(12)));
  await expect((api as CoreApi).listDrafts(stranger)).rejects.toMatchObject({ name: 'NotFound' });
});

test('a full core that fails to load is said in words on the badge, and the next start tries again', async () => {
  const db = await storedDatabase();
  const heard: Change[] = [];
  let attempts = 0;
  const api = stagedApi({
    early: createEarlyApi(db, () => api.online()),
    load: async (online) => {
      if (++attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return fullCore(db, online);
    },
  });
  await api.subscribe((change) => heard.push(change));
  await api.setOnline(false); // so the full core's own status, once loaded, is told apart from the early one
  await expect(api.startBackground()).rejects.toThrow('Failed to fetch');
  expect(heard).toContainEqual({ kind: 'sync' });
  expect(await api.getSyncStatus(me)).toEqual({
    state: 'error',
    queued: 2,
    message:
      'Murmur could not load the part of itself that syncs (Failed to fetch dynamically imported module). ' +
      'Reload the page to try again.',
  });
  await api.startBackground();
  expect(attempts).toBe(2);
  expect(await api.getSyncStatus(me)).toMatchObject({ state: 'offline', queued: 2 });
});
