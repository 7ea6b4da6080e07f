/** Commit packs (commit-packs.ts) through the commit store's writes and reads, on a fake IndexedDB. */
import 'fake-indexeddb/auto';
import { beforeEach, expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import { type CommitId, hashBytes } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import { PACK_SIZE } from './commit-packs.ts';
import { applyCommits, countCommits, findBlobs, findCommitSeqs, findCommits, holdsAll } from './commit-store.ts';
import { type CoreDb, openCoreDb } from './db.ts';

const bobKey = secretKeyFrom(new Uint8Array(32).fill(2));
const bob = pseudonymOf(bobKey);
const carol = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(3)));

let db: CoreDb;
let n = 0;
beforeEach(async () => {
  db = await openCoreDb(`packs-test-${++n}`);
});

/** `count` one-post commits continuing `after` (a chain), each with its post. */
function chain(count: number, after?: SignedCommit, media = false): VerifiedCommit[] {
  const items: VerifiedCommit[] = [];
  let parent = after;
  for (let i = 0; i < count; i++) {
    const seq = (parent?.commit.seq ?? 0) + 1;
    const post = buildPost({
      author: bob,
      body: `post ${seq}`,
      ts: 1000 + seq,
      ...(media && { media: [hashBytes(new Uint8Array([seq]))] }),
    });
    const signed = buildCommit(bobKey, {
      parents: parent ? [parent.id] : [],
      seq,
      ts: 1000 + seq,
      ops: [{ type: 'post', object: post.id }],
    });
    items.push({ signed, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] });
    parent = signed;
  }
  return items;
}

const last = (items: readonly VerifiedCommit[]) => items.at(-1)!.signed;
const sizes = async () => (await db.getAll('packs')).map((p) => p.ids.length);

test('an ingest of 600 commits is 3 packs, not 600 rows; each commit reads back exactly, with its seq', async () => {
  const items = chain(600);
  expect((await applyCommits(db, items)).added).toHaveLength(600);
  expect(await db.count('commits')).toBe(0);
  expect(await sizes()).toEqual([PACK_SIZE, PACK_SIZE, 600 - 2 * PACK_SIZE]);
  expect(await countCommits(db)).toBe(600);

  const ids = items.map((i) => i.signed.id);
  const seqs = await findCommitSeqs(db, bob, ids);
  expect(ids.map((id) => seqs.get(id))).toEqual(items.map((i) => i.signed.commit.seq));
  const bytes = await findBlobs(db, bob, ids);
  for (const { signed } of items) expect(bytes.get(signed.id)).toEqual(signed.bytes);
  // Packed bytes come back as copies of one commit each, never views of the whole pack.
  expect(bytes.get(ids[300]!)!.buffer.byteLength).toBe(items[300]!.signed.bytes.byteLength);

  const [held] = await findCommits(db, bob, [ids[599]!]);
  expect(held).toEqual({ id: ids[599], seq: 600, parents: [ids[598]], objects: [items[599]!.posts[0]!.id], named: 1 });
});

test('commits arriving one at a time fill the newest pack before another starts', async () => {
  const first = chain(250);
  await applyCommits(db, first);
  let tip = last(first);
  for (let i = 0; i < 10; i++) {
    const one = chain(1, tip);
    await applyCommits(db, one);
    tip = last(one);
  }
  expect(await sizes()).toEqual([PACK_SIZE, 4]);
  expect(await countCommits(db)).toBe(260);
  expect(await holdsAll(db, bob, [tip.id])).toBe(true);
  expect((await findBlobs(db, bob, [tip.id])).get(tip.id)).toEqual(tip.bytes);
});

test('what is held is known per feed: applying again adds nothing; other feeds, unknown ids are not held', async () => {
  const items = chain(300);
  await applyCommits(db, items);
  expect((await applyCommits(db, items.slice(100, 200))).added).toEqual([]);
  expect(await countCommits(db)).toBe(300);
  expect(await holdsAll(db, bob, [items[10]!.signed.id])).toBe(true); // not a tip: read from the packs
  expect(await holdsAll(db, carol, [items[10]!.signed.id])).toBe(false);
  expect(await holdsAll(db, bob, [items[10]!.signed.id, 'b'.repeat(52) as CommitId])).toBe(false);
  expect(await holdsAll(db, bob, [])).toBe(false);
});

test('media a packed commit names travel with it (a push of the feed carries them)', async () => {
  const items = chain(3, undefined, true);
  await applyCommits(db, items);
  const found = await findCommits(
    db,
    bob,
    items.map((i) => i.signed.id),
  );
  expect(found.map((c) => c.objects)).toEqual(items.map((i) => [i.posts[0]!.id, ...i.posts[0]!.value.media!]));
});

test('own commits made here stay rows (the outbox names each), and are read beside packed ones', async () => {
  const ingested = chain(5);
  await applyCommits(db, ingested);
  const own = chain(1, last(ingested));
  await applyCommits(db, own, { outbox: { pseudonym: bob, queuedAt: 1 } });
  expect(await db.count('commits')).toBe(1);
  const seqs = await findCommitSeqs(db, bob, [last(own).id, last(ingested).id]);
  expect([...seqs.values()]).toEqual([6, 5]);
});

test('commit rows stored before packs (DB version 5) are still held: found, read and never stored twice', async () => {
  // The layout of version 5: every held commit a row of its own.
  const old = chain(10);
  for (const { signed } of old) await db.put('commits', { id: signed.id, bytes: signed.bytes, seq: signed.commit.seq });
  await db.put('tips', { author: bob, heads: [last(old).id], seq: 10 });
  expect(await holdsAll(db, bob, [old[3]!.signed.id, last(old).id])).toBe(true);
  expect((await findBlobs(db, bob, [old[3]!.signed.id])).get(old[3]!.signed.id)).toEqual(old[3]!.signed.bytes);

  // An ingest overlapping them stores only what is new, in a pack.
  const next = chain(5, last(old));
  expect((await applyCommits(db, [...old.slice(5), ...next])).added).toEqual(next.map((i) => i.signed.id));
  expect(await sizes()).toEqual([5]);
  expect(await countCommits(db)).toBe(15);
  const seqs = await findCommitSeqs(db, bob, [old[0]!.signed.id, last(next).id]);
  expect([...seqs.values()]).toEqual([1, 15]);
});
