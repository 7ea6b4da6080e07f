/**
 * Mutes and blocks as a reader meets them, against a real hub: muted words,
 * tags and feeds leave the timeline and threads and come back on unmute; a
 * blocked feed's posts, replies and reactions are hidden and no request
 * names it or fetches its new commits while it is blocked.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { ThreadView } from '../api/api-types.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { CoreDb } from '../store/db.ts';
import { filterThread, hiddenOf, hidesItem, wordPattern } from './filter.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

type ThreadItem = ThreadView['items'][number];

let hub: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

async function person(name: string) {
  const d = await openDevice();
  devices.push(d);
  const me = await d.api.createPseudonym({ name, homeHub: hub.url });
  const { handle } = ok(await d.api.claimHandle(me.id, name.toLowerCase()));
  return { d, id: me.id, handle };
}

const synced = (p: { d: Device; id: PseudonymId }) =>
  waitFor(
    'synced',
    () => p.d.api.getSyncStatus(p.id),
    (s) => s.state === 'synced',
  );

test('whole words in any case, phrases across spaces, tags without #', () => {
  const hidden = hiddenOf({
    mutedUsers: [],
    blocked: [],
    privateFollows: [],
    inboxMode: 'open',
    inboxAllow: [],
    approvedFollowers: [],
    listing: 'never',
    searchable: false,
    lens: {},
    mutedWords: [
      { value: 'spoiler', at: 1 },
      { value: 'red wedding', at: 1 },
    ],
    mutedTags: [{ value: 'rust', at: 1 }],
  });
  const author = 'a0'.repeat(32) as PseudonymId;
  expect(hidesItem(hidden, { author, body: 'A SPOILER ahead' })).toBe(true);
  expect(hidesItem(hidden, { author, body: 'spoilers are fine' })).toBe(false);
  expect(hidesItem(hidden, { author, body: 'the red\nwedding' })).toBe(true);
  expect(hidesItem(hidden, { author, body: 'nothing here', tags: ['Rust'] })).toBe(true);
  expect(hidesItem(hidden, { author, body: 'nothing here', tags: ['rusty'] })).toBe(false);
  expect(wordPattern('c++').test('I like c++ a lot')).toBe(true);
});

test('in a thread a hidden reply takes its replies with it; its siblings stay', async () => {
  const hidden = hiddenOf({
    mutedUsers: [],
    blocked: [],
    privateFollows: [],
    inboxMode: 'open',
    inboxAllow: [],
    approvedFollowers: [],
    listing: 'never',
    searchable: false,
    lens: {},
    mutedTags: [],
    mutedWords: [{ value: 'spoiler', at: 1 }],
  });
  const item = (id: string, body: string, depth: number) =>
    ({
      id,
      commitId: id,
      author: 'a0'.repeat(32),
      body,
      ts: 1,
      verified: true,
      queued: false,
      depth,
    }) as unknown as ThreadItem;
  const view = {
    root: 'r',
    items: [
      item('r', 'root', 0),
      item('a', 'a spoiler', 1),
      item('a1', 'under a', 2),
      item('a2', 'deeper', 3),
      item('b', 'sibling', 1),
      item('b1', 'under b', 2),
    ],
  } as unknown as ThreadView;
  // Words only: nothing needs the database (no counts to correct).
  const kept = await filterThread(undefined as unknown as CoreDb, hidden, view);
  expect(kept.items.map((i) => i.id)).toEqual(['r', 'b', 'b1']);
});

test('muted words, tags and feeds vanish from the timeline and threads, and come back', async () => {
  const bob = await person('Bob');
  const alice = await person('Alice');
  ok(await alice.d.api.follow(alice.id, bob.handle));
  const mine = ok(await alice.d.api.post(alice.id, 'what did you think?'));
  await synced(alice);
  ok(await bob.d.api.follow(bob.id, alice.handle)); // bob holds alice's post, so he can answer it
  const reply = ok(await bob.d.api.post(bob.id, 'big spoiler: it ends', { replyTo: mine.id }));
  ok(await bob.d.api.post(bob.id, 'about #Rust today', { tags: ['rust'] }));
  ok(await bob.d.api.react(bob.id, mine.id, '👍'));
  await synced(bob);
  await alice.d.api.syncNow(alice.id);
  const bodies = async () => (await alice.d.api.listTimeline(alice.id, { limit: 20 })).map((i) => i.body).sort();
  await waitFor('bob arrived', bodies, (b) => b.length === 3);

  ok(await alice.d.api.setMute(alice.id, 'word', 'Spoiler', true));
  expect(await bodies()).toEqual(['about #Rust today', 'what did you think?']);
  const thread = await alice.d.api.findThread(alice.id, mine.id);
  expect(thread!.items.map((i) => i.body)).toEqual(['what did you think?']);
  ok(await alice.d.api.setMute(alice.id, 'tag', '#rust', true));
  expect(await bodies()).toEqual(['what did you think?']);

  ok(await alice.d.api.setMute(alice.id, 'word', 'spoiler', false));
  ok(await alice.d.api.setMute(alice.id, 'tag', 'rust', false));
  expect(await bodies()).toEqual(['about #Rust today', 'big spoiler: it ends', 'what did you think?']);
  expect((await alice.d.api.findThread(alice.id, mine.id))!.items.map((i) => i.id)).toEqual([mine.id, reply.id]);

  ok(await alice.d.api.setMute(alice.id, 'user', bob.id, true));
  const [only] = await alice.d.api.listTimeline(alice.id, { limit: 20 });
  expect(only).toMatchObject({ body: 'what did you think?' });
  expect(only!.reactions).toBeUndefined(); // bob's reaction left the count
  expect(only!.replies).toBeUndefined(); // and his reply
  ok(await alice.d.api.setMute(alice.id, 'user', bob.id, false));
  const [back] = (await alice.d.api.listTimeline(alice.id, { limit: 20 })).filter((i) => i.id === mine.id);
  expect(back).toMatchObject({ reactions: [{ emoji: '👍', count: 1, mine: false }], replies: 1 });
});

test('a page is refilled past hidden posts, so paging does not stop early', async () => {
  const bob = await person('Bob');
  const alice = await person('Alice');
  ok(await alice.d.api.follow(alice.id, bob.handle));
  for (let i = 0; i < 6; i++) ok(await alice.d.api.post(alice.id, `mine ${i}`));
  for (let i = 0; i < 6; i++) ok(await bob.d.api.post(bob.id, `noise ${i}`));
  await synced(bob);
  await alice.d.api.syncNow(alice.id);
  await waitFor(
    'bob arrived',
    () => alice.d.api.listTimeline(alice.id, { limit: 50 }),
    (t) => t.length === 12,
  );
  ok(await alice.d.api.setMute(alice.id, 'user', bob.id, true));
  const first = await alice.d.api.listTimeline(alice.id, { limit: 4 });
  expect(first).toHaveLength(4);
  const last = first.at(-1)!;
  const second = await alice.d.api.listTimeline(alice.id, { limit: 4, cursor: { ts: last.ts, id: last.id } });
  expect([...first, ...second].map((i) => i.body).sort()).toEqual([
    'mine 0',
    'mine 1',
    'mine 2',
    'mine 3',
    'mine 4',
    'mine 5',
  ]);
});

test('a blocked feed is hidden and never fetched; unblocking fetches it again', async () => {
  const bob = await person('Bob');
  const alice = await person('Alice');
  await alice.d.api.setActive(alice.id);
  ok(await alice.d.api.follow(alice.id, bob.handle));
  const mine = ok(await alice.d.api.post(alice.id, 'hello'));
  await synced(alice);
  ok(await bob.d.api.follow(bob.id, alice.handle));
  ok(await bob.d.api.post(bob.id, 'a reply from bob', { replyTo: mine.id }));
  ok(await bob.d.api.react(bob.id, mine.id, '🎉'));
  await synced(bob);
  await waitFor(
    'bob arrived',
    () => alice.d.api.listTimeline(alice.id, { limit: 20 }),
    (t) => t.length === 2,
  );

  ok(await alice.d.api.setBlock(alice.id, bob.id, true));
  const timeline = await alice.d.api.listTimeline(alice.id, { limit: 20 });
  expect(timeline.map((i) => i.body)).toEqual(['hello']);
  expect(timeline[0]!.reactions).toBeUndefined();
  expect((await alice.d.api.findThread(alice.id, mine.id))!.items.map((i) => i.body)).toEqual(['hello']);
  // The stream was reopened without bob: wait for that, then watch what goes out.
  await waitFor(
    'a stream without bob',
    () => alice.d.net.streams.filter((s) => !s.signal?.aborted),
    (open) => open.length > 0 && open.every((s) => !s.url.includes(bob.id)),
  );
  const from = alice.d.net.urls.length;
  const later = ok(await bob.d.api.post(bob.id, 'posted while blocked'));
  await synced(bob);
  await alice.d.api.syncNow(alice.id);
  await alice.d.api.setOnline(false);
  await alice.d.api.setOnline(true);
  await alice.d.api.syncNow(alice.id);
  const sent = alice.d.net.urls.slice(from);
  expect(sent.length).toBeGreaterThan(0); // the checks below looked at real traffic
  expect(sent.filter((u) => u.includes(bob.id))).toEqual([]);
  expect(sent.filter((u) => u.includes(later.id) || u.includes(later.commitId))).toEqual([]);
  expect(await alice.d.db.getFromIndex('posts', 'byId', later.id)).toBeUndefined();

  ok(await alice.d.api.setBlock(alice.id, bob.id, false));
  await alice.d.api.syncNow(alice.id);
  await waitFor(
    'bob back',
    async () => (await alice.d.api.listTimeline(alice.id, { limit: 20 })).map((i) => i.body).sort(),
    (b) => JSON.stringify(b) === JSON.stringify(['a reply from bob', 'hello', 'posted while blocked']),
  );
});

test('blocking yourself is refused', async () => {
  const alice = await person('Alice');
  expect(await alice.d.api.setBlock(alice.id, alice.id, true)).toMatchObject({ ok: false, error: 'InvalidField' });
});

test("a blocked feed's notices are dropped from the inbox before anything they name is fetched", async () => {
  const bob = await person('Bob');
  const alice = await person('Alice');
  const mine = ok(await alice.d.api.post(alice.id, 'hello'));
  await synced(alice);
  ok(await alice.d.api.setBlock(alice.id, bob.id, true));
  ok(await bob.d.api.follow(bob.id, alice.handle));
  const reply = ok(await bob.d.api.post(bob.id, 'a reply from bob', { replyTo: mine.id }));
  await synced(bob);
  await waitFor(
    'the notice on the hub',
    async () =>
      (await bob.d.api.refreshInbox(bob.id)).ok &&
      bob.d.net.answers.some((a) => a.startsWith('POST /v1/inbox/') && a.endsWith(' 201')),
  );

  const from = alice.d.net.urls.length;
  const pulled = ok(await alice.d.api.refreshInbox(alice.id));
  expect(pulled.notifications).toBe(0);
  expect(await alice.d.api.listNotifications(alice.id, { limit: 10 })).toEqual([]);
  const sent = alice.d.net.urls.slice(from);
  expect(sent.some((u) => u.includes('/v1/inbox/'))).toBe(true); // the inbox was read
  // nothing it names was fetched
  expect(alice.d.net.log.slice(from).filter((l) => l.startsWith('POST /v1/blobs/batch'))).toEqual([]);
  expect(sent.filter((u) => u.includes(reply.commitId) || u.includes(reply.id))).toEqual([]);
});
