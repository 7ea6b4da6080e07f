/**
 * Pushes with no tab open (handoff.ts, handoff-push.ts): a device offline
 * leaves its queued posts signed; with the device closed, the service
 * worker's half sends them to a real hub; the next start finds them sent
 * and sends nothing twice.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { REQUEST_SKEW_MS } from '../../src/protocol/request-auth.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { HANDOFF_FRESH_MS, HANDOFF_SLOT_MS, type Handoff, type HandoffDb, openHandoffs, slotAt } from './handoff-db.ts';
import { HANDOFF_HORIZON_MS, HandoffKeeper, MAX_HANDOFF_SIGNATURES, buildHandoff, slotTimes } from './handoff.ts';
import { pushHandoffs } from './handoff-push.ts';
import { leadLockName } from '../tabs/leader.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { feedOnHub } from '../testing/hub-inspect.ts';
import { waitFor } from '../testing/wait.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { ok } from '../testing/ok.ts';

let hub: TestHub;
let handoffs: HandoffDb;
let name: string;
const devices: Device[] = [];
let n = 0;
beforeEach(async () => {
  hub = await startTestHub();
  name = `handoff-test-${process.pid}-${++n}`;
  handoffs = await openHandoffs(name);
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  handoffs.close();
  await hub.stop();
});

/** A device that has posted `count` times while offline, its handoff signed, then closed (the tab is gone). */
async function postedOfflineThenClosed(count: number) {
  const d = await openDevice({ deps: { handoffDb: name } });
  devices.push(d);
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await waitFor(
    'synced',
    () => d.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  await d.api.setOnline(false);
  for (let i = 1; i <= count; i++) ok(await d.api.post(me.id, `offline ${i}`));
  await waitFor(
    'handoff signed',
    () => handoffs.get('handoffs', me.id),
    (h) => h?.commits.length === count,
  );
  await d.close();
  devices.splice(devices.indexOf(d), 1);
  return { me: me.id, dbName: d.db.name };
}

const bodies = async (author: PseudonymId) => (await feedOnHub(hub.url, author)).posts.map((p) => p.body).sort();

test('with no tab open, queued posts go out from the signed handoff, each once; a restart sends none', async () => {
  const { me, dbName } = await postedOfflineThenClosed(3);
  const outcomes = await pushHandoffs({ handoffs, fetch, now: Date.now });
  expect(outcomes).toEqual([{ pseudonym: me, result: 'sent' }]);
  expect(await bodies(me)).toEqual(['offline 1', 'offline 2', 'offline 3']);
  expect(await handoffs.count('handoffs')).toBe(0);

  // The app opens again: it finds the hub's head equal to its own, clears the queue, and sends nothing more.
  const again = await openDevice({ dbName, deps: { handoffDb: name } });
  devices.push(again);
  await waitFor(
    'synced',
    () => again.api.getSyncStatus(me),
    (s) => s.state === 'synced' && s.queued === 0,
  );
  expect(again.net.log.filter((line) => line.startsWith('PUT'))).toEqual([]);
  expect(await bodies(me)).toEqual(['offline 1', 'offline 2', 'offline 3']);
});

test('an event cut short resends only what the hub did not take', async () => {
  const { me } = await postedOfflineThenClosed(2);
  const total = (await handoffs.get('handoffs', me))!.requests.length;
  let sent = 0;
  const flaky: typeof fetch = async (url, init) => {
    if (++sent === 3) throw new TypeError('fetch failed (the network dropped)');
    return fetch(url, init);
  };
  await expect(pushHandoffs({ handoffs, fetch: flaky, now: Date.now })).rejects.toThrow('network dropped');
  expect((await handoffs.get('handoffs', me))!.requests).toHaveLength(total - 2);
  const puts: string[] = [];
  const counting: typeof fetch = async (url, init) => {
    puts.push(String(url));
    return fetch(url, init);
  };
  expect(await pushHandoffs({ handoffs, fetch: counting, now: Date.now })).toEqual([{ pseudonym: me, result: 'sent' }]);
  expect(puts).toHaveLength(total - 2);
  expect(await bodies(me)).toEqual(['offline 1', 'offline 2']);
});

test('a handoff whose slots are all past is left for the app; one whose tab leads is left to the tab', async () => {
  const { me } = await postedOfflineThenClosed(1);
  const last = (await handoffs.get('handoffs', me))!.slots.at(-1)!;
  expect(last - Date.now()).toBeGreaterThan(HANDOFF_HORIZON_MS - 2 * HANDOFF_SLOT_MS);
  expect(await pushHandoffs({ handoffs, fetch, now: () => last + HANDOFF_FRESH_MS + 1 })).toEqual([
    { pseudonym: me, result: 'stale' },
  ]);
  const held = {
    request: async (lockName: string, _options: unknown, callback: (lock: unknown) => unknown) => {
      expect(lockName).toBe(leadLockName(me));
      return callback(null); // taken by a tab
    },
  };
  expect(await pushHandoffs({ handoffs, fetch, now: Date.now, locks: held as never })).toEqual([
    { pseudonym: me, result: 'led' },
  ]);
  expect(await bodies(me)).toEqual([]);
  expect(await handoffs.count('handoffs')).toBe(1);
});

test('a handoff is signed afresh while it waits, and gone once a tab sent the posts', async () => {
  const d = await openDevice({ deps: { handoffDb: name } });
  devices.push(d);
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await waitFor(
    'synced',
    () => d.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  await d.api.setOnline(false);
  ok(await d.api.post(me.id, 'one'));
  const first = await waitFor(
    'handoff signed',
    () => handoffs.get('handoffs', me.id),
    (h) => h?.commits.length === 1,
  );
  ok(await d.api.post(me.id, 'two'));
  const second = await waitFor(
    'handoff signed again',
    () => handoffs.get('handoffs', me.id),
    (h) => h?.commits.length === 2,
  );
  expect(second!.signedAt).toBeGreaterThanOrEqual(first!.signedAt);
  await d.api.setOnline(true);
  await waitFor(
    'synced',
    () => d.api.getSyncStatus(me.id),
    (s) => s.state === 'synced' && s.queued === 0,
  );
  await waitFor(
    'handoff gone',
    () => handoffs.count('handoffs'),
    (c) => c === 0,
  );
});

test("the service worker sends a handoff only well inside the hub's window for signed requests", () => {
  expect(HANDOFF_FRESH_MS).toBe(REQUEST_SKEW_MS - 60_000);
});

test('a handoff signed hours before the network came back goes out from the slot signed for now, once', async () => {
  const d = await openDevice({ deps: { handoffDb: name } });
  devices.push(d);
  const me = (await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url })).id;
  await waitFor(
    'synced',
    () => d.api.getSyncStatus(me),
    (s) => s.state === 'synced',
  );
  await d.api.setOnline(false);
  ok(await d.api.post(me, 'written three hours ago'));
  await waitFor(
    'handoff signed',
    () => handoffs.get('handoffs', me),
    (h) => h?.commits.length === 1,
  );
  // As if the tab had signed it three hours ago and closed: the hub's clock is now, three hours on.
  const hoursAgo = Date.now() - 3 * 60 * 60_000;
  const old = (await buildHandoff({ db: d.db, now: () => hoursAgo }, me))!;
  await d.close();
  devices.splice(devices.indexOf(d), 1);
  await handoffs.put('handoffs', old);

  // Positive control: the requests signed for the handoff's own time are refused by the hub now.
  const upload = old.requests[0]!;
  const refused = await fetch(upload.url, {
    method: 'PUT',
    headers: { ...upload.headers, ...upload.auth[0] },
    body: upload.body as Uint8Array<ArrayBuffer>,
  });
  expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([401, 'ClockSkew']);

  expect(slotAt(old, Date.now())).toBeGreaterThan(20);
  expect(await pushHandoffs({ handoffs, fetch, now: Date.now })).toEqual([{ pseudonym: me, result: 'sent' }]);
  expect(await bodies(me)).toEqual(['written three hours ago']);
  expect(await handoffs.count('handoffs')).toBe(0);
});

test('slots cover the horizon with no gap, fewer for a large queue, within the signature budget', () => {
  const t0 = 1_800_000_000_000;
  const slots = slotTimes(t0, 9);
  expect(slots).toHaveLength(HANDOFF_HORIZON_MS / HANDOFF_SLOT_MS);
  for (let t = t0 - HANDOFF_FRESH_MS; t <= slots.at(-1)! + HANDOFF_FRESH_MS; t += 30_000)
    expect(slotAt({ slots }, t)).toBeDefined();
  expect(slotAt({ slots }, slots.at(-1)! + HANDOFF_FRESH_MS + 1)).toBeUndefined();
  expect(slotTimes(t0, 1_000)).toHaveLength(Math.floor(MAX_HANDOFF_SIGNATURES / 1_000));
  expect(slotTimes(t0, MAX_HANDOFF_SIGNATURES + 1)).toHaveLength(1);
  expect(slotAt({} as { slots: number[] }, t0)).toBeUndefined(); // an older version's handoff, with no slots
});

test('with no page open, the push waits for a closing tab to let go of the lead lock, then sends', async () => {
  const { me } = await postedOfflineThenClosed(1);
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  // The lock of a tab that is going away: taken now, let go a little later.
  const closing = {
    async request(
      name: string,
      options: { ifAvailable?: boolean; signal?: AbortSignal },
      callback: (l: unknown) => unknown,
    ) {
      expect(name).toBe(leadLockName(me));
      if (options.ifAvailable) return callback(null);
      await Promise.race([
        held,
        new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(options.signal?.reason))),
      ]);
      return callback({});
    },
  };
  // Without waiting it is left to the tab; waiting too briefly, likewise; waiting long enough, it goes out.
  expect(await pushHandoffs({ handoffs, fetch, now: Date.now, locks: closing as never })).toEqual([
    { pseudonym: me, result: 'led' },
  ]);
  const brief = { handoffs, fetch, now: Date.now, locks: closing as never, lockWaitMs: 50 };
  expect(await pushHandoffs(brief)).toEqual([{ pseudonym: me, result: 'led' }]);
  setTimeout(release, 100);
  const patient = { handoffs, fetch, now: Date.now, locks: closing as never, lockWaitMs: 30_000 };
  expect(await pushHandoffs(patient)).toEqual([{ pseudonym: me, result: 'sent' }]);
  expect(await bodies(me)).toEqual(['offline 1']);
});

test('a post queued or sent while its handoff is signed is signed in or dropped soon, not at the refresh', async () => {
  const me = 'alice' as PseudonymId;
  let queue: CommitId[] = ['c1' as CommitId];
  let started = 0;
  let release = () => {};
  const keeper = new HandoffKeeper({
    handoffs: Promise.resolve(handoffs),
    async build(pseudonym): Promise<Handoff> {
      const commits = [...queue];
      started++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      // One slot: the next refresh would be HANDOFF_REFRESH_MS (a minute) away.
      return { pseudonym, hub: hub.url, signedAt: Date.now(), slots: [Date.now()], commits, requests: [] };
    },
  });
  try {
    keeper.waiting(me);
    await waitFor(
      'the first signing',
      () => started,
      (s) => s === 1,
    );
    queue = ['c1', 'c2'] as CommitId[]; // posted while the first signing runs
    keeper.waiting(me);
    release();
    await waitFor(
      'the second signing',
      () => started,
      (s) => s === 2,
      10_000,
    );
    release();
    const signed = await waitFor(
      'both signed',
      () => handoffs.get('handoffs', me),
      (h) => h?.commits.length === 2,
    );
    expect(signed?.commits).toEqual(['c1', 'c2']);

    // Sent by a tab while a refresh is signing: the handoff is gone once both are done, not put back.
    keeper.waiting(me);
    await waitFor(
      'the third signing',
      () => started,
      (s) => s === 3,
    );
    const dropped = keeper.cleared(me);
    release();
    await dropped;
    expect(await handoffs.count('handoffs')).toBe(0);
  } finally {
    keeper.close();
  }
});
