/**
 * Social merge rules the worker must share with the protocol's model
 * (feed-state.ts), each a case the model-based test (merge-model.test.ts)
 * found or that the worker once ignored, on a fake IndexedDB.
 */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { type SignedCommit, buildCommit, objectIdsOf } from '../../src/protocol/commits.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, buildPost } from '../../src/protocol/objects.ts';
import type { Op } from '../../src/protocol/ops.ts';
import { listTimeline } from '../read/timeline.ts';
import { applyCommits } from './commit-store.ts';
import { type CoreDb, openCoreDb } from './db.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey] = [key(1), key(2)];
const [alice, bob] = [aliceKey, bobKey].map(pseudonymOf) as [PseudonymId, PseudonymId];

let db: CoreDb;
let n = 0;
const lastOf = new Map<PseudonymId, SignedCommit>();

beforeEach(async () => {
  db = await openCoreDb(`social-merge-test-${++n}`);
  lastOf.clear();
  await db.put('pseudonyms', { id: alice, name: 'Alice', hubs: ['http://a.test'], createdAt: 0 });
});

/** `k`'s next commit (on its last one, unless `parent` says otherwise), not stored yet. */
function commit(
  k: Uint8Array,
  ts: number,
  ops: Op[],
  objects: BuiltObject<PostObject>[] = [],
  parent?: SignedCommit,
  extra: { id: ObjectId; bytes: Uint8Array }[] = [],
) {
  const author = pseudonymOf(k);
  const on = parent ?? lastOf.get(author);
  const signed = buildCommit(k, { parents: on ? [on.id] : [], seq: (on?.commit.seq ?? 0) + 1, ts, ops });
  lastOf.set(author, signed);
  const bytes = new Map([...objects, ...extra].map((o) => [o.id, o.bytes]));
  const posts = objects.filter((o) => ops.some((op) => op.type === 'post' && op.object === o.id));
  return { signed, blobs: objectIdsOf(signed.commit).map((id) => ({ id, bytes: bytes.get(id)! })), posts };
}

const shown = async (id: ObjectId) => (await listTimeline(db, alice, { limit: 50 })).find((i) => i.id === id);

test('votes: last writer wins per (target, voter) by stamp, whatever the arrival order; 0 withdraws', async () => {
  const p = buildPost({ author: alice, body: 'vote on me', ts: 1 });
  const posted = commit(aliceKey, 1, [{ type: 'post', object: p.id }], [p]);
  const down = commit(bobKey, 2, [{ type: 'vote', target: p.id, value: -1 }]);
  const up = commit(bobKey, 3, [{ type: 'vote', target: p.id, value: 1 }]);
  const mine = commit(aliceKey, 4, [{ type: 'vote', target: p.id, value: 1 }]);
  await applyCommits(db, [posted, mine]);
  await applyCommits(db, [down, up]);
  expect((await shown(p.id))?.votes).toEqual({ up: 2, down: 0, mine: 1 });

  // A fork of bob's feed: an earlier stamp arriving later does not win; a later one does.
  const early = commit(bobKey, 2, [{ type: 'vote', target: p.id, value: -1 }], [], up.signed);
  await applyCommits(db, [early]);
  expect((await shown(p.id))?.votes).toEqual({ up: 2, down: 0, mine: 1 });
  const withdraw = commit(aliceKey, 5, [{ type: 'vote', target: p.id, value: 0 }]);
  const late = commit(bobKey, 9, [{ type: 'vote', target: p.id, value: -1 }], [], up.signed);
  await applyCommits(db, [withdraw, late]);
  expect((await shown(p.id))?.votes).toEqual({ up: 0, down: 1, mine: 0 });
});

test("an author's repost of its own post is no repost: the post shows once, reposted by nobody", async () => {
  // Shrunk by merge-model.test.ts: post, then a repost of it in the same feed.
  const p = buildPost({ author: alice, body: 'mine', ts: 0 });
  const posted = commit(aliceKey, 1, [{ type: 'post', object: p.id }], [p]);
  const op: Op = { type: 'repost', object: p.id, commit: posted.signed.id };
  const reposted = commit(aliceKey, 1, [op], [p], undefined, [posted.signed]);
  await applyCommits(db, [posted, { ...reposted, reposted: [{ post: p, stamp: [1, posted.signed.id, 0] }] }]);
  const items = await listTimeline(db, alice, { limit: 50 });
  expect(items.map((i) => i.id)).toEqual([p.id]);
  expect(items[0]!.repostedBy).toBeUndefined();
});

test('deleting an edit version already held shows the post version before it (the post is rebuilt)', async () => {
  // Shrunk by merge-model.test.ts: the edit arrives in one chunk, the delete of its version in a later one.
  await applyCommits(db, [commit(aliceKey, 1, [{ type: 'follow', target: bob, hubs: ['http://b.test'] }])]);
  const p = buildPost({ author: bob, body: 'first', ts: 0 });
  const posted = commit(bobKey, 1, [{ type: 'post', object: p.id }], [p]);
  const v = buildPost({ author: bob, body: 'second', ts: 1 });
  const edited = commit(bobKey, 1, [{ type: 'edit', target: p.id, object: v.id }], [v]);
  const deleted = commit(bobKey, 1, [{ type: 'delete', target: v.id }], [], posted.signed);
  await applyCommits(db, [posted, edited]);
  expect((await shown(p.id))?.body).toBe('second');
  await applyCommits(db, [deleted]);
  expect(await shown(p.id)).toMatchObject({ body: 'first', edited: true });
});
