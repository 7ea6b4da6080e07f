/**
 * Posts for named readers and for whoever holds a link, across real hubs: sealed on the author's device, held
 * by hubs as ciphertext only, opened by the readers it names and by no one else.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { utf8 } from '../../src/protocol/bytes.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { TimelineItem } from '../api/api-types.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { type Person, bodies, person as personOn, synced } from '../testing/people.ts';
import { hubHolds } from '../../src/hub/testing/hub-files.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { waitFor } from '../testing/wait.ts';

let hubA: TestHub;
let hubB: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all([hubA.stop(), hubB.stop()]);
});

const person = (hub: TestHub, name: string) => personOn(devices, hub, name);

/**
 * Alice on hub A; Bob and Carol on hub B, both following her and publishing DM keys; Alice follows them back
 * (so her device holds their keys). Alice posts for `readers`, then a public post Carol and Bob must see, which
 * shows their devices have read past the sealed one.
 */
async function allowlistPost(names: (people: { bob: Person; carol: Person }) => PseudonymId[]) {
  const alice = await person(hubA, 'Alice');
  const bob = await person(hubB, 'Bob');
  const carol = await person(hubB, 'Carol');
  for (const p of [bob, carol]) {
    ok(await p.d.api.enableMessages(p.me.id));
    await synced(p);
    ok(await p.d.api.follow(p.me.id, alice.handle));
    ok(await alice.d.api.follow(alice.me.id, p.handle));
  }
  const body = `for named eyes ${crypto.randomUUID()}`;
  const sealed = ok(
    await alice.d.api.post(alice.me.id, body, { audience: { kind: 'allowlist', readers: names({ bob, carol }) } }),
  );
  ok(await alice.d.api.post(alice.me.id, 'public afterwards'));
  await synced(alice);
  for (const p of [bob, carol]) {
    await p.d.api.syncNow(p.me.id);
    await waitFor(
      `${p.handle} read past the sealed post`,
      () => bodies(p),
      (b) => b.includes('public afterwards'),
    );
  }
  return { alice, bob, carol, body, sealed };
}

test('an allowlist post: the named reader on another hub reads it, a follower not named does not', async () => {
  const { alice, bob, carol, body, sealed } = await allowlistPost(({ bob }) => [bob.me.id]);
  const candidates = await alice.d.api.listAudienceCandidates(alice.me.id);
  expect(candidates.map((c) => [c.handle, c.canRead])).toEqual([
    [bob.handle, true],
    [carol.handle, true],
  ]);

  const own = (await alice.d.api.listTimeline(alice.me.id, { limit: 10 })).find((i) => i.id === sealed.id);
  expect(own).toMatchObject({ body, audience: 'allowlist' });
  expect(await bodies(bob)).toContain(body);
  const atBob = (await bob.d.api.listTimeline(bob.me.id, { limit: 10 })).find((i) => i.id === sealed.id);
  expect(atBob).toMatchObject({ author: alice.me.id, body, audience: 'allowlist', commitId: sealed.commitId });
  expect(atBob?.linkKey).toBeUndefined();
  expect(await bodies(carol)).not.toContain(body);
  expect(await carol.d.api.findThread(carol.me.id, sealed.id)).toBeUndefined();
});

test('control: named too, the same follower reads it (so the test above can fail)', async () => {
  const { carol, body } = await allowlistPost(({ bob, carol }) => [bob.me.id, carol.me.id]);
  expect(await bodies(carol)).toContain(body);
});

test('the hubs hold the sealed post and its envelope, never its text', async () => {
  const { alice, body, sealed } = await allowlistPost(({ bob }) => [bob.me.id]);
  expect(await hubHolds(hubA.dataDir, 'public afterwards')).toBe(true); // the search finds a public post's text
  expect(await hubHolds(hubA.dataDir, body)).toBe(false);
  expect(await hubHolds(hubB.dataDir, body)).toBe(false);
  const stored = await fetch(`${hubA.url}/v1/blobs/${sealed.id}`);
  expect(
    Buffer.from(await stored.arrayBuffer())
      .subarray(0, 4)
      .toString(),
  ).toBe('mau1');
  void alice;
});

test('a reader whose DM key is unknown is refused by name, and nothing is committed', async () => {
  const alice = await person(hubA, 'Alice');
  const bob = await person(hubB, 'Bob'); // no DM key published, and not followed: unknown to Alice's device
  const before = await alice.d.api.listTimeline(alice.me.id, { limit: 10 });
  const result = await alice.d.api.post(alice.me.id, 'for bob', {
    audience: { kind: 'allowlist', readers: [bob.me.id] },
  });
  expect(result).toMatchObject({ ok: false, error: 'NoDmKey' });
  ok(await alice.d.api.follow(alice.me.id, bob.handle)); // followed, but Bob never published a DM key
  const candidates = await alice.d.api.listAudienceCandidates(alice.me.id);
  expect(candidates).toMatchObject([{ id: bob.me.id, canRead: false }]);
  expect(await alice.d.api.listTimeline(alice.me.id, { limit: 10 })).toEqual(before);
});

test('a link post: the link opens it anywhere, a wrong or absent key does not', async () => {
  const alice = await person(hubA, 'Alice');
  const body = `behind a link ${crypto.randomUUID()}`;
  const posted = ok(await alice.d.api.post(alice.me.id, body, { audience: { kind: 'link' } }));
  expect(posted.linkKey).toMatch(/^#k=[A-Za-z0-9_-]{43}$/);
  await synced(alice);
  const own = (await alice.d.api.listTimeline(alice.me.id, { limit: 10 })).find((i) => i.id === posted.id);
  expect(own).toMatchObject({ body, audience: 'link', linkKey: posted.linkKey });
  expect(await hubHolds(hubA.dataDir, body)).toBe(false);

  const stranger = await openDevice(); // no pseudonym at all: a fresh browser
  devices.push(stranger);
  const link = { hub: hubA.url, commit: posted.commitId, key: posted.linkKey! };
  const opened = ok(await stranger.api.openLink(link));
  expect(opened).toMatchObject<Partial<TimelineItem>>({ id: posted.id, author: alice.me.id, body, audience: 'link' });

  const other = `#k=${'A'.repeat(42)}E`;
  expect(await stranger.api.openLink({ ...link, key: other })).toMatchObject({ ok: false, error: 'Undecryptable' });
  expect(await stranger.api.openLink({ ...link, key: '' })).toMatchObject({ ok: false, error: 'MalformedLink' });
  expect(await stranger.api.openLink({ ...link, key: '#k=short' })).toMatchObject({
    ok: false,
    error: 'MalformedLink',
  });
});

test('two pseudonyms on one device, one named: only that one sees it, in its timeline or a thread', async () => {
  const alice = await person(hubA, 'Alice');
  const bob = await person(hubB, 'Bob');
  const dave = await bob.d.api.createPseudonym({ name: 'Dave', homeHub: hubB.url });
  ok(await bob.d.api.claimHandle(dave.id, 'dave'));
  ok(await bob.d.api.enableMessages(bob.me.id));
  await synced(bob);
  ok(await alice.d.api.follow(alice.me.id, bob.handle));
  for (const id of [bob.me.id, dave.id]) ok(await bob.d.api.follow(id, alice.handle));
  const body = `for bob only ${crypto.randomUUID()}`;
  const sealed = ok(
    await alice.d.api.post(alice.me.id, body, { audience: { kind: 'allowlist', readers: [bob.me.id] } }),
  );
  ok(await alice.d.api.post(alice.me.id, 'public afterwards'));
  await synced(alice);
  const list = async (id: PseudonymId) => (await bob.d.api.listTimeline(id, { limit: 50 })).map((i) => i.body);
  for (const id of [bob.me.id, dave.id]) {
    await bob.d.api.syncNow(id);
    await waitFor(
      `${id} read past the sealed post`,
      () => list(id),
      (b) => b.includes('public afterwards'),
    );
  }
  expect(await list(bob.me.id)).toContain(body);
  expect(await list(dave.id)).not.toContain(body);
  expect((await bob.d.api.findThread(bob.me.id, sealed.id))?.items[0]?.body).toBe(body);
  expect(await bob.d.api.findThread(dave.id, sealed.id)).toBeUndefined();
  expect(await bob.d.api.getEditHistory(dave.id, sealed.id)).toEqual([]);
});

test('a reader who follows after the post was made reads it in the first catch-up', async () => {
  const alice = await person(hubA, 'Alice');
  const bob = await person(hubB, 'Bob');
  ok(await bob.d.api.enableMessages(bob.me.id));
  await synced(bob);
  ok(await alice.d.api.follow(alice.me.id, bob.handle));
  const body = `made before the follow ${crypto.randomUUID()}`;
  ok(await alice.d.api.post(alice.me.id, body, { audience: { kind: 'allowlist', readers: [bob.me.id] } }));
  ok(await alice.d.api.post(alice.me.id, 'public afterwards'));
  await synced(alice);
  ok(await bob.d.api.follow(bob.me.id, alice.handle));
  await waitFor(
    'the catch-up',
    () => bodies(bob),
    (b) => b.includes('public afterwards'),
  );
  expect(await bodies(bob)).toContain(body);
});

test('a reader whose keys are locked: the feed waits, and after the unlock the post is read', async () => {
  const alice = await person(hubA, 'Alice');
  const bob = await person(hubB, 'Bob');
  ok(await bob.d.api.enableMessages(bob.me.id));
  await synced(bob);
  ok(await alice.d.api.follow(alice.me.id, bob.handle));
  ok(await bob.d.api.follow(bob.me.id, alice.handle));
  ok(await bob.d.api.setLock('correct horse battery staple'));
  await bob.d.api.lock();
  const mark = bob.d.net.urls.length;
  const body = `read after the unlock ${crypto.randomUUID()}`;
  ok(await alice.d.api.post(alice.me.id, body, { audience: { kind: 'allowlist', readers: [bob.me.id] } }));
  ok(await alice.d.api.post(alice.me.id, 'public afterwards'));
  await synced(alice);
  await bob.d.api.syncNow(bob.me.id);
  // Bob's device fetched the new commits while locked: its walk had no key to open the post with.
  await waitFor(
    'a fetch of the new commits while locked',
    async () => bob.d.net.urls.slice(mark),
    (urls) => urls.some((u) => u.startsWith(hubA.url) && new URL(u).pathname === '/v1/blobs/batch'),
  );
  expect(await bodies(bob)).not.toContain(body);
  ok(await bob.d.api.unlock('correct horse battery staple'));
  await bob.d.api.syncNow(bob.me.id);
  await waitFor(
    'the post read',
    () => bodies(bob),
    (b) => b.includes(body) && b.includes('public afterwards'),
  );
});

test('a second pseudonym here, named, following after the first read the feed, reads the post', async () => {
  const alice = await person(hubA, 'Alice');
  const bob = await person(hubB, 'Bob');
  const dave = await bob.d.api.createPseudonym({ name: 'Dave', homeHub: hubB.url });
  const daveHandle = ok(await bob.d.api.claimHandle(dave.id, 'dave')).handle;
  ok(await bob.d.api.enableMessages(dave.id));
  await waitFor(
    'dave synced',
    () => bob.d.api.getSyncStatus(dave.id),
    (s) => s.state === 'synced',
  );
  ok(await alice.d.api.follow(alice.me.id, daveHandle));
  ok(await bob.d.api.follow(bob.me.id, alice.handle)); // Bob's device reads Alice's feed from now on
  const body = `for dave ${crypto.randomUUID()}`;
  ok(await alice.d.api.post(alice.me.id, body, { audience: { kind: 'allowlist', readers: [dave.id] } }));
  ok(await alice.d.api.post(alice.me.id, 'public afterwards'));
  await synced(alice);
  await bob.d.api.syncNow(bob.me.id);
  await waitFor(
    'bob read past it',
    () => bodies(bob),
    (b) => b.includes('public afterwards'),
  );
  expect(await bodies(bob)).not.toContain(body);

  ok(await bob.d.api.follow(dave.id, alice.handle)); // the feed is held already: nothing new is fetched
  const list = async () => (await bob.d.api.listTimeline(dave.id, { limit: 50 })).map((i) => i.body);
  await waitFor('dave reads it', list, (b) => b.includes(body));
});

test('the store never answers a sealed post’s id with its opened text, even with its blob row gone', async () => {
  const alice = await person(hubA, 'Alice');
  const body = `sealed, then its blob lost ${crypto.randomUUID()}`;
  const posted = ok(await alice.d.api.post(alice.me.id, body, { audience: { kind: 'link' } }));
  const store = new IdbCoreStore(alice.d.db);
  const sealed = (await store.findBlobs(alice.me.id, [posted.id])).get(posted.id)!;
  expect(Buffer.from(sealed).includes(Buffer.from(utf8(body)))).toBe(false);
  // With the sealed bytes gone, the post row still holds the text under the same id: what a push or a feed
  // file would send must be nothing, not the plaintext (the control is a public post, answered from its row).
  await alice.d.db.delete('blobs', posted.id);
  expect((await store.findBlobs(alice.me.id, [posted.id])).has(posted.id)).toBe(false);
  const open = ok(await alice.d.api.post(alice.me.id, `public ${body}`));
  expect((await store.findBlobs(alice.me.id, [open.id])).has(open.id)).toBe(true);
});
