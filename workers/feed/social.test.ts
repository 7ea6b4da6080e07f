/** Social actions through the API (local signed commits) and the materialized timeline they change. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { applyCommits, findBlobs, findCommits } from '../store/commit-store.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, carolKey] = [key(11), key(12), key(13)];
const [alice, bob, carol] = [aliceKey, bobKey, carolKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];

let device: Device;
const lastOf = new Map<PseudonymId, SignedCommit>();

beforeEach(async () => {
  lastOf.clear();
  device = await openDevice({
    pseudonyms: [{ id: alice, name: 'Alice', hubs: ['http://127.0.0.1:9'], createdAt: 0, secretKey: aliceKey }],
  });
  device.net.down = true; // everything here is local: commits queue
  await device.api.setOnline(false);
});
afterEach(() => device.close());

/** A commit of a remote feed, stored as ingest would (verified objects alongside). */
async function remote(
  k: Uint8Array,
  ts: number,
  make: (author: PseudonymId) => { ops: Op[]; posts?: ReturnType<typeof buildPost>[] },
) {
  const author = pseudonymOf(k);
  const parent = lastOf.get(author);
  const { ops, posts = [] } = make(author);
  const signed = buildCommit(k, { parents: parent ? [parent.id] : [], seq: (parent?.commit.seq ?? 0) + 1, ts, ops });
  lastOf.set(author, signed);
  await applyCommits(device.db, [{ signed, blobs: posts.map(({ id, bytes }) => ({ id, bytes })), posts }]);
  return signed;
}
async function remotePost(k: Uint8Array, body: string, ts: number) {
  const p = buildPost({ author: pseudonymOf(k), body, ts });
  const commit = await remote(k, ts, () => ({ ops: [{ type: 'post', object: p.id }], posts: [p] }));
  return { id: p.id, commit, post: p };
}
async function followBob() {
  // Alice's follow, as a local commit would store it (the handle resolution is follow.test's subject).
  const { commitLocal } = await import('./local-commits.ts');
  const { KeyedLock } = await import('../../src/runtime/keyed-lock.ts');
  await commitLocal({ db: device.db, now: Date.now, locks: new KeyedLock() }, alice, () => ({
    ops: [{ type: 'follow', target: bob, handle: 'bob@b.test', hubs: ['http://b.test'] }],
    posts: [],
  }));
}
const timeline = (page = {}) => device.api.listTimeline(alice, { limit: 50, ...page });

test('post with reply, tags, media: media are sha256-named blobs; the parent counts it; thread nests it', async () => {
  const parent = ok(await device.api.post(alice, 'parent'));
  const media = new Uint8Array([1, 2, 3, 4]);
  const reply = ok(
    await device.api.post(alice, 'reply', {
      replyTo: parent.id,
      tags: ['x'],
      media: [{ bytes: media, type: 'image/png' }],
    }),
  );
  const items = await timeline();
  const shown = items.find((i) => i.id === reply.id)!;
  expect(shown).toMatchObject({ body: 'reply', replyTo: parent.id, tags: ['x'], queued: true });
  expect(shown.media).toHaveLength(1);
  expect(await device.api.findMedia(shown.media![0]!)).toEqual(media);
  expect(items.find((i) => i.id === parent.id)!.replies).toBe(1);
  const thread = await device.api.findThread(alice, reply.id);
  expect(thread?.root).toBe(parent.id);
  expect(thread?.items.map((i) => [i.body, i.depth])).toEqual([
    ['parent', 0],
    ['reply', 1],
  ]);
  const second = ok(await device.api.post(alice, 'second reply', { replyTo: parent.id }));
  expect((await timeline()).find((i) => i.id === parent.id)!.replies).toBe(2);
  ok(await device.api.deletePost(alice, second.id));
  expect((await timeline()).find((i) => i.id === parent.id)!.replies).toBe(1);
  expect((await device.api.findProfile(alice, alice))!.counts.posts).toBe(2);
  // The media blob is listed with the commit, so the outbox pushes it.
  const [row] = await findCommits(device.db, alice, [reply.commitId]);
  expect(row?.objects).toContain(shown.media![0]);
  expect((await device.api.post(alice, '   ')).ok).toBe(false);
});

test('reposts show once with the reposters among self and follows; a repost names the original commit', async () => {
  await followBob();
  const carolPost = await remotePost(carolKey, 'from carol', 1000);
  const bobPost = await remotePost(bobKey, 'from bob', 2000);
  expect((await timeline()).map((i) => i.body)).toEqual(['from bob']);
  // Bob reposts carol's post (verified through carol's commit): it shows once, reposted by bob.
  await remote(bobKey, 3000, () => ({ ops: [{ type: 'repost', object: carolPost.id, commit: carolPost.commit.id }] }));
  // (ingest would hand over the reposted post; here it is already held)
  let items = await timeline();
  expect(items.map((i) => [i.body, i.repostedBy])).toEqual([
    ['from bob', undefined],
    ['from carol', [bob]],
  ]);
  const repost = ok(await device.api.repost(alice, carolPost.id));
  const commit = await device.db.get('commits', repost.commitId); // a held commit's bytes live in its row
  expect(new TextDecoder().decode(commit!.bytes)).toContain(carolPost.commit.id);
  // A push of alice's feed carries carol's commit along: it is found among alice's blobs, not only in carol's packs.
  expect((await findBlobs(device.db, alice, [carolPost.commit.id])).get(carolPost.commit.id)).toEqual(
    carolPost.commit.bytes,
  );
  items = await timeline();
  expect(items.filter((i) => i.id === carolPost.id)).toHaveLength(1);
  expect(items.find((i) => i.id === carolPost.id)!.repostedBy).toEqual([alice, bob].sort());
  ok(await device.api.repost(alice, bobPost.id));
  expect((await timeline()).find((i) => i.id === bobPost.id)!.repostedBy).toEqual([alice]);
  // Alice withdraws her repost of carol's post; bob's still carries it.
  ok(await device.api.deletePost(alice, carolPost.id));
  expect((await timeline()).find((i) => i.id === carolPost.id)!.repostedBy).toEqual([bob]);
  // Unfollowing bob removes his posts and what only he reposted.
  ok(await device.api.unfollow(alice, bob));
  expect((await timeline()).map((i) => i.body)).toEqual(['from bob']); // still there: alice reposted it
  expect((await device.api.unfollow(alice, bob)).ok).toBe(false);
  expect(await device.api.repost(alice, '0'.repeat(64) as ObjectId)).toMatchObject({ ok: false, error: 'NotFound' });
});

test('reactions: last writer wins per (target, emoji, reactor), with counts and mine', async () => {
  await followBob();
  const bobPost = await remotePost(bobKey, 'hi', 1000);
  ok(await device.api.react(alice, bobPost.id, '👍'));
  await remote(bobKey, 2000, () => ({
    ops: [
      { type: 'react', target: bobPost.id, emoji: '👍' },
      { type: 'react', target: bobPost.id, emoji: '🎉' },
    ],
  }));
  expect((await timeline())[0]!.reactions).toEqual([
    { emoji: '🎉', count: 1, mine: false },
    { emoji: '👍', count: 2, mine: true },
  ]);
  ok(await device.api.unreact(alice, bobPost.id, '👍'));
  expect((await timeline())[0]!.reactions).toEqual([
    { emoji: '🎉', count: 1, mine: false },
    { emoji: '👍', count: 1, mine: false },
  ]);
  // An older unreact from bob loses to his newer react.
  await remote(bobKey, 1500, () => ({ ops: [{ type: 'unreact', target: bobPost.id, emoji: '🎉' }] }));
  expect((await timeline())[0]!.reactions).toEqual([
    { emoji: '🎉', count: 1, mine: false },
    { emoji: '👍', count: 1, mine: false },
  ]);
  expect(await device.api.react(alice, bobPost.id, 'abc')).toMatchObject({ ok: false, error: 'InvalidField' });
});

test('edits: own posts only; shown = latest; history oldest first; deletes hide', async () => {
  await followBob();
  const mine = ok(await device.api.post(alice, 'v1'));
  const v2 = ok(await device.api.edit(alice, mine.id, 'v2'));
  ok(await device.api.edit(alice, mine.id, 'v3'));
  const item = (await timeline()).find((i) => i.id === mine.id)!;
  expect(item).toMatchObject({ body: 'v3', edited: true });
  expect((await device.api.getEditHistory(alice, mine.id)).map((v) => v.body)).toEqual(['v1', 'v2', 'v3']);
  expect(v2.id).not.toBe(mine.id);
  const bobPost = await remotePost(bobKey, 'bob', 1000);
  expect(await device.api.edit(alice, bobPost.id, 'mine now')).toMatchObject({ ok: false, error: 'Forbidden' });
  expect(await device.api.deletePost(alice, bobPost.id)).toMatchObject({ ok: false, error: 'Forbidden' });
  ok(await device.api.deletePost(alice, mine.id));
  expect((await timeline()).map((i) => i.body)).toEqual(['bob']);
  // A tombstone that arrives before its post still wins.
  const later = buildPost({ author: bob, body: 'gone', ts: 5000 });
  await remote(bobKey, 4000, () => ({ ops: [{ type: 'delete', target: later.id }] }));
  await remote(bobKey, 5000, () => ({ ops: [{ type: 'post', object: later.id }], posts: [later] }));
  expect((await timeline()).map((i) => i.body)).toEqual(['bob']);
});

test("profiles: setProfile names own posts; a followed feed's profile names its posts; DAG counts", async () => {
  await followBob();
  await remotePost(bobKey, 'b1', Date.now() - 1000);
  ok(await device.api.post(alice, 'a1'));
  ok(
    await device.api.setProfile(alice, {
      name: 'Alice A.',
      bio: 'hello',
      topics: ['Rust', 'music', 'rust'],
      avatar: { bytes: new Uint8Array([9]), type: 'image/png' },
    }),
  );
  await remote(bobKey, Date.now(), () => ({
    ops: [
      { type: 'profile', name: 'Bob B.', topics: ['cycling'] },
      { type: 'react', target: '1'.repeat(64) as ObjectId, emoji: '👍' },
    ],
  }));
  const items = await timeline();
  expect(items.map((i) => i.authorName).sort()).toEqual(['Alice A.', 'Bob B.']);
  const profile = await device.api.findProfile(alice, alice);
  expect(profile).toMatchObject({
    name: 'Alice A.',
    bio: 'hello',
    topics: ['music', 'rust'],
    counts: { following: 1, followersSeen: 0, posts: 1, reactions: 0 },
    followed: false,
  });
  expect(await device.api.findMedia(profile!.avatar!)).toEqual(new Uint8Array([9]));
  expect(profile!.activity).toHaveLength(364);
  expect(profile!.activity.at(-1)).toBe(1);
  expect(await device.api.findProfile(alice, bob)).toMatchObject({
    name: 'Bob B.',
    topics: ['cycling'],
    handle: 'bob@b.test',
    counts: { following: 0, followersSeen: 1, posts: 1, reactions: 1 },
    followed: true,
  });
  expect(await device.api.findProfile(alice, carol)).toBeUndefined();
  expect(await device.api.setProfile(alice, {})).toMatchObject({ ok: false, error: 'InvalidField' });
  // An empty list clears the topics; a topic the protocol refuses changes nothing.
  ok(await device.api.setProfile(alice, { topics: [] }));
  expect((await device.api.findProfile(alice, alice))?.topics).toBeUndefined();
  expect(await device.api.setProfile(alice, { topics: ['no spaces'] })).toMatchObject({ ok: false });
  expect((await device.api.findProfile(alice, alice))?.topics).toBeUndefined();
});

test('paging on equal ts skips nothing; filters (authors, media, since, oldest first) stay in one viewer', async () => {
  await followBob();
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) ids.push((await remotePost(bobKey, `same ${i}`, 1000)).id);
  const media = buildPost({ author: bob, body: 'with media', ts: 900, media: ['2'.repeat(64) as ObjectId] });
  await remote(bobKey, 900, () => ({ ops: [{ type: 'post', object: media.id }], posts: [media] }));
  await remotePost(carolKey, 'not followed', 1000);
  const seen: string[] = [];
  let cursor: { ts: number; id: ObjectId } | undefined;
  for (;;) {
    const page = await timeline({ limit: 3, ...(cursor && { cursor }) });
    if (page.length === 0) break;
    seen.push(...page.map((i) => i.id));
    cursor = { ts: page.at(-1)!.ts, id: page.at(-1)!.id };
  }
  expect(seen).toEqual([...ids.sort().reverse(), media.id]);
  const oldest = await timeline({ order: 'oldest', limit: 2 });
  expect(oldest.map((i) => i.body)).toEqual(['with media', oldest[1]!.body]);
  expect(await timeline({ order: 'oldest', limit: 50, cursor: { ts: oldest[1]!.ts, id: oldest[1]!.id } })).toHaveLength(
    6,
  );
  expect((await timeline({ hasMedia: true })).map((i) => i.body)).toEqual(['with media']);
  expect(await timeline({ since: 1000 })).toHaveLength(7);
  expect(await timeline({ authors: [carol] })).toEqual([]);
  expect(await timeline({ authors: [bob], limit: 2 })).toHaveLength(2);
  expect(await device.api.listTimeline(bob, { limit: 50 })).toEqual([]);
});

test('rows are a function of the set of commits: any arrival order gives the same timeline', async () => {
  const p1 = buildPost({ author: bob, body: 'p1', ts: 100 });
  const p2 = buildPost({ author: bob, body: 'p2', ts: 200 });
  const e1 = buildPost({ author: bob, body: 'p1 edited', ts: 300 });
  const c1 = buildPost({ author: carol, body: 'c1', ts: 150 });
  const c1commit = buildCommit(carolKey, { parents: [], seq: 1, ts: 150, ops: [{ type: 'post', object: c1.id }] });
  const follow = buildCommit(aliceKey, {
    parents: [],
    seq: 1,
    ts: 50,
    ops: [{ type: 'follow', target: bob, hubs: ['http://b.test'] }],
  });
  // Independent roots, so every order is a valid delivery.
  const root = (ts: number, ops: Op[]) => buildCommit(bobKey, { parents: [], seq: 1, ts, ops });
  const items = [
    { signed: follow, blobs: [], posts: [] },
    { signed: root(100, [{ type: 'post', object: p1.id }]), blobs: [p1], posts: [p1] },
    {
      signed: root(200, [
        { type: 'post', object: p2.id },
        { type: 'react', target: p1.id, emoji: '👍' },
      ]),
      blobs: [p2],
      posts: [p2],
    },
    { signed: root(300, [{ type: 'edit', target: p1.id, object: e1.id }]), blobs: [e1], posts: [] },
    {
      signed: root(400, [
        { type: 'unreact', target: p1.id, emoji: '👍' },
        { type: 'repost', object: c1.id, commit: c1commit.id },
      ]),
      blobs: [c1, c1commit],
      posts: [],
      reposted: [{ post: c1, stamp: [150, c1commit.id, 0] as const }],
    },
    {
      signed: root(250, [
        { type: 'react', target: p1.id, emoji: '👍' },
        { type: 'delete', target: p2.id },
      ]),
      blobs: [],
      posts: [],
    },
  ].map((i) => ({ ...i, blobs: i.blobs.map(({ id, bytes }) => ({ id, bytes })) }));
  const orders = [
    [0, 1, 2, 3, 4, 5],
    [5, 4, 3, 2, 1, 0],
    [3, 5, 1, 0, 4, 2],
    [4, 0, 5, 2, 3, 1],
  ];
  const results: unknown[] = [];
  for (const order of orders) {
    const d = await openDevice({
      pseudonyms: [{ id: alice, name: 'Alice', hubs: ['http://127.0.0.1:9'], createdAt: 0, secretKey: aliceKey }],
    });
    for (const i of order) await applyCommits(d.db, [items[i]!]);
    results.push(await d.api.listTimeline(alice, { limit: 50 }));
    await d.close();
  }
  // Ordered by the post's own ts; p2 deleted; bob's 👍 stands by
  // its later stamp (400 unreact loses to nothing later: gone).
  expect(results[0]).toMatchObject([
    { body: 'c1', repostedBy: [bob] },
    { body: 'p1 edited', edited: true },
  ]);
  expect((results[0] as { reactions?: unknown }[])[1]!.reactions).toBeUndefined();
  for (const r of results.slice(1)) expect(r).toEqual(results[0]);
});
