/**
 * The core store contract's revocation cases (PROTOCOL.md, Agents; contract.ts runs them on every store, on a
 * fresh store each): a revoked agent's concurrent commits count nowhere in any arrival order, a repost gives its
 * refused post no row, profile fields follow.
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { expect } from 'vitest';
import { buildDelegation } from '../../src/protocol/agents.ts';
import { buildCommit } from '../../src/protocol/commits.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import {
  TS,
  agent,
  agentCommit,
  agentKey,
  alice,
  aliceKey,
  bob,
  bobKey,
  commit,
  idOf,
  opsCommit,
  own,
  repostOf,
} from './contract-commits.ts';
import type { WithStore } from './inbox-contract.ts';

export function revocationContractCases(withStore: WithStore): void {
  // Revocation (PROTOCOL.md, Agents): bob revokes his agent having seen `seen`, not `beside` (concurrent).
  const carol = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(35)));
  const dave = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(36)));
  const b1 = commit(bobKey, [], 'bob one');
  const seen = agentCommit([b1], 'seen', carol);
  const beside = agentCommit([seen], 'beside', dave);
  const revoke = opsCommit(bobKey, [seen], [{ type: 'revoke', agent }]);
  const orders = {
    'held before the revocation, one batch each': [[b1], [seen], [beside], [revoke]],
    'arriving after the revocation': [[b1, seen, revoke], [beside]],
    'all in one batch': [[b1, seen, beside, revoke]],
  };
  for (const [order, batches] of Object.entries(orders)) {
    withStore(`a revoked agent's concurrent follow counts nowhere, its commit stays held: ${order}`, async (store) => {
      for (const batch of batches) await store.applyBatch({ kind: 'ingested', items: batch });
      expect((await store.listFollows(bob)).map((f) => f.target)).toEqual([carol]);
      expect(await store.listFollowers(dave)).toEqual([]);
      expect(await store.findCommitSeqs(bob, [idOf(beside)])).toEqual(new Map([[idOf(beside), 3]]));
      // The DAG stays whole: a push of the refused commit finds its post's bytes.
      const post = beside.posts[0]!;
      expect((await store.findBlobs(bob, [post.id])).get(post.id)).toEqual(post.bytes);
      // A later revocation that descends from it makes it count.
      await store.applyBatch({
        kind: 'ingested',
        items: [opsCommit(bobKey, [revoke, beside], [{ type: 'revoke', agent }])],
      });
      expect((await store.listFollows(bob)).map((f) => f.target).sort()).toEqual([carol, dave].sort());
    });
  }

  const repost = repostOf(beside);
  const repostOrders = {
    'the repost last': [[b1, seen, beside], [revoke], [repost]],
    'the refused commit last': [[b1, seen, revoke], [repost], [beside]],
    'the repost first': [[repost], [b1, seen, beside, revoke]],
  };
  for (const [order, batches] of Object.entries(repostOrders)) {
    withStore(`a repost of a revoked agent's refused post gives it no row: ${order}`, async (store) => {
      for (const batch of batches) await store.applyBatch({ kind: 'ingested', items: batch });
      expect(await store.findPostAuthor(beside.posts[0]!.id)).toBeUndefined();
      expect(await store.findPostAuthor(seen.posts[0]!.id)).toBe(bob);
    });
  }

  withStore("a profile field: kept across a catch-up of posts, taken back with its revoked agent's", async (store) => {
    const delegation = buildDelegation(bobKey, { agent, scope: ['profile'], expires: TS + 86_400_000 });
    const named = buildCommit(agentKey, {
      parents: [idOf(b1)],
      seq: 2,
      ts: TS + 2,
      ops: [{ type: 'profile', name: 'Bot-named Bob' }],
      agent: { id: agent, model: 'm-1', delegation },
    });
    await store.applyBatch({ kind: 'ingested', items: [b1, { signed: named, blobs: [], posts: [] }] });
    expect(await store.findProfileField(bob, 'name')).toBe('Bot-named Bob');
    const later = commit(bobKey, [b1], 'bob two');
    await store.applyBatch({ kind: 'ingested', items: [later] });
    expect(await store.findProfileField(bob, 'name')).toBe('Bot-named Bob');
    await store.applyBatch({ kind: 'ingested', items: [opsCommit(bobKey, [later], [{ type: 'revoke', agent }])] });
    expect(await store.findProfileField(bob, 'name')).toBeUndefined();
  });

  withStore("an owner revoking on its own device drops its agent's concurrent follow, held before", async (store) => {
    const a1 = commit(aliceKey, [], 'alice one');
    await own(store, [a1]);
    const seenByAlice = agentCommit([a1], 'seen', carol, alice);
    const besideIt = agentCommit([seenByAlice], 'beside', dave, alice);
    await store.storeWalked(alice, [seenByAlice, besideIt]);
    expect((await store.listFollows(alice)).map((f) => f.target).sort()).toEqual([carol, dave].sort());
    await own(store, [opsCommit(aliceKey, [seenByAlice], [{ type: 'revoke', agent }])]);
    expect((await store.listFollows(alice)).map((f) => f.target)).toEqual([carol]);
  });
}
