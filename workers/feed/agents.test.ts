/**
 * Agents in the core: a key source acting as an agent makes commitOwn sign as the agent under the owner's
 * delegation (refusing what the delegation does not allow) and heads in the agent form; a feed's agent posts
 * carry their provenance to the timeline, and its profile lists its agents, revoked ones marked.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { buildDelegation } from '../../src/protocol/agents.ts';
import { type SignedCommit, buildCommit, provenanceOf } from '../../src/protocol/commits.ts';
import { checkHeadSignature } from '../../src/protocol/heads.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { type KeySource, buildOwnHead, memoryKeySource } from '../keys/key-source.ts';
import { applyCommits } from '../store/commit-store.ts';
import { MemoryCoreStore } from '../store/memory-core-store.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { commitLocal, commitOwn } from './local-commits.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, agentKey] = [key(21), key(22), key(23)];
const [alice, bob, agent] = [aliceKey, bobKey, agentKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];
const delegation = buildDelegation(bobKey, {
  agent,
  scope: ['post'],
  expires: Date.now() + 86_400_000,
  name: 'scribe',
});

test('commitOwn signs as the agent under its delegation, refuses ops outside it; heads in agent form', async () => {
  const store = new MemoryCoreStore();
  const held = memoryKeySource([{ secretKey: agentKey, id: bob, hubs: ['http://hub.test'] }]);
  const keys: KeySource = {
    ...held,
    findAgent: async (id) => (id === bob ? { id: agent, model: 'm-1', delegation } : undefined),
  };
  const deps = { store, keys, now: Date.now, locks: new KeyedLock() };
  const post = buildPost({ author: bob, body: 'by the agent', ts: Date.now() });
  const signed = await commitOwn(deps, bob, () => ({ ops: [{ type: 'post', object: post.id }], posts: [post] }));
  expect(signed.commit.author).toBe(bob);
  expect(await provenanceOf(signed, nobleVerify)).toEqual({
    author: bob,
    agent: { id: agent, model: 'm-1', delegated: true, name: 'scribe' },
  });
  const react: Op = { type: 'react', target: post.id, emoji: '👍' };
  await expect(commitOwn(deps, bob, () => ({ ops: [react], posts: [] }))).rejects.toMatchObject({ name: 'OutOfScope' });
  expect((await store.findTips(bob))?.heads).toEqual([signed.id]); // nothing stored for the refused one

  const head = await buildOwnHead(keys, bob, { heads: [signed.id], seq: 1, ts: Date.now() });
  expect(head.head).toMatchObject({ author: bob, agent: { id: agent } });
  await checkHeadSignature(head, nobleVerify);
});

let device: Device;
beforeEach(async () => {
  device = await openDevice({
    pseudonyms: [{ id: alice, name: 'Alice', hubs: ['http://127.0.0.1:9'], createdAt: 0, secretKey: aliceKey }],
  });
  device.net.down = true;
  await device.api.setOnline(false);
});
afterEach(() => device.close());

/** Alice follows Bob, as a local commit would store it. */
async function followBob(): Promise<void> {
  await commitLocal({ db: device.db, now: Date.now, locks: new KeyedLock() }, alice, () => ({
    ops: [{ type: 'follow', target: bob, handle: 'bob@b.test', hubs: ['http://b.test'] }],
    posts: [],
  }));
}

test('an agent’s post shows with its provenance, and the profile lists the agent, revoked once revoked', async () => {
  await followBob();
  const post = buildPost({ author: bob, body: 'written by scribe', ts: 1000 });
  const first = buildCommit(bobKey, { parents: [], seq: 1, ts: 900, ops: [{ type: 'profile', name: 'Bob' }] });
  const byAgent = buildCommit(agentKey, {
    parents: [first.id],
    seq: 2,
    ts: 1000,
    ops: [{ type: 'post', object: post.id }],
    agent: { id: agent, model: 'm-1', delegation },
  });
  const apply = (signed: SignedCommit, posts = [] as ReturnType<typeof buildPost>[]) =>
    applyCommits(device.db, [{ signed, blobs: posts.map(({ id, bytes }) => ({ id, bytes })), posts }]);
  await apply(first);
  await apply(byAgent, [post]);
  const items = await device.api.listTimeline(alice, { limit: 10 });
  expect(items.find((i) => i.id === post.id)?.agent).toEqual({
    id: agent,
    model: 'm-1',
    delegated: true,
    name: 'scribe',
  });
  expect((await device.api.findProfile(alice, bob))?.agents).toEqual([
    { id: agent, model: 'm-1', name: 'scribe', revoked: false },
  ]);

  const revoke = buildCommit(bobKey, { parents: [byAgent.id], seq: 3, ts: 2000, ops: [{ type: 'revoke', agent }] });
  await apply(revoke);
  expect((await device.api.findProfile(alice, bob))?.agents).toEqual([
    { id: agent, model: 'm-1', name: 'scribe', revoked: true },
  ]);
  // After the revocation: refused, so it never reaches the timeline; the earlier post stays.
  const after = agentPost([revoke], 4, 3000, 'after the revocation');
  await apply(after.signed, [after.post]);
  const bodies = (await device.api.listTimeline(alice, { limit: 10 })).map((i) => i.body);
  expect(bodies).toContain('written by scribe');
  expect(bodies).not.toContain('after the revocation');
});

function agentPost(parents: readonly SignedCommit[], seq: number, ts: number, body: string) {
  const post = buildPost({ author: bob, body, ts });
  const signed = buildCommit(agentKey, {
    parents: parents.map((p) => p.id),
    seq,
    ts,
    ops: [{ type: 'post', object: post.id }],
    agent: { id: agent, model: 'm-1', delegation },
  });
  return { signed, post };
}

/** Chunkings of five commits in DAG order, as batches a catch-up or live arrivals make. */
const CHUNKINGS = [[5], [1, 1, 1, 1, 1], [2, 3], [3, 2], [1, 2, 2], [4, 1]];

test('in any order and chunks, the agent’s post before the revocation shows; beside, after it: refused', async () => {
  await followBob();
  const first = buildCommit(bobKey, { parents: [], seq: 1, ts: 900, ops: [{ type: 'profile', name: 'Bob' }] });
  const before = agentPost([first], 2, 1000, 'before');
  const revoke = buildCommit(bobKey, {
    parents: [before.signed.id],
    seq: 3,
    ts: 2000,
    ops: [{ type: 'revoke', agent }],
  });
  // Beside: a sibling of the revocation (concurrent with it), arriving after it.
  const beside = agentPost([before.signed], 3, 2500, 'beside');
  const after = agentPost([revoke], 4, 3000, 'after');
  const item = (signed: SignedCommit, posts: ReturnType<typeof buildPost>[] = []) => ({
    signed,
    blobs: posts.map(({ id, bytes }) => ({ id, bytes })),
    posts,
  });
  const [i1, i2, i3, i4, i5] = [
    item(first),
    item(before.signed, [before.post]),
    item(revoke),
    item(beside.signed, [beside.post]),
    item(after.signed, [after.post]),
  ];
  // The sibling arrives after the revocation, or is held before it (its rows made, then undone).
  const orders = { revokeFirst: [i1, i2, i3, i4, i5], besideFirst: [i1, i2, i4, i3, i5] };
  for (const [order, items] of Object.entries(orders))
    for (const sizes of CHUNKINGS) {
      await device.close();
      device = await openDevice({
        pseudonyms: [{ id: alice, name: 'Alice', hubs: ['http://127.0.0.1:9'], createdAt: 0, secretKey: aliceKey }],
      });
      device.net.down = true;
      await device.api.setOnline(false);
      await followBob();
      let at = 0;
      for (const size of sizes) {
        await applyCommits(device.db, items.slice(at, at + size));
        at += size;
      }
      const timeline = await device.api.listTimeline(alice, { limit: 10, authors: [bob] });
      expect([order, sizes, timeline.map((i) => i.body)]).toEqual([order, sizes, ['before']]);
    }
});
