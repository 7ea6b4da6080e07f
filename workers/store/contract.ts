/**
 * The core store's acceptance suite (core-store.ts): every CoreStore runs
 * these cases on a fresh store, so a new one (a Node client's, issue 17) is
 * done when it passes them and the memory store cannot drift from IndexedDB.
 * core-store.test.ts runs it for both. What only IndexedDB does (packs, lazy
 * post rows, the timeline's rows) keeps its own tests beside commit-store.ts.
 * The inbox's rows (inbox-store.ts) are part of the same suite
 * (inbox-contract.ts).
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { describe, expect, test } from 'vitest';
import { buildDelegation } from '../../src/protocol/agents.ts';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { decodeFeedLog } from '../../src/protocol/feed-log.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import type { CoreStore } from './core-store.ts';
import { inboxContractCases } from './inbox-contract.ts';

/** An open store, and how to let go of it. */
export interface OpenedCoreStore {
  readonly store: CoreStore;
  close(): Promise<void>;
}

const aliceKey = secretKeyFrom(new Uint8Array(32).fill(31));
const bobKey = secretKeyFrom(new Uint8Array(32).fill(32));
const alice = pseudonymOf(aliceKey);
const bob = pseudonymOf(bobKey);
const TS = 1_700_000_000_000;

/** A verified commit of `key` on `parents`, publishing a post `body` (with a media blob when asked). */
function commit(key: SecretKey, parents: readonly VerifiedCommit[], body: string, media = false): VerifiedCommit {
  const author = pseudonymOf(key);
  const image = media
    ? { id: hashBytes(new TextEncoder().encode(`image ${body}`)), bytes: bytesOf(`image ${body}`) }
    : undefined;
  const post = buildPost({ author, body, ts: TS, ...(image && { media: [image.id] }) });
  const seq = 1 + Math.max(0, ...parents.map((p) => p.signed.commit.seq));
  const signed: SignedCommit = buildCommit(key, {
    parents: parents.map((p) => p.signed.id),
    seq,
    ts: TS + seq,
    ops: [{ type: 'post', object: post.id }],
  });
  return { signed, blobs: [{ id: post.id, bytes: post.bytes }, ...(image ? [image] : [])], posts: [post] };
}

/** A verified commit of `key` on `parents` carrying `ops` that name no blob (follows, unfollows). */
function opsCommit(key: SecretKey, parents: readonly VerifiedCommit[], ops: Op[]): VerifiedCommit {
  const seq = 1 + Math.max(0, ...parents.map((p) => p.signed.commit.seq));
  const signed = buildCommit(key, { parents: parents.map((p) => p.signed.id), seq, ts: TS + seq, ops });
  return { signed, blobs: [], posts: [] };
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

const agentKey = secretKeyFrom(new Uint8Array(32).fill(34));
const agent = pseudonymOf(agentKey);
const delegationOf = (key: SecretKey) =>
  buildDelegation(key, { agent, scope: ['post', 'follow'], expires: TS + 86_400_000 });
const delegations = new Map([bobKey, aliceKey].map((k) => [pseudonymOf(k), delegationOf(k)]));

/** The agent's commit for `owner` (bob unless told) on `parents`: a post `body` and a follow of `target`. */
function agentCommit(
  parents: readonly VerifiedCommit[],
  body: string,
  target: PseudonymId,
  owner = bob,
): VerifiedCommit {
  const post = buildPost({ author: owner, body, ts: TS });
  const seq = 1 + Math.max(0, ...parents.map((p) => p.signed.commit.seq));
  const signed = buildCommit(agentKey, {
    parents: parents.map((p) => p.signed.id),
    seq,
    ts: TS + seq,
    ops: [
      { type: 'post', object: post.id },
      { type: 'follow', target, hubs: [] },
    ],
    agent: { id: agent, model: 'm-1', delegation: delegations.get(owner)! },
  });
  return { signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] };
}

/** Alice's repost of the post `of` publishes, carrying that post as the walk passes it (with its commit's agent). */
function repostOf(of: VerifiedCommit): VerifiedCommit {
  const post = of.posts[0]!;
  const ops: Op[] = [{ type: 'repost', object: post.id, commit: of.signed.id }];
  const signed = buildCommit(aliceKey, { parents: [], seq: 1, ts: TS + 9, ops });
  const { ts, agent: by } = of.signed.commit;
  const reposted = [{ post, stamp: [ts, of.signed.id, 0] as const, ...(by && { agent: by }) }];
  return { signed, blobs: [{ id: of.signed.id, bytes: of.signed.bytes }], posts: [], reposted };
}

const idOf = (c: VerifiedCommit) => c.signed.id;
const sorted = (ids: readonly CommitId[]) => [...ids].sort();

function own(store: CoreStore, items: VerifiedCommit[], expect?: readonly VerifiedCommit[]) {
  return store.applyBatch({
    kind: 'own',
    items,
    outbox: { pseudonym: alice, queuedAt: TS },
    ...(expect && { expectTips: { author: alice, heads: expect.map(idOf) } }),
  });
}

export function runCoreStoreContract(name: string, open: () => Promise<OpenedCoreStore>): void {
  describe(`the core store contract: ${name}`, () => {
    const withStore = (title: string, body: (store: CoreStore) => Promise<void>) =>
      test(title, async () => {
        const opened = await open();
        try {
          await body(opened.store);
        } finally {
          await opened.close();
        }
      });

    withStore('an empty store holds nothing and answers every read', async (store) => {
      const c = commit(aliceKey, [], 'not stored');
      expect(await store.findTips(alice)).toBeUndefined();
      expect(await store.findCommitSeqs(alice, [idOf(c)])).toEqual(new Map());
      expect(await store.findCommits(alice, [idOf(c)])).toEqual([]);
      expect(await store.findBlobs(alice, [idOf(c)])).toEqual(new Map());
      expect(await store.holdsAll(alice, [idOf(c)])).toBe(false);
      expect(await store.readOutbox(alice)).toEqual({ tips: undefined, queued: [] });
      expect(await store.countQueued(alice)).toBe(0);
      expect(await store.findOwnLog(alice)).toBeUndefined();
      expect(await store.listPending(alice)).toEqual([]);
    });

    withStore('an own commit is stored and queued in one step; what a push carries is found', async (store) => {
      const c = commit(aliceKey, [], 'hello', true);
      expect((await own(store, [c], [])).added).toEqual([idOf(c)]);
      expect(await store.findTips(alice)).toEqual({ author: alice, heads: [idOf(c)], seq: 1 });
      expect(await store.readOutbox(alice)).toEqual({
        tips: { author: alice, heads: [idOf(c)], seq: 1 },
        queued: [idOf(c)],
      });
      expect(await store.countQueued(alice)).toBe(1);
      const [held] = await store.findCommits(alice, [idOf(c)]);
      expect(held?.parents).toEqual([]);
      expect(new Set(held?.objects)).toEqual(new Set(c.blobs.map((b) => b.id)));
      // Byte for byte: the commit, its post, and the media it names.
      const blobs = await store.findBlobs(alice, [idOf(c), ...c.blobs.map((b) => b.id)]);
      expect(blobs.get(idOf(c))).toEqual(c.signed.bytes);
      for (const b of c.blobs) expect(blobs.get(b.id)).toEqual(b.bytes);
    });

    withStore('tips follow the DAG: a chain, a fork, a merge', async (store) => {
      const c1 = commit(aliceKey, [], 'one');
      const c2 = commit(aliceKey, [c1], 'two');
      const c3 = commit(aliceKey, [c1], 'three');
      await own(store, [c1, c2, c3]);
      expect(await store.findTips(alice)).toEqual({ author: alice, heads: sorted([idOf(c2), idOf(c3)]), seq: 2 });
      expect(await store.findCommitSeqs(alice, [idOf(c1), idOf(c3)])).toEqual(
        new Map([
          [idOf(c1), 1],
          [idOf(c3), 2],
        ]),
      );
      expect(await store.holdsAll(alice, [idOf(c2), idOf(c3)])).toBe(true);
      const merge = commit(aliceKey, [c2, c3], 'merge');
      await own(store, [merge], [c2, c3]);
      expect(await store.findTips(alice)).toEqual({ author: alice, heads: [idOf(merge)], seq: 3 });
      expect((await store.findCommits(alice, [idOf(merge)]))[0]?.parents).toEqual([idOf(c2), idOf(c3)]);
      // Untrusted heads from a hub: empty, malformed or partly unknown is not held.
      expect(await store.holdsAll(alice, [])).toBe(false);
      expect(await store.holdsAll(alice, ['nope'])).toBe(false);
      expect(await store.holdsAll(alice, { heads: [idOf(c1)] })).toBe(false);
      expect(await store.holdsAll(alice, [idOf(c1), idOf(commit(aliceKey, [], 'other'))])).toBe(false);
    });

    withStore('applying held commits again changes nothing', async (store) => {
      const c1 = commit(aliceKey, [], 'one');
      const c2 = commit(aliceKey, [c1], 'two');
      await own(store, [c1, c2]);
      await store.acknowledge(alice, [idOf(c1), idOf(c2)]);
      expect((await own(store, [c1, c2])).added).toEqual([]);
      expect((await store.storeWalked(alice, [c1, c2])).added).toEqual([]);
      expect(await store.findTips(alice)).toEqual({ author: alice, heads: [idOf(c2)], seq: 2 });
      expect(await store.countQueued(alice)).toBe(0); // a held commit is not queued again
    });

    withStore('an own batch built on tips that moved writes nothing (Conflict)', async (store) => {
      const c1 = commit(aliceKey, [], 'one');
      await own(store, [c1], []);
      const late = commit(aliceKey, [], 'built before c1 landed');
      await expect(own(store, [late], [])).rejects.toMatchObject({ name: 'Conflict' });
      expect(await store.findTips(alice)).toEqual({ author: alice, heads: [idOf(c1)], seq: 1 });
      expect(await store.findCommitSeqs(alice, [idOf(late)])).toEqual(new Map());
      expect(await store.findBlobs(alice, [idOf(late), late.posts[0]!.id])).toEqual(new Map());
      expect((await store.readOutbox(alice)).queued).toEqual([idOf(c1)]);
    });

    withStore('ingested commits are stored, never queued, and other feeds are untouched', async (store) => {
      const b1 = commit(bobKey, [], 'bob one');
      const b2 = commit(bobKey, [b1], 'bob two');
      const b3 = commit(bobKey, [b2], 'bob three');
      expect(sorted((await store.storeWalked(bob, [b1, b2, b3])).added)).toEqual(sorted([b1, b2, b3].map(idOf)));
      expect(await store.findTips(bob)).toEqual({ author: bob, heads: [idOf(b3)], seq: 3 });
      expect(await store.countQueued(bob)).toBe(0);
      expect(await store.findTips(alice)).toBeUndefined();
      const blobs = await store.findBlobs(bob, [idOf(b2), b2.posts[0]!.id]);
      expect(blobs.get(idOf(b2))).toEqual(b2.signed.bytes);
      expect(blobs.get(b2.posts[0]!.id)).toEqual(b2.posts[0]!.bytes);
      const b4 = commit(bobKey, [b3], 'bob four');
      expect((await store.applyBatch({ kind: 'ingested', items: [b4] })).added).toEqual([idOf(b4)]);
      expect(await store.readOutbox(bob)).toEqual({ tips: { author: bob, heads: [idOf(b4)], seq: 4 }, queued: [] });
    });

    withStore('acknowledging drops exactly the named queued commits', async (store) => {
      const c1 = commit(aliceKey, [], 'one');
      const c2 = commit(aliceKey, [c1], 'two');
      const c3 = commit(aliceKey, [c2], 'three');
      await own(store, [c1, c2, c3]);
      await store.acknowledge(alice, [idOf(c1), idOf(c2), idOf(commit(aliceKey, [], 'never queued'))]);
      expect((await store.readOutbox(alice)).queued).toEqual([idOf(c3)]);
      await store.acknowledge(alice, []);
      expect(await store.countQueued(alice)).toBe(1);
    });

    withStore('the feed log lists each queued commit once, oldest first, and names what to carry', async (store) => {
      const c1 = commit(aliceKey, [], 'one');
      const c2 = commit(aliceKey, [c1], 'two');
      const c3 = commit(aliceKey, [c2], 'three');
      await own(store, [c1, c2, c3]);
      const carried = await store.appendOwnLog(alice, [idOf(c3), idOf(c1)]);
      const newest = await store.findOwnLog(alice);
      expect(carried).toEqual([newest]);
      const listed = async (): Promise<readonly CommitId[]> => {
        const id = (await store.findOwnLog(alice))!;
        return decodeFeedLog((await store.findBlobs(alice, [id])).get(id)!, id).value.commits;
      };
      expect(await listed()).toEqual([idOf(c1), idOf(c3)]);
      await store.appendOwnLog(alice, [idOf(c1), idOf(c2), idOf(c3)]);
      expect(await listed()).toEqual([idOf(c1), idOf(c3), idOf(c2)]);
      // Nothing new to list: the same log, the same segments to carry.
      const log = await store.findOwnLog(alice);
      expect(await store.appendOwnLog(alice, [idOf(c2)])).toEqual([log]);
      expect(await store.findOwnLog(alice)).toBe(log);
      // A commit no longer queued (acknowledged) is not listed.
      const c4 = commit(aliceKey, [c3], 'four');
      await own(store, [c4]);
      await store.acknowledge(alice, [idOf(c4)]);
      await store.appendOwnLog(alice, [idOf(c4)]);
      expect(await listed()).toEqual([idOf(c1), idOf(c3), idOf(c2)]);
    });

    withStore('follows: the last follow or unfollow by stamp wins, seen from both ends', async (store) => {
      const carolKey = secretKeyFrom(new Uint8Array(32).fill(33));
      const carol = pseudonymOf(carolKey);
      const f1 = opsCommit(
        aliceKey,
        [],
        [
          { type: 'follow', target: bob, handle: 'bob@hub', hubs: ['https://hub.example'] },
          { type: 'follow', target: carol, hubs: [] },
        ],
      );
      await own(store, [f1]);
      const follows = await store.listFollows(alice);
      expect(follows.map((f) => f.target).sort()).toEqual([bob, carol].sort());
      expect(follows.find((f) => f.target === bob)).toMatchObject({ handle: 'bob@hub', hubs: ['https://hub.example'] });
      expect(await store.listFollowers(bob)).toEqual([alice]);
      const f2 = opsCommit(aliceKey, [f1], [{ type: 'unfollow', target: carol }]);
      await own(store, [f2]);
      expect((await store.listFollows(alice)).map((f) => f.target)).toEqual([bob]);
      expect(await store.listFollowers(carol)).toEqual([]);
      // Another feed's follow of bob, ingested: bob has two followers; alice's follows are unchanged.
      const c1 = opsCommit(carolKey, [], [{ type: 'follow', target: bob, hubs: [] }]);
      await store.storeWalked(carol, [c1]);
      expect((await store.listFollowers(bob)).sort()).toEqual([alice, carol].sort());
      expect((await store.listFollows(carol)).map((f) => f.target)).toEqual([bob]);
      expect((await store.listFollows(alice)).map((f) => f.target)).toEqual([bob]);
    });

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
      withStore(
        `a revoked agent's concurrent follow counts nowhere, its commit stays held: ${order}`,
        async (store) => {
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
        },
      );
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

    withStore('waiting commits are kept per author until stored', async (store) => {
      const p1 = { id: hashBytes(bytesOf('p1')) as CommitId, bytes: bytesOf('p1') };
      const p2 = { id: hashBytes(bytesOf('p2')) as CommitId, bytes: bytesOf('p2') };
      await store.settlePending(bob, [p1, p2], []);
      const byId = (list: readonly { id: ObjectId }[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId(await store.listPending(bob))).toEqual(byId([p1, p2]));
      expect(await store.listPending(alice as PseudonymId)).toEqual([]);
      await store.settlePending(bob, [], [p1.id]);
      expect(await store.listPending(bob)).toEqual([p2]);
    });
    withStore('profile fields: the last writer by stamp, per field; held posts name their author', async (store) => {
      const c1 = opsCommit(aliceKey, [], [{ type: 'profile', name: 'Alice', dm_key: 'ab'.repeat(32) }]);
      const c2 = opsCommit(aliceKey, [c1], [{ type: 'profile', name: 'Alicia' }]);
      expect(await store.findProfileField(alice, 'name')).toBeUndefined();
      await store.storeWalked(alice, [c1, c2]);
      expect(await store.findProfileField(alice, 'name')).toBe('Alicia');
      expect(await store.findProfileField(alice, 'dm_key')).toBe('ab'.repeat(32));
      expect(await store.findProfileField(bob, 'name')).toBeUndefined();
      const b1 = commit(bobKey, [], 'by bob');
      await store.storeWalked(bob, [b1]);
      expect(await store.findPostAuthor(b1.posts[0]!.id)).toBe(bob);
      expect(await store.findPostAuthor(idOf(b1))).toBeUndefined(); // a commit is not a post
    });

    withStore("follow hints: each held feed's row naming a target, a withdrawn one too", async (store) => {
      const f1 = opsCommit(aliceKey, [], [{ type: 'follow', target: bob, handle: 'bob@hub', hubs: ['https://h'] }]);
      await own(store, [f1]);
      expect(await store.listFollowHints(bob)).toEqual([
        expect.objectContaining({ pseudonym: alice, target: bob, handle: 'bob@hub', hubs: ['https://h'] }),
      ]);
      await own(store, [opsCommit(aliceKey, [f1], [{ type: 'unfollow', target: bob }])]);
      expect(await store.listFollowHints(bob)).toEqual([
        expect.objectContaining({ pseudonym: alice, target: bob, active: false }),
      ]);
      expect(await store.listFollowHints(alice)).toEqual([]);
    });

    inboxContractCases(withStore, { alice, bob, ts: TS });
  });
}
