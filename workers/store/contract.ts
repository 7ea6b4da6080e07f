/**
 * The core store's acceptance suite (core-store.ts): every CoreStore runs
 * these cases on a fresh store, so a new one (a Node client's, issue 17) is
 * done when it passes them and the memory store cannot drift from IndexedDB.
 * core-store.test.ts runs it for both. What only IndexedDB does (packs, lazy
 * post rows, the timeline's rows) keeps its own tests beside commit-store.ts.
 * The inbox's rows (inbox-store.ts) and revocation are part of the same suite
 * (inbox-contract.ts, revocation-contract.ts; the commits: contract-commits.ts).
 *
 * This is test code (it imports vitest), named as the layer test expects.
 */
import { describe, expect, test } from 'vitest';
import { decodeFeedLog } from '../../src/protocol/feed-log.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { TS, alice, aliceKey, bob, bobKey, bytesOf, commit, idOf, opsCommit, own, sorted } from './contract-commits.ts';
import type { CoreStore } from './core-store.ts';
import { inboxContractCases } from './inbox-contract.ts';
import { revocationContractCases } from './revocation-contract.ts';

/** An open store, and how to let go of it. */
export interface OpenedCoreStore {
  readonly store: CoreStore;
  close(): Promise<void>;
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
      expect(held?.seq).toBe(1);
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
      const [merged] = await store.findCommits(alice, [idOf(merge)]);
      expect(merged?.parents).toEqual([idOf(c2), idOf(c3)]);
      expect(merged?.seq).toBe(3);
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

    revocationContractCases(withStore);

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
