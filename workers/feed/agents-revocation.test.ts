/**
 * A revoked agent's commits in the app's store, for every arrival order (PROTOCOL.md, Agents): the agent's
 * post the owner had seen when revoking stays; a concurrent commit of the agent (post, reply, reaction, vote,
 * edit, delete, profile field) counts nowhere, whether it arrived before the revocation (its rows undone) or
 * after it (never made), and a later revocation that descends from it brings it back. The model (feedState)
 * says the same.
 */
import { afterEach, expect, test } from 'vitest';
import { buildDelegation } from '../../src/protocol/agents.ts';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { feedState, shownVersion } from '../../src/protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import type { VerifiedCommit } from '../store/apply-plan.ts';
import { applyCommits } from '../store/commit-store.ts';
import { storeWalked } from '../store/idb-core-store.ts';
import { ROWS_AT_ONCE, packedPostCount } from '../store/lazy-posts.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { commitLocal } from './local-commits.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, agentKey] = [key(41), key(42), key(43)];
const [alice, bob, agent] = [aliceKey, bobKey, agentKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];
const delegation = buildDelegation(bobKey, {
  agent,
  scope: ['post', 'react', 'edit', 'delete', 'profile', 'vote'],
  expires: Date.now() + 86_400_000,
  name: 'scribe',
});

type Post = BuiltObject<PostObject>;
const post = (body: string, ts: number) => buildPost({ author: bob, body, ts });
const item = (signed: SignedCommit, posts: Post[] = [], blobs: Post[] = []): VerifiedCommit => ({
  signed,
  blobs: [...posts, ...blobs].map(({ id, bytes }) => ({ id, bytes })),
  posts,
});

// Bob's feed: his posts b0 and b1 and his edit of b0 (c0, c1); the agent's p1, which Bob sees and revokes after
// (r on p1); the agent's concurrent commit (p2 on p1: a post, a reaction, an edit of b0, a delete of b1, a bio).
const [b0, b1, v0, v1] = [post('b0', 100), post('b1', 110), post('b0, edited by bob', 200), post('b0, by agent', 400)];
const [p1, p2] = [post('p1 seen', 300), post('p2 concurrent', 400)];
const p3 = buildPost({ author: bob, body: 'p3 a reply', ts: 401, reply_to: b0.id });
const c0 = buildCommit(bobKey, {
  parents: [],
  seq: 1,
  ts: 100,
  ops: [
    { type: 'profile', name: 'Bob', bio: 'by bob' },
    { type: 'post', object: b0.id },
    { type: 'post', object: b1.id },
  ],
});
const c1 = buildCommit(bobKey, {
  parents: [c0.id],
  seq: 2,
  ts: 200,
  ops: [{ type: 'edit', target: b0.id, object: v0.id }],
});
const byAgent = (parents: readonly SignedCommit[], seq: number, ts: number, ops: Op[]) =>
  buildCommit(agentKey, {
    parents: parents.map((p) => p.id),
    seq,
    ts,
    ops,
    agent: { id: agent, model: 'm-1', delegation },
  });
const a1 = byAgent([c1], 3, 300, [{ type: 'post', object: p1.id }]);
const a2 = byAgent([a1], 4, 400, [
  { type: 'post', object: p2.id },
  { type: 'react', target: b0.id, emoji: '👍' },
  { type: 'edit', target: b0.id, object: v1.id },
  { type: 'delete', target: b1.id },
  { type: 'profile', bio: 'by the agent' },
  { type: 'post', object: p3.id },
  { type: 'vote', target: b0.id, value: 1 },
]);
const r = buildCommit(bobKey, { parents: [a1.id], seq: 4, ts: 350, ops: [{ type: 'revoke', agent }] });
const [i0, i1, ia1, ia2, ir] = [
  item(c0, [b0, b1]),
  item(c1, [], [v0]),
  item(a1, [p1]),
  item(a2, [p2, p3], [v1]),
  item(r),
];

let device: Device;
afterEach(() => device.close());

/** A fresh device where Alice follows Bob, holding `batches` applied in turn. */
async function deviceWith(batches: readonly (readonly VerifiedCommit[])[]): Promise<void> {
  device = await openDevice({
    pseudonyms: [{ id: alice, name: 'Alice', hubs: ['http://127.0.0.1:9'], createdAt: 0, secretKey: aliceKey }],
  });
  device.net.down = true;
  await device.api.setOnline(false);
  await commitLocal({ db: device.db, now: Date.now, locks: new KeyedLock() }, alice, () => ({
    ops: [{ type: 'follow', target: bob, handle: 'bob@b.test', hubs: ['http://b.test'] }],
    posts: [],
  }));
  for (const batch of batches) await applyCommits(device.db, batch);
}

/** What Alice's device shows of Bob: timeline bodies, reactions on b0, b1's thread, the profile's bio and counts. */
async function shown() {
  const timeline = await device.api.listTimeline(alice, { limit: 20, authors: [bob] });
  const profile = await device.api.findProfile(alice, bob);
  const thread = await device.api.findThread(alice, p2.id);
  return {
    bodies: timeline.map((i) => i.body).sort(),
    reactions: timeline.find((i) => i.id === b0.id)?.reactions ?? [],
    replies: timeline.find((i) => i.id === b0.id)?.replies ?? 0,
    up: timeline.find((i) => i.id === b0.id)?.votes?.up ?? 0,
    p2Thread: thread?.items.map((i) => i.body) ?? [],
    bio: profile?.bio,
    posts: profile?.counts.posts,
  };
}

/** What the model says the same device must show, from the same commits. */
function modelShown(commits: readonly SignedCommit[]) {
  const state = feedState(commits.map(({ id, commit }) => ({ id, commit })));
  const posts = [b0, b1, v0, v1, p1, p2, p3];
  const bodyOf = new Map<ObjectId, string>(posts.map((p) => [p.id, p.value.body]));
  const visible = [...state.posts.keys()].filter((id) => !state.deleted.has(id));
  return {
    bodies: visible.map((id) => bodyOf.get(shownVersion(state, id)!)!).sort(),
    reactions: state.reactions.get(`${b0.id} 👍`)?.value ? [{ emoji: '👍', count: 1, mine: false }] : [],
    replies: visible.filter((id) => posts.find((p) => p.id === id)?.value.reply_to === b0.id).length,
    up: [...state.votes.values()].filter((v) => v.value === 1).length,
    bio: state.profile.get('bio')?.value,
    posts: visible.length,
  };
}

const REVOKED = {
  bodies: ['b0, edited by bob', 'b1', 'p1 seen'],
  reactions: [],
  replies: 0,
  up: 0,
  p2Thread: [],
  bio: 'by bob',
  posts: 3,
};

/** Every DAG order of the five commits (a2 and r are concurrent), in every chunking. */
const ORDERS = { revokeFirst: [i0, i1, ia1, ir, ia2], agentFirst: [i0, i1, ia1, ia2, ir] };
const CHUNKINGS = [[5], [1, 1, 1, 1, 1], [3, 2], [4, 1], [3, 1, 1], [1, 2, 2]];

test('in any order and chunks, a revoked agent’s concurrent post, reaction, edit, delete count nowhere', async () => {
  for (const [order, items] of Object.entries(ORDERS)) {
    for (const sizes of CHUNKINGS) {
      const ends = sizes.map((_, i) => sizes.slice(0, i + 1).reduce((a, b) => a + b));
      await deviceWith(ends.map((end, i) => items.slice(ends[i - 1] ?? 0, end)));
      expect([order, sizes, await shown()]).toEqual([order, sizes, REVOKED]);
      await device.close();
    }
  }
  const { p2Thread: _, ...seen } = REVOKED;
  expect(modelShown([c0, c1, a1, a2, r])).toEqual(seen);
  await deviceWith([]);
});

test('held before the revocation, the agent’s commit showed everywhere the model said, until it came', async () => {
  await deviceWith([[i0, i1, ia1, ia2]]);
  const before = await shown();
  const { p2Thread, ...seen } = before;
  expect(seen).toEqual(modelShown([c0, c1, a1, a2]));
  expect(before.bodies).toEqual(['b0, by agent', 'p1 seen', 'p2 concurrent', 'p3 a reply']);
  expect([before.replies, before.up, before.reactions.length]).toEqual([1, 1, 1]);
  expect(p2Thread).toEqual(['p2 concurrent']);
  const found = async () => (await device.api.search(alice, 'concurrent', { limit: 10 })).items.map((i) => i.body);
  expect(await found()).toEqual(['p2 concurrent']);
  await applyCommits(device.db, [ir]);
  expect(await shown()).toEqual(REVOKED);
  // Refused, never found again: its search row left with its post row.
  expect([await found(), await device.db.count('search')]).toEqual([[], 3]);
});

test('a later revocation that descends from the agent’s commit brings it back, in model and store', async () => {
  const r2 = buildCommit(bobKey, { parents: [r.id, a2.id], seq: 5, ts: 500, ops: [{ type: 'revoke', agent }] });
  for (const batches of [
    [[i0, i1, ia1, ir], [ia2], [item(r2)]],
    [[i0, i1, ia1, ia2], [ir], [item(r2)]],
  ]) {
    await deviceWith(batches);
    const { p2Thread, ...seen } = await shown();
    expect(seen).toEqual(modelShown([c0, c1, a1, a2, r, r2]));
    expect(seen.bodies).toEqual(['b0, by agent', 'p1 seen', 'p2 concurrent', 'p3 a reply']);
    expect(p2Thread).toEqual(['p2 concurrent']);
    await device.close();
  }
  await deviceWith([]);
});

test('an agent’s post still in a pack (a long first catch-up) is refused by a later revocation', async () => {
  await deviceWith([]);
  const root = item(c0, [b0, b1]);
  const old = post('agent, long ago', 150);
  const byOld = item(byAgent([c0], 2, 150, [{ type: 'post', object: old.id }]), [old]);
  const chain: VerifiedCommit[] = [];
  for (let i = 0, parent = c0; i < ROWS_AT_ONCE + 20; i++) {
    const p = post(`bob ${i}`, 1000 + i);
    const signed = buildCommit(bobKey, {
      parents: [parent.id],
      seq: i + 2,
      ts: 1000 + i,
      ops: [{ type: 'post', object: p.id }],
    });
    chain.push(item(signed, [p]));
    parent = signed;
  }
  await storeWalked(device.db, [root, byOld, ...chain], true);
  expect(await packedPostCount(device.db)).toBeGreaterThan(0); // the agent's old post among them, without a row
  const last = chain.at(-1)!.signed;
  await applyCommits(device.db, [
    item(
      buildCommit(bobKey, { parents: [last.id], seq: last.commit.seq + 1, ts: 5000, ops: [{ type: 'revoke', agent }] }),
    ),
  ]);
  const oldest = await device.api.listTimeline(alice, { limit: 4, authors: [bob], order: 'oldest' });
  expect(oldest.map((i) => i.body)).toEqual(['b0', 'b1', 'bob 0', 'bob 1']);
  expect((await device.api.findProfile(alice, bob))?.counts.posts).toBe(ROWS_AT_ONCE + 22);
});
