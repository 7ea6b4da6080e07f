/**
 * Naming the people met in the inbox (people.ts): someone alice does not
 * follow reacts to her post or writes to her, and her device fetches their
 * feed, verified, through her hubs and the hubs they gave her, so she sees
 * their published name; once per person, refreshed rarely, and only for the
 * pseudonym whose inbox it is.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { pickVerify } from '../../src/protocol/keys.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { keyringSource } from '../keys/keyring.ts';
import { createHubClient } from '../net/hub-client.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { type Device, Network, openDevice } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';
import { PEOPLE_LIMITS, type PersonState, decidePeopleFetches, fetchPeople } from './people.ts';
import { ok } from '../testing/ok.ts';

const id = (c: string) => c.repeat(64) as PseudonymId;
const HOUR = 60 * 60 * 1000;
const NOW = 100 * 24 * HOUR;

test.each<{ comment: string; people: PersonState[]; want: string[] }>([
  { comment: 'a person never fetched is fetched', people: [{ id: id('a'), kept: false, held: false }], want: ['a'] },
  {
    comment: 'a feed a local pseudonym follows is never fetched here',
    people: [{ id: id('a'), kept: true, held: false }],
    want: [],
  },
  {
    comment: 'a person met twice is fetched once',
    people: [
      { id: id('a'), kept: false, held: false },
      { id: id('a'), kept: false, held: false },
    ],
    want: ['a'],
  },
  {
    comment: 'a held feed fetched within a day waits; one fetched a day ago is refreshed',
    people: [
      { id: id('a'), kept: false, held: true, fetchedAt: NOW - 23 * HOUR },
      { id: id('b'), kept: false, held: true, fetchedAt: NOW - 24 * HOUR },
    ],
    want: ['b'],
  },
  {
    comment: 'a feed no hub had is asked again after an hour, not before',
    people: [
      { id: id('a'), kept: false, held: false, fetchedAt: NOW - HOUR + 1 },
      { id: id('b'), kept: false, held: false, fetchedAt: NOW - HOUR },
    ],
    want: ['b'],
  },
  {
    comment: 'a held feed the owner never fetched (opened by handle) is refreshed once',
    people: [{ id: id('a'), kept: false, held: true }],
    want: ['a'],
  },
  {
    comment: 'at most perRun people a run, the first met first',
    people: [...'abcdefghij'].map((c) => ({ id: id(c), kept: false, held: false })),
    want: [...'abcdefgh'],
  },
])('$comment', ({ people, want }) => {
  expect(decidePeopleFetches(people, NOW)).toEqual(want.map((c) => id(c)));
  expect(PEOPLE_LIMITS.perRun).toBe(8);
});

let hubA: TestHub;
let hubB: TestHub;
let a: Device;
let c: Device;
let d: Device;
let alice: PseudonymId;
let carol: PseudonymId;
let dave: PseudonymId;

const synced = (device: Device, p: PseudonymId) =>
  waitFor(
    'synced',
    () => device.api.getSyncStatus(p),
    (s) => s.state === 'synced',
  );
const delivered = (device: Device) =>
  waitFor(
    'notices delivered',
    () => device.db.count('deliveries'),
    (n) => n === 0,
  );

beforeAll(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
  const quiet = { deps: { inboxPollMs: 600_000 } };
  [a, c, d] = await Promise.all([openDevice(quiet), openDevice(quiet), openDevice(quiet)]);
  alice = (await a.api.createPseudonym({ name: 'Alice', homeHub: hubA.url })).id;
  carol = (await c.api.createPseudonym({ name: 'Carol', homeHub: hubA.url })).id;
  dave = (await d.api.createPseudonym({ name: 'Dave', homeHub: hubB.url })).id;
  ok(await a.api.claimHandle(alice, 'alice'));
  // Names as onboarding publishes them: a profile op in each feed.
  ok(await c.api.setProfile(carol, { name: 'Carol Reed' }));
  ok(await d.api.setProfile(dave, { name: 'Dave Hill' }));
  await a.api.setActive(alice);
});
afterAll(async () => {
  await Promise.all([a?.close(), c?.close(), d?.close()]);
  await Promise.all([hubA?.stop(), hubB?.stop()]);
});

test('a reaction from someone alice does not follow, on her hub: the notification is named once fetched', async () => {
  const post = ok(await a.api.post(alice, 'react to this'));
  await synced(a, alice);
  ok(await c.api.follow(carol, `alice@${hubA.host}`));
  await waitFor(
    'carol holds the post',
    () => c.api.listTimeline(carol, { limit: 10 }),
    (items) => items.some((i) => i.id === post.id),
  );
  ok(await c.api.react(carol, post.id, '🎉'));
  const reply = ok(await c.api.post(carol, 'a reply from someone unfollowed', { replyTo: post.id }));
  await delivered(c);
  await synced(c, carol); // her feed (its name) is on the hub before anyone asks for it

  ok(await a.api.refreshInbox(alice));
  const named = await waitFor(
    'every notification named',
    () => a.api.listNotifications(alice, { limit: 10 }),
    (items) => items.length === 3 && items.every((n) => n.fromName === 'Carol Reed'),
  );
  expect(named.map((n) => [n.kind, n.from]).sort()).toEqual([
    ['follow', carol], // her follow tells alice too
    ['react', carol],
    ['reply', carol],
  ]);
  // Her reply is held now, named in alice's thread; fetched to name her, not followed: off alice's timeline.
  const thread = await a.api.findThread(alice, post.id);
  expect(thread?.items.find((i) => i.id === reply.id)).toMatchObject({ author: carol, authorName: 'Carol Reed' });
  expect((await a.api.findProfile(alice, carol))?.followed).toBe(false);
  expect((await a.api.listTimeline(alice, { limit: 10 })).every((i) => i.author === alice)).toBe(true);
});

test('a message from someone on another hub: the conversation is named by what they publish', async () => {
  ok(await a.api.enableMessages(alice));
  ok(await d.api.enableMessages(dave));
  await Promise.all([a.api.syncNow(alice), d.api.syncNow(dave)]);
  ok(await d.api.openConversation(dave, `alice@${hubA.host}`));
  ok(await d.api.sendMessage(dave, alice, 'hello from the other hub'));
  await delivered(d);

  ok(await a.api.refreshInbox(alice));
  await waitFor(
    'the conversation named',
    () => a.api.listConversations(alice),
    (list) => list[0]?.peerName === 'Dave Hill',
  );
  expect(await a.api.getContact(alice, dave)).toMatchObject({ peer: dave, name: 'Dave Hill' });
});

test('bounded and unlinkable: asked once per person, again a day later, never for another pseudonym', async () => {
  const net = new Network();
  const clients = new Map<string, ReturnType<typeof createHubClient>>();
  let now = Date.now();
  const deps = {
    store: new IdbCoreStore(a.db),
    keys: keyringSource(a.db),
    hub: (origin: string) =>
      clients.get(origin) ?? clients.set(origin, createHubClient(origin, net.fetch)).get(origin)!,
    verify: await pickVerify(),
    now: () => now,
    locks: new KeyedLock(),
  };
  // Both were fetched by the runs above (their pulls): nothing is asked again within the day.
  expect(await fetchPeople(deps, alice)).toEqual([]);
  expect(net.log).toEqual([]);

  // Another pseudonym on the same device met nobody: it asks no hub about alice's people.
  const alt = (await a.api.createPseudonym({ name: 'Alt', homeHub: hubB.url })).id;
  expect(await fetchPeople(deps, alt)).toEqual([]);
  expect(net.log).toEqual([]);

  // A day later each is asked once more: carol on alice's hub; dave where he said he reads (hub B) and on
  // alice's hub, the newest head winning. No other hub hears of either.
  now += PEOPLE_LIMITS.refreshMs;
  expect((await fetchPeople(deps, alice)).sort()).toEqual([carol, dave].sort());
  const asked = net.urls.filter((u) => new URL(u).pathname === '/v1/heads').map((u) => new URL(u).origin);
  const [originA, originB] = [hubA.url, hubB.url].map((u) => new URL(u).origin);
  expect(asked.sort()).toEqual([originA, originA, originB].sort());
  expect(await fetchPeople(deps, alice)).toEqual([]);
});
