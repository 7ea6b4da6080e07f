/**
 * The pure plan of a batch (commit-plan.ts), without IndexedDB: own and
 * ingested batches differ in where commits go, what is queued, what is
 * packed and when tips that moved refuse the write.
 */
import { expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import { type ApplyInput, type HeldRows, planCommits, tipsMoved } from './commit-plan.ts';
import { postKeyOf } from './post-rows.ts';

const bobKey = secretKeyFrom(new Uint8Array(32).fill(2));
const bob = pseudonymOf(bobKey) as PseudonymId;

/** A chain of `count` one-post commits by bob, post i at ts 10 * (i + 1). */
function chain(count: number): VerifiedCommit[] {
  const items: VerifiedCommit[] = [];
  let parent: SignedCommit | undefined;
  for (let i = 0; i < count; i++) {
    const post = buildPost({ author: bob, body: `p${i}`, ts: 10 * (i + 1) });
    const ops = [{ type: 'post' as const, object: post.id }];
    parent = buildCommit(bobKey, { parents: parent ? [parent.id] : [], seq: i + 1, ts: post.value.ts, ops });
    items.push({ signed: parent, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] });
  }
  return items;
}

const nothingHeld = (): HeldRows => ({
  heldCommits: new Set(),
  posts: new Map(),
  follows: new Map(),
  tips: new Map(),
  anyMarks: false,
  social: {
    edits: new Map(),
    tombstones: new Map(),
    reactions: new Map(),
    reposts: new Map(),
    profiles: new Map(),
    votes: new Map(),
  },
});

test('own commits: kept as commit rows and queued in the outbox; every post gets a row', () => {
  const items = chain(3);
  const plan = planCommits({ kind: 'own', items, outbox: { pseudonym: bob, queuedAt: 7 } }, nothingHeld());
  expect(plan.commits.kind).toBe('rows');
  expect(plan.writes.outbox.map((r) => [r.commitId, r.queuedAt])).toEqual(items.map((i) => [i.signed.id, 7]));
  expect(plan.writes.posts).toHaveLength(3);
  expect(plan.writes.tips).toEqual([{ author: bob, heads: [items[2]!.signed.id], seq: 3 }]);
});

test('ingested commits: packed per feed, nothing queued; below packBelow, plain posts stay in the packs', () => {
  const items = chain(3);
  const packBelow = postKeyOf(items[1]!.posts[0]!.value.ts, items[1]!.posts[0]!.id);
  const plan = planCommits({ kind: 'ingested', items, packBelow }, nothingHeld());
  expect(plan.writes.outbox).toEqual([]);
  expect(plan.commits.kind).toBe('packs');
  const rows = plan.commits.kind === 'packs' ? plan.commits.byAuthor.get(bob)! : [];
  expect(rows.map((r) => r.lazy?.text !== undefined)).toEqual([true, false, false]);
  expect(plan.writes.posts.map((p) => p.id)).toEqual(items.slice(1).map((i) => i.posts[0]!.id));
  expect(plan.lowerMarks).toEqual({ authors: [bob], to: packBelow });
  expect(plan.postCount).toBe(3);
});

test('a held commit is skipped: nothing of it is written again', () => {
  const items = chain(2);
  const held = { ...nothingHeld(), heldCommits: new Set([items[0]!.signed.id]) };
  const plan = planCommits({ kind: 'ingested', items }, held);
  expect(plan.added).toEqual([items[1]!.signed.id]);
});

test('tips that moved refuse an own batch built on them, never an ingested one', () => {
  const items = chain(2);
  const held = { ...nothingHeld(), tips: new Map([[bob, { author: bob, heads: [items[0]!.signed.id], seq: 1 }]]) };
  const own = (heads: CommitId[]): ApplyInput => ({
    kind: 'own',
    items,
    outbox: { pseudonym: bob, queuedAt: 0 },
    expectTips: { author: bob, heads },
  });
  expect(tipsMoved(own([items[0]!.signed.id]), held)).toBe(false);
  expect(tipsMoved(own([]), held)).toBe(true);
  expect(tipsMoved({ kind: 'ingested', items }, held)).toBe(false);
});
