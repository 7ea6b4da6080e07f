/** The walk's handling of a feed log that arrives while it fetches: refusals, a log that fails, parents named late. */
import { describe, expect, test } from 'vitest';
import { forgedCommit, growFeed } from '../../src/hub/testing/feed-fixture.ts';
import { buildCommit } from '../../src/protocol/commits.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { type CommitId, type ObjectId, hashBytes } from '../../src/protocol/ids.ts';
import { buildMist } from '../../src/protocol/mists.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type BlobSource, type HeldStore, walkFeed } from './dag-walk.ts';
import { CoreError } from '../errors.ts';

const key = secretKeyFrom(new Uint8Array(32).fill(24));
const author = pseudonymOf(key);
const feed = growFeed(key, undefined, 40);
const ids = feed.commits.map((c) => c.id);
const nothingHeld: HeldStore = { commitSeqs: async () => new Map(), blobs: async () => new Map() };
import { sleep } from '../../src/runtime/sleep.ts';

function sourceOf(blobs: readonly { id: ObjectId; bytes: Uint8Array }[]): { source: BlobSource; asked: ObjectId[] } {
  const held = new Map(blobs.map((b) => [b.id, b.bytes]));
  const asked: ObjectId[] = [];
  const source: BlobSource = async (want) => {
    asked.push(...want);
    return want.filter((id) => held.has(id)).map((id) => ({ id, bytes: held.get(id)! }));
  };
  return { source, asked };
}
const feedSource = () => sourceOf([...feed.objects, ...feed.commits]);

/** Log segments: `first`, then (slowly) endless segments naming commits no hub has; counts the segments read. */
function slowLog(first: readonly CommitId[]) {
  const reads = { count: 0 };
  async function* segments() {
    reads.count++;
    yield first;
    for (let n = 0; n < 1000; n++) {
      await sleep(2);
      reads.count++;
      yield [`${n.toString(16).padStart(8, '0')}${'ee'.repeat(28)}` as CommitId];
    }
  }
  return { reads, segments: segments() };
}

test('a forged commit ends the walk while the log is still arriving, and no more of the log is read', async () => {
  const forged = forgedCommit(author, secretKeyFrom(new Uint8Array(32).fill(25)), feed.commits.at(-1)!);
  const { source } = sourceOf([...feed.objects, ...feed.commits, forged]);
  const log = slowLog([...ids, forged.id as CommitId]);
  const walk = walkFeed(source, nothingHeld, {
    author,
    tips: [forged.id as CommitId],
    hints: log.segments,
    verify: nobleVerify,
    now: Date.now(),
    batchSize: 8,
  });
  await expect(walk).rejects.toMatchObject({ name: 'BadSignature' });
  await sleep(30); // a segment already asked for may still arrive
  const read = log.reads.count;
  await sleep(30);
  expect(log.reads.count).toBe(read);
  expect(read).toBeLessThan(1000);
});

test('a log that cannot be read because every hub is offline fails the walk as Offline', async () => {
  const { source } = feedSource();
  async function* segments() {
    yield ids.slice(20);
    throw new CoreError('Offline', 'no hub answered');
  }
  const walk = walkFeed(source, nothingHeld, {
    author,
    tips: [ids.at(-1)!],
    hints: segments(),
    verify: nobleVerify,
    now: Date.now(),
    batchSize: 8,
  });
  await expect(walk).rejects.toMatchObject({ name: 'Offline' });
});

test('segments arriving newest first: a parent a later segment names waits for it, not walked meanwhile', async () => {
  const { source, asked } = feedSource();
  const named = new Set<ObjectId>([ids.at(-1)!, ...feed.objects.map((o) => o.id)]);
  const early: ObjectId[] = [];
  const watched: BlobSource = (want) => {
    early.push(...want.filter((id) => !named.has(id)));
    return source(want);
  };
  async function* segments() {
    for (let end = 40; end > 0; end -= 10) {
      await sleep(5);
      for (const id of ids.slice(end - 10, end)) named.add(id);
      yield ids.slice(end - 10, end);
    }
  }
  const walk = await walkFeed(watched, nothingHeld, {
    author,
    tips: [ids.at(-1)!],
    hints: segments(),
    verify: nobleVerify,
    now: Date.now(),
    batchSize: 8,
  });
  expect(walk.commits.map((c) => c.signed.id)).toEqual(ids);
  expect(early).toEqual([]); // no commit asked for before a segment named it
  expect(asked).toHaveLength(80); // each commit and post once
  expect(new Set(asked).size).toBe(80);
});

test('a commit wanted as a repost while in flight as a commit of the feed is asked again, not forgotten', async () => {
  // Bob reposts his own earlier post: the repost names the commit that published it, which the log
  // has the walk fetch at the same time (batches of one, two in flight).
  const post = buildPost({ author, body: 'worth saying twice', ts: 1_700_000_000_000 });
  const first = buildCommit(key, {
    parents: [],
    seq: 1,
    ts: 1_700_000_000_000,
    ops: [{ type: 'post', object: post.id }],
  });
  const repost = buildCommit(key, {
    parents: [first.id],
    seq: 2,
    ts: 1_700_000_000_001,
    ops: [{ type: 'repost', object: post.id, commit: first.id }],
  });
  const { source, asked } = sourceOf([post, first, repost]);
  async function* segments() {
    yield [repost.id, first.id];
  }
  const walk = await walkFeed(source, nothingHeld, {
    author,
    tips: [repost.id],
    hints: segments(),
    verify: nobleVerify,
    now: Date.now(),
    batchSize: 1,
  });
  expect(walk.commits.map((c) => c.signed.id)).toEqual([first.id, repost.id]);
  expect(walk.commits[1]!.reposted).toHaveLength(1);
  // once as a commit of the feed, once as the reposted one
  expect(asked.filter((id) => id === first.id)).toHaveLength(2);
});

describe('mists in a feed', () => {
  const file = new TextEncoder().encode('print("hello")\n');
  const mistBy = (by: typeof author) =>
    buildMist({ author: by, name: 'hello.py', content: hashBytes(file), size: file.length, ts: 1, artifact: 'code' });
  const walkOne = (mist: ReturnType<typeof mistBy>) => {
    const commit = buildCommit(key, { parents: [], seq: 1, ts: 1, ops: [{ type: 'mist', object: mist.id }] });
    const { source, asked } = sourceOf([mist, commit]);
    const walk = walkFeed(source, nothingHeld, { author, tips: [commit.id], verify: nobleVerify, now: Date.now() });
    return { walk, asked, commit };
  };

  test('a mist version is fetched with its commit and checked; its file is not fetched', async () => {
    const mist = mistBy(author);
    const { walk, asked } = walkOne(mist);
    const [verified] = (await walk).commits;
    expect(verified!.blobs).toEqual([{ id: mist.id, bytes: mist.bytes }]);
    expect(asked).not.toContain(hashBytes(file));
  });

  test('a mist by another author in this feed is refused as WrongAuthor', async () => {
    const other = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(26)));
    await expect(walkOne(mistBy(other)).walk).rejects.toMatchObject({ name: 'WrongAuthor' });
  });
});
