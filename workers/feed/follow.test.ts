/** Following by handle across two real hubs: resolve, verify, fetch, and live updates over the event stream. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Change } from '../api/api-types.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { waitFor } from '../testing/wait.ts';
import { countCommits } from '../store/commit-store.ts';
import { ok } from '../testing/ok.ts';

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

async function device(): Promise<Device> {
  const d = await openDevice();
  devices.push(d);
  return d;
}

async function person(hub: TestHub, name: string) {
  const d = await device();
  const me = await d.api.createPseudonym({ name, homeHub: hub.url });
  const { handle } = ok(await d.api.claimHandle(me.id, name.toLowerCase()));
  return { d, me, handle };
}

test('alice on hub A follows bob on hub B by handle and sees his post, verified, with his handle', async () => {
  const bob = await person(hubB, 'Bob');
  expect(bob.handle).toBe(`bob@${hubB.host}`);
  expect((await bob.d.api.listPseudonyms())[0]!.handle).toBe(bob.handle);
  const bobPost = ok(await bob.d.api.post(bob.me.id, 'hello from hub B'));
  await waitFor(
    'bob synced',
    () => bob.d.api.getSyncStatus(bob.me.id),
    (s) => s.state === 'synced',
  );

  const alice = await person(hubA, 'Alice');
  ok(await alice.d.api.post(alice.me.id, 'alice here'));
  const followed = ok(await alice.d.api.follow(alice.me.id, `@${bob.handle.toUpperCase()}`));
  expect(followed.target).toBe(bob.me.id);

  const timeline = await alice.d.api.listTimeline(alice.me.id, { limit: 10 });
  expect(timeline.map((i) => i.body).sort()).toEqual(['alice here', 'hello from hub B']);
  const fromBob = timeline.find((i) => i.author === bob.me.id)!;
  expect(fromBob).toMatchObject({
    id: bobPost.id,
    commitId: bobPost.commitId,
    authorHandle: bob.handle,
    verified: true,
    queued: false,
  });
  expect(timeline.find((i) => i.author === alice.me.id)!.authorHandle).toBe(alice.handle);

  // Following again records nothing new.
  const commitsBefore = await countCommits(alice.d.db);
  ok(await alice.d.api.follow(alice.me.id, bob.handle));
  expect(await countCommits(alice.d.db)).toBe(commitsBefore);
});

test('a long catch-up does not hold the follow: it answers, and the posts arrive in the background', async () => {
  const bob = await person(hubB, 'Bob');
  ok(await bob.d.api.post(bob.me.id, 'slow to fetch'));
  await waitFor(
    'bob synced',
    () => bob.d.api.getSyncStatus(bob.me.id),
    (s) => s.state === 'synced',
  );
  const d = await openDevice({ deps: { followWaitMs: 50 } });
  devices.push(d);
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  // Hold every fetch of blobs (the catch-up's, after it read bob's head) until released.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  d.net.before = async (method, path) => {
    if (method !== 'PUT' && (path.startsWith('/v1/blobs/batch') || (method === 'GET' && path.startsWith('/v1/blobs/'))))
      await gate;
  };
  const notices: Change[] = [];
  const unsubscribe = await d.api.subscribe((change) => void notices.push(change));

  expect(ok(await d.api.follow(alice.id, bob.handle)).target).toBe(bob.me.id);
  expect((await d.api.listTimeline(alice.id, { limit: 5 })).map((i) => i.body)).not.toContain('slow to fetch');
  // Once the follow commit's own send is over (a send names its hub), the badge still says syncing: bob's
  // feed is being read, before its first batch reports progress. "Synced" here would be untrue.
  const meanwhile = await waitFor(
    'the send of the follow over',
    () => d.api.getSyncStatus(alice.id),
    (s) => s.state !== 'syncing' || !s.hub,
  );
  expect(meanwhile).toEqual({ state: 'syncing', queued: 0 });
  const seen = notices.length;
  release();
  await waitFor(
    'bob post at alice',
    async () => (await d.api.listTimeline(alice.id, { limit: 5 })).map((i) => i.body),
    (b) => b.includes('slow to fetch'),
  );
  await waitFor('timeline notice', () =>
    notices.slice(seen).some((n) => n.kind === 'timeline' && n.pseudonym === alice.id),
  );
  await waitFor(
    'alice synced',
    () => d.api.getSyncStatus(alice.id),
    (s) => s.state === 'synced',
  );
  unsubscribe();
});

test('live: with alice active, a new post by bob arrives over the stream and a timeline notice follows', async () => {
  const bob = await person(hubB, 'Bob');
  const alice = await person(hubA, 'Alice');
  ok(await alice.d.api.follow(alice.me.id, bob.handle));
  const notices: Change[] = [];
  const unsubscribe = await alice.d.api.subscribe((change) => void notices.push(change));
  await alice.d.api.setActive(alice.me.id);

  ok(await bob.d.api.post(bob.me.id, 'live from B'));
  await waitFor(
    'bob post at alice',
    async () => (await alice.d.api.listTimeline(alice.me.id, { limit: 5 })).map((i) => i.body),
    (b) => b.includes('live from B'),
  );
  await waitFor('timeline notice', () => notices.some((n) => n.kind === 'timeline' && n.pseudonym === alice.me.id));
  expect(Object.keys(notices[0]!).sort()).toEqual(['kind', 'pseudonym']);
  unsubscribe();

  // Switching the active pseudonym closes alice's streams: bob's next post does not arrive until asked for.
  await alice.d.api.setActive(undefined);
  expect(alice.d.net.streams.length).toBeGreaterThan(0);
  expect(alice.d.net.streams.every((s) => s.signal?.aborted)).toBe(true);
  const streamsBefore = alice.d.net.log.filter((l) => l.startsWith('GET /v1/stream')).length;
  ok(await bob.d.api.post(bob.me.id, 'while alice is away'));
  await waitFor(
    'bob synced',
    () => bob.d.api.getSyncStatus(bob.me.id),
    (s) => s.state === 'synced',
  );
  expect((await alice.d.api.listTimeline(alice.me.id, { limit: 5 })).map((i) => i.body)).not.toContain(
    'while alice is away',
  );
  expect(alice.d.net.log.filter((l) => l.startsWith('GET /v1/stream')).length).toBe(streamsBefore);
  await alice.d.api.syncNow(alice.me.id);
  expect((await alice.d.api.listTimeline(alice.me.id, { limit: 5 })).map((i) => i.body)).toContain(
    'while alice is away',
  );
});

test("each pseudonym gets its own stream: no connection names two pseudonyms' follow sets", async () => {
  const bob = await person(hubB, 'Bob');
  const carol = await person(hubB, 'Carol');
  const d = await device();
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  const dave = await d.api.createPseudonym({ name: 'Dave', homeHub: hubA.url });
  ok(await d.api.follow(alice.id, bob.handle));
  ok(await d.api.follow(dave.id, carol.handle));

  const authorsOf = (url: string) => new URL(url).searchParams.get('authors')!.split(',');
  await d.api.setActive(alice.id);
  await waitFor('alice streams', () => d.net.streams.length === 2);
  expect(d.net.streams.map((s) => authorsOf(s.url)).sort()).toEqual([[alice.id], [bob.me.id]].sort());
  await d.api.setActive(dave.id);
  await waitFor('dave streams', () => d.net.streams.length === 4);
  expect(d.net.streams.slice(0, 2).every((s) => s.signal?.aborted)).toBe(true);
  expect(d.net.streams.slice(2).some((s) => s.signal?.aborted)).toBe(false);
  expect(
    d.net.streams
      .slice(2)
      .map((s) => authorsOf(s.url))
      .sort(),
  ).toEqual([[dave.id], [carol.me.id]].sort());
  for (const { url } of d.net.streams) {
    const authors = authorsOf(url);
    const forAlice = authors.some((a) => a === alice.id || a === bob.me.id);
    const forDave = authors.some((a) => a === dave.id || a === carol.me.id);
    expect(forAlice && forDave).toBe(false);
  }
});

test('a handle that does not exist, or on a hub that is down, comes back as a named failure', async () => {
  const alice = await person(hubA, 'Alice');
  expect(await alice.d.api.follow(alice.me.id, `nobody@${hubB.host}`)).toMatchObject({ ok: false, error: 'NotFound' });
  expect(await alice.d.api.follow(alice.me.id, 'not a handle')).toMatchObject({ ok: false, error: 'InvalidField' });
  alice.d.net.down = true;
  expect(await alice.d.api.follow(alice.me.id, `bob@${hubB.host}`)).toMatchObject({ ok: false, error: 'Offline' });
  alice.d.net.down = false;
  const other = await person(hubA, 'Bob');
  expect(await other.d.api.claimHandle(other.me.id, 'alice')).toMatchObject({ ok: false, error: 'HandleTaken' });
});
