/**
 * The worker's merge code checked against the protocol's model: random
 * commit sets by three authors (posts, replies, quotes, edits, deletes,
 * reactions, reposts, follows, profiles, votes; an agent's commits and their
 * revocation), applied through
 * applyCommits in random orders and chunkings (own commits as own, the rest
 * ingested, some chunks twice, a remote feed's first catch-up sometimes
 * leaving its older posts in packs as ingest.ts does), must show exactly
 * what feedState() of the same commits says (testing/model-view.ts):
 * timelines, threads, profiles, edit histories, reaction, repost and vote
 * counts.
 *
 * MURMUR_MERGE_RUNS sets the number of cases (500 in CI); on a failure
 * fast-check prints the seed and the shrunk script, which replays with
 * `fc.assert(..., { seed, path })`.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineItem } from '../api/api-types.ts';
import { getEditHistory, findThread } from '../read/post-views.ts';
import { findProfile } from '../read/profile-view.ts';
import { listTimeline } from '../read/timeline.ts';
import { type Local, type SeenItem, type SeenWorld, modelWorld } from '../testing/model-view.ts';
import {
  AUTHORS,
  type CommitStep,
  LOCAL,
  OP_KINDS,
  type OpStep,
  buildFeeds,
  orderAndChunk,
} from '../testing/random-feeds.ts';
import type { VerifiedCommit } from './apply-plan.ts';
import vectors from './vectors/merge-model.json' with { type: 'json' };
import { applyCommits } from './commit-store.ts';
import { type CoreDb, type PostKey, openCoreDb } from './db.ts';
import { compareKeys, postKeyOf } from './post-rows.ts';

const RUNS = Number(process.env.MURMUR_MERGE_RUNS ?? 500);
const LOCALS: readonly Local[] = [{ id: LOCAL[0]!, handle: 'alice@hub.test' }, { id: LOCAL[1]! }];

const opStepArb: fc.Arbitrary<OpStep> = fc.record({
  kind: fc.constantFrom(...OP_KINDS),
  pick: fc.nat(50),
  value: fc.nat(5),
});
/** Up to 7 commits of up to 2 ops each: small, so 500 cases run in seconds and shrink to a few steps. */
const scriptArb: fc.Arbitrary<CommitStep[]> = fc.array(
  fc.record({
    author: fc.nat(AUTHORS.length - 1),
    ts: fc.integer({ min: 1, max: 4 }),
    parents: fc.array(fc.nat(20), { minLength: 1, maxLength: 2 }),
    ops: fc.array(opStepArb, { minLength: 1, maxLength: 2 }),
    agent: fc.boolean(),
  }),
  { minLength: 1, maxLength: 7 },
);

let dbs = 0;

/** A fresh device holding the local pseudonyms. */
async function device(): Promise<CoreDb> {
  const db = await openCoreDb(`merge-model-${++dbs}`);
  for (const l of LOCALS) {
    const handle = l.handle ? { handle: l.handle } : {};
    await db.put('pseudonyms', { id: l.id, name: 'local', ...handle, hubs: ['http://hub.test'], createdAt: 0 });
  }
  return db;
}

/** A chunk of one local author's commits may go in as own commits (queued in its outbox); the rest are ingested. */
async function applyChunk(
  db: CoreDb,
  chunk: readonly VerifiedCommit[],
  asOwn: boolean,
  packBelow?: PostKey,
): Promise<void> {
  const author = chunk[0]!.signed.commit.author;
  const own = asOwn && LOCAL.includes(author) && chunk.every((c) => c.signed.commit.author === author);
  const options = own ? { outbox: { pseudonym: author, queuedAt: 0 } } : { ...(packBelow && { packBelow }) };
  await applyCommits(db, chunk, options);
}

/**
 * As ingest.ts does on a remote feed's first catch-up: when `chunk` is that, the key of its `newest`-th newest
 * post, so older plain posts stay in packs without rows (lazy-posts.ts) and reads must give them rows.
 */
function firstCatchUpMark(
  chunk: readonly VerifiedCommit[],
  applied: ReadonlySet<PseudonymId>,
  newest: number,
): PostKey | undefined {
  const author = chunk[0]!.signed.commit.author;
  if (newest === 0 || LOCAL.includes(author) || applied.has(author)) return undefined;
  if (!chunk.every((c) => c.signed.commit.author === author)) return undefined;
  const keys = chunk.flatMap((c) => c.posts.map((p) => postKeyOf(p.value.ts, p.id))).sort(compareKeys);
  return keys.length > newest ? keys[newest - 1] : undefined;
}

function seenItem(item: TimelineItem): SeenItem {
  const { verified: _verified, queued: _queued, tags: _tags, media: _media, agent: _agent, ...rest } = item;
  return rest as SeenItem;
}

/** What the worker's read views show, in the shape of modelWorld(). */
async function workerWorld(
  db: CoreDb,
  posts: readonly ObjectId[],
  authors: readonly PseudonymId[],
): Promise<SeenWorld> {
  const world: SeenWorld = { timelines: {}, threads: {}, profiles: {}, histories: {} };
  for (const { id: viewer } of LOCALS) {
    world.timelines[viewer] = (await listTimeline(db, viewer, { limit: 500 })).map(seenItem);
    for (const id of posts) {
      const thread = await findThread(db, viewer, id);
      const items = thread?.items.map((i) => ({ id: i.id, depth: i.depth, body: i.body }));
      world.threads[`${viewer} ${id}`] = thread && { root: thread.root, items: items! };
    }
    for (const author of authors) {
      const profile = await findProfile(db, viewer, author, 0);
      if (!profile) continue;
      const { id: _id, activity: _activity, avatar: _avatar, links: _links, ...rest } = profile;
      world.profiles[`${viewer} ${author}`] = { ...rest, counts: { ...rest.counts } };
    }
  }
  for (const id of posts) world.histories[id] = (await getEditHistory(db, id)).map((v) => ({ ...v }));
  return world;
}

/** Applies `script`'s commits in the order and chunks given, and compares the worker's views with the model's. */
async function check(
  script: readonly CommitStep[],
  keys: readonly number[],
  cuts: readonly boolean[],
  own: readonly boolean[],
  newest: number,
): Promise<void> {
  const { commits, objects } = buildFeeds(script);
  const db = await device();
  try {
    const chunks = orderAndChunk(commits, keys, cuts);
    const applied = new Set<PseudonymId>();
    for (const [i, chunk] of chunks.entries()) {
      await applyChunk(db, chunk, own[i % own.length]!, firstCatchUpMark(chunk, applied, newest));
      for (const c of chunk) applied.add(c.signed.commit.author);
      // Now and then a chunk arrives again (a retried catch-up): nothing may change.
      if (own[(i + 1) % own.length] && i % 2 === 1) await applyChunk(db, chunk, false);
    }
    const expected = modelWorld(commits, objects, LOCALS);
    const posts = Object.keys(expected.histories) as ObjectId[];
    expect(await workerWorld(db, posts, AUTHORS)).toEqual(expected);
  } finally {
    db.close();
  }
}

test(`the worker's views of random commit sets, in any order and chunks, are the model's (${RUNS} cases)`, async () => {
  await fc.assert(
    fc.asyncProperty(
      scriptArb,
      fc.array(fc.nat(100), { minLength: 1, maxLength: 8 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      fc.nat(3),
      check,
    ),
    { numRuns: RUNS },
  );
}, 120_000);

describe('shrunk counterexamples, replayed', () => {
  for (const v of vectors.cases) {
    test(v.comment, () => check(v.script as CommitStep[], v.keys, v.cuts, v.own, v.newest));
  }
});
