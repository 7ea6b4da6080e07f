/** The outbox against a real hub: push exactly once, offline then online, and two devices of one pseudonym racing. */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SyncStatusBoard } from '../net/sync-status.ts';
import { type Device, openDevice, waitSynced } from '../testing/device.ts';
import { feedOnHub, headOnHub } from '../testing/hub-inspect.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

let hub: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

async function device(options: Parameters<typeof openDevice>[0] = {}): Promise<Device> {
  const d = await openDevice(options);
  devices.push(d);
  return d;
}

test('a post is stored at once, queued, then pushed: the hub head names it, holds its blobs, sent once', async () => {
  const d = await device();
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  const posted = ok(await d.api.post(me.id, 'hello, hub'));

  const [item] = await d.api.listTimeline(me.id, { limit: 10 });
  expect(item).toMatchObject({
    id: posted.id,
    commitId: posted.commitId,
    author: me.id,
    body: 'hello, hub',
    verified: true,
  });

  await waitSynced(d, me.id);
  expect(await d.api.getSyncStatus(me.id)).toEqual({ state: 'synced', queued: 0 });
  expect((await d.api.listTimeline(me.id, { limit: 10 }))[0]!.queued).toBe(false);

  const feed = await feedOnHub(hub.url, me.id);
  expect(feed.head).toMatchObject({ heads: [posted.commitId], seq: 1 });
  expect(feed.posts).toEqual([{ id: posted.id, body: 'hello, hub', commit: posted.commitId }]);
  const puts = d.net.log.filter((line) => line.startsWith('PUT /v1/'));
  // The commit, its post, and the feed log segment listing it (named by the head).
  expect(feed.head?.log).toBeDefined();
  expect(puts.filter((l) => l.startsWith('PUT /v1/blobs/')).sort()).toEqual(
    [`PUT /v1/blobs/${posted.commitId}`, `PUT /v1/blobs/${posted.id}`, `PUT /v1/blobs/${feed.head!.log}`].sort(),
  );
  expect(puts.filter((l) => l.startsWith('PUT /v1/heads/'))).toEqual([`PUT /v1/heads/${me.id}`]);

  // Asking again sends nothing new: the hub's head equals ours.
  d.net.log.length = 0;
  await d.api.syncNow(me.id);
  expect(d.net.log.filter((l) => l.startsWith('PUT'))).toEqual([]);
});

test('a post made while the hub is unreachable stays queued, survives a worker restart, is pushed after', async () => {
  const d = await device();
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  d.net.down = true;
  const first = ok(await d.api.post(me.id, 'written offline'));
  // The device believes it is online; its hub cannot be reached, and the status names that hub.
  const status = await waitFor(
    'unreachable status',
    () => d.api.getSyncStatus(me.id),
    (s) => s.state === 'unreachable',
  );
  expect(status.queued).toBe(1);
  expect(status.hub).toBe(hub.url);
  expect(status.message).toBe(
    `Cannot reach ${new URL(hub.url).host}. One post waits for it and will go out when it answers.`,
  );
  expect((await d.api.listTimeline(me.id, { limit: 5 }))[0]).toMatchObject({ id: first.id, queued: true });
  expect(await headOnHub(hub.url, me.id)).toBeUndefined();

  // The tab closes; a new worker opens the same database while the network is still down.
  await d.close();
  const again = await device({ net: d.net, dbName: d.db.name });
  const second = ok(await again.api.post(me.id, 'also offline'));
  expect((await again.api.getSyncStatus(me.id)).queued).toBe(2);

  d.net.down = false; // the retry timer notices, with no call from the page
  await waitSynced(again, me.id);
  const feed = await feedOnHub(hub.url, me.id);
  expect(feed.head).toMatchObject({ heads: [second.commitId], seq: 2 });
  expect(feed.posts.map((p) => p.body).sort()).toEqual(['also offline', 'written offline']);
  const items = await again.api.listTimeline(me.id, { limit: 5 });
  expect(items.map((i) => [i.body, i.queued])).toEqual([
    ['also offline', false],
    ['written offline', false],
  ]);
});

test('two devices of one pseudonym post offline: one loses the race, merges; one head covers both posts', async () => {
  const laptop = await device();
  const me = await laptop.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  const row = (await laptop.db.get('pseudonyms', me.id))!;
  const phone = await device({ pseudonyms: [row] });

  laptop.net.down = true;
  phone.net.down = true;
  const fromLaptop = ok(await laptop.api.post(me.id, 'from the laptop'));
  const fromPhone = ok(await phone.api.post(me.id, 'from the phone'));

  laptop.net.down = false;
  await laptop.api.syncNow(me.id);
  await waitSynced(laptop, me.id);
  expect((await headOnHub(hub.url, me.id))!.heads).toEqual([fromLaptop.commitId]);

  phone.net.down = false;
  await phone.api.syncNow(me.id);
  await waitSynced(phone, me.id);
  expect(phone.net.log).toContain(`GET /v1/heads`);

  const feed = await feedOnHub(hub.url, me.id);
  expect(feed.head!.heads).toHaveLength(1);
  expect(feed.head!.seq).toBe(2);
  expect(feed.commits).toHaveLength(3); // two posts and one merge
  expect(feed.posts.map((p) => p.body).sort()).toEqual(['from the laptop', 'from the phone']);
  const phoneItems = await phone.api.listTimeline(me.id, { limit: 10 });
  expect(phoneItems.map((i) => i.body).sort()).toEqual(['from the laptop', 'from the phone']);
  expect(new Set(phoneItems.map((i) => i.id))).toEqual(new Set([fromLaptop.id, fromPhone.id]));

  // The laptop catches up with the merge and agrees; nobody merges again.
  await laptop.api.syncNow(me.id);
  await waitSynced(laptop, me.id);
  expect((await laptop.db.get('tips', me.id))!.heads).toEqual(feed.head!.heads);
  expect((await feedOnHub(hub.url, me.id)).commits).toHaveLength(3);
  expect((await laptop.api.listTimeline(me.id, { limit: 10 })).map((i) => i.body).sort()).toEqual([
    'from the laptop',
    'from the phone',
  ]);
});

test('a true race: both devices saw one hub head; the loser gets StaleHead, pulls, merges once, pushes', async () => {
  const laptop = await device();
  const me = await laptop.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  const phone = await device({ pseudonyms: [(await laptop.db.get('pseudonyms', me.id))!] });
  laptop.net.down = true;
  phone.net.down = true;
  ok(await laptop.api.post(me.id, 'laptop wins'));
  ok(await phone.api.post(me.id, 'phone loses'));

  // The phone has read the hub's (empty) head; just before its head reaches the hub, the laptop's lands.
  let raced = false;
  phone.net.before = async (method, path) => {
    if (raced || method !== 'PUT' || !path.startsWith('/v1/heads/')) return;
    raced = true;
    laptop.net.down = false;
    await laptop.api.syncNow(me.id);
  };
  phone.net.down = false;
  await phone.api.syncNow(me.id);
  await waitSynced(phone, me.id);

  expect(raced).toBe(true);
  expect(phone.net.answers.filter((a) => a.startsWith('PUT /v1/heads/')).map((a) => a.split(' ')[2])).toEqual([
    '409',
    '200',
  ]);
  const feed = await feedOnHub(hub.url, me.id);
  expect(feed.commits).toHaveLength(3);
  expect(feed.head!.seq).toBe(2);
  expect(feed.posts.map((p) => p.body).sort()).toEqual(['laptop wins', 'phone loses']);
  expect(await phone.api.getSyncStatus(me.id)).toEqual({ state: 'synced', queued: 0 });
});

test('posts arriving while a sync runs all go out without a retry: steady progress is not a conflict', async () => {
  // Retries wait ten minutes here: only a sync that never gives up midway finishes within the test.
  const d = await device({ deps: { retry: { baseMs: 600_000, maxMs: 600_000 } } });
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  const during = 40; // more than one run's step budget, one new post per head sent (eight busy tabs do this)
  let made = 0;
  const failures: string[] = [];
  const update = SyncStatusBoard.prototype.update;
  vi.spyOn(SyncStatusBoard.prototype, 'update').mockImplementation(function (this: SyncStatusBoard, pseudonym, patch) {
    if (patch.failure) failures.push(patch.failure.name);
    update.call(this, pseudonym, patch);
  });
  d.net.before = async (method, path) => {
    if (method === 'PUT' && path.startsWith('/v1/heads/') && made < during)
      ok(await d.api.post(me.id, `arrived during the run ${++made}`));
  };
  ok(await d.api.post(me.id, 'first'));
  // Synced with nothing queued: between two runs the board can say synced while the last post waits for the next.
  const settled = await waitFor(
    'every post sent',
    () => d.api.getSyncStatus(me.id),
    (s) => (s.state === 'synced' && s.queued === 0 && made === during) || s.state === 'error',
  );
  expect(settled).toEqual({ state: 'synced', queued: 0 });
  expect((await feedOnHub(hub.url, me.id)).posts).toHaveLength(during + 1);
  expect(failures).toEqual([]); // no run gave up on the way (a retry could wait its whole backoff)
});

test('follows made on another device are streamed once our feed is pulled: no refresh needed, none asked', async () => {
  const bob = await device();
  const bobId = (await bob.api.createPseudonym({ name: 'Bob', homeHub: hub.url })).id;
  ok(await bob.api.claimHandle(bobId, 'bob'));
  ok(await bob.api.post(bobId, 'from bob'));
  await bob.api.syncNow(bobId);
  await waitSynced(bob, bobId);

  const laptop = await device();
  const me = await laptop.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  ok(await laptop.api.follow(me.id, `bob@${hub.host}`));
  await laptop.api.syncNow(me.id);
  await waitSynced(laptop, me.id);

  // A new device of Alice's (as after a restore from backup) learns her follow only from her pulled feed.
  const phone = await device({ pseudonyms: [(await laptop.db.get('pseudonyms', me.id))!] });
  await phone.api.setActive(me.id);
  const seen = await waitFor(
    "Bob's post on the phone's timeline",
    async () => (await phone.api.listTimeline(me.id, { limit: 10 })).map((i) => i.body),
    (bodies) => bodies.includes('from bob'),
  );
  expect(seen).toEqual(['from bob']);
});
