/**
 * The command line's timeline read over a store: its own posts, its follows' and what they reposted, newest
 * first, as the merge model says (an edit shows its latest body, a delete hides the post); what others' feeds
 * hold beyond the follows is not shown; the query's filters select among them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildPost } from '../../protocol/objects.ts';
import type { Op } from '../../protocol/ops.ts';
import { KeyedLock } from '../../runtime/keyed-lock.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import type { PostOptions } from '../../../workers/api/api-types.ts';
import { postContent, repostContent } from '../../../workers/feed/post-content.ts';
import { sealedPostContent } from '../../../workers/feed/audience-content.ts';
import { memoryKeySource } from '../../../workers/keys/key-source.ts';
import { MemoryCoreStore } from '../../../workers/store/memory-core-store.ts';
import { openTimelineMemo, readTimeline } from './timeline.ts';

const [myKey, friendKey, strangerKey] = [41, 42, 43].map((fill) => secretKeyFrom(new Uint8Array(32).fill(fill))) as [
  SecretKey,
  SecretKey,
  SecretKey,
];
const me = pseudonymOf(myKey);
const friend = pseudonymOf(friendKey);
const stranger = pseudonymOf(strangerKey);
const store = new MemoryCoreStore();
let clock = 1_700_000_000_000;
const deps = {
  store,
  keys: memoryKeySource(
    [myKey, friendKey, strangerKey].map((secretKey) => ({ id: pseudonymOf(secretKey), secretKey, hubs: [] })),
  ),
  now: () => ++clock,
  locks: new KeyedLock(),
};

const published = new Map<ObjectId, CommitId>();

async function post(key: SecretKey, body: string, options: PostOptions = {}): Promise<ObjectId> {
  const author = pseudonymOf(key);
  const make = postContent(author, body, options);
  let id: ObjectId | undefined;
  const commit = await commitOwn(deps, author, (ctx) => {
    const content = make(ctx);
    id = content.post.id;
    return content;
  });
  published.set(id!, commit.id);
  return id!;
}

function commitOps(key: SecretKey, ops: Op[], blobs: { id: ObjectId; bytes: Uint8Array }[] = []) {
  return commitOwn(deps, pseudonymOf(key), () => ({ ops, posts: [], blobs }));
}

test('own and followed posts, newest first; an edit shows its latest body; deleted and unfollowed gone', async () => {
  await commitOps(myKey, [{ type: 'follow', target: friend, handle: 'friend@hub.example', hubs: [] }]);
  const mine = await post(myKey, 'mine', { tags: ['a'] });
  const theirs = await post(friendKey, 'first draft');
  const gone = await post(friendKey, 'regretted');
  const reply = await post(friendKey, 'a reply', { replyTo: mine });
  await post(strangerKey, 'not followed');

  const version = buildPost({ author: friend, body: 'second draft', ts: ++clock });
  await commitOps(friendKey, [{ type: 'edit', target: theirs, object: version.id }], [version]);
  await commitOps(friendKey, [{ type: 'delete', target: gone }]);

  const posts = await readTimeline(store, { id: me, handle: 'me@hub.example' }, { limit: 10 });
  expect(posts.map((p) => [p.id, p.handle, p.body, p.replyTo, p.tags, p.edited])).toEqual([
    [reply, 'friend@hub.example', 'a reply', mine, [], false],
    [theirs, 'friend@hub.example', 'second draft', null, [], true],
    [mine, 'me@hub.example', 'mine', null, ['a'], false],
  ]);
  expect((await readTimeline(store, { id: me }, { limit: 2 })).map((p) => p.id)).toEqual([reply, theirs]);
  expect((await readTimeline(store, { id: stranger }, { limit: 10 })).map((p) => p.body)).toEqual(['not followed']);
});

test("a follow's repost shows, marked, once; since, handle, media and reverse select and order", async () => {
  const media = new Uint8Array([1, 2, 3]);
  const pictured = await post(strangerKey, 'a picture', { media: [{ bytes: media, type: 'image/png' }] });
  const since = clock;
  const commitId = published.get(pictured)!;
  const original = (await store.findBlobs(stranger, [commitId])).get(commitId)!;
  const shared = await commitOwn(deps, friend, () => repostContent(pictured, commitId, original));
  const later = await post(myKey, 'later');
  const mine = { id: me, handle: 'me@hub.example' };

  const all = await readTimeline(store, mine, { limit: 100 });
  const reposted = all.filter((p) => p.id === pictured);
  expect(reposted).toEqual([
    expect.objectContaining({ author: stranger, handle: null, body: 'a picture', media: [expect.any(String)] }),
  ]);
  expect(reposted[0]!.repost).toEqual({ by: friend, handle: 'friend@hub.example', ts: shared.commit.ts });
  expect(all.filter((p) => p.repost !== null)).toHaveLength(1);
  expect((await readTimeline(store, mine, { limit: 100, since })).map((p) => p.id)).toEqual([later, pictured]);
  expect((await readTimeline(store, mine, { limit: 100, hasMedia: true })).map((p) => p.id)).toEqual([pictured]);
  const byMe = await readTimeline(store, mine, { limit: 100, handle: 'me' });
  expect(byMe.map((p) => p.body)).toEqual(['later', 'mine']);
  expect(await readTimeline(store, mine, { limit: 100, handle: 'me@hub.example', reverse: true })).toEqual(
    [...byMe].reverse(),
  );
  expect((await readTimeline(store, mine, { limit: 1, reverse: true })).map((p) => p.id)).toEqual([later]);
});

test('with its memo, a feed whose heads have not moved is not read again; one that moved is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'murmur-timeline-memo-'));
  const read: PseudonymId[] = [];
  const counting = new Proxy(store, {
    get(target, name) {
      const value = Reflect.get(target, name) as unknown;
      if (name === 'findBlobs')
        return (author: PseudonymId, ids: readonly ObjectId[]) => {
          read.push(author);
          return target.findBlobs(author, ids);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const mine = { id: me, handle: 'me@hub.example' };
  const fresh = () => readTimeline(counting, mine, { limit: 100 }, openTimelineMemo(dir));
  try {
    const first = await fresh();
    expect(new Set(read)).toEqual(new Set([me, friend]));
    read.length = 0;
    expect(await fresh()).toEqual(first); // a new process's memo, from the file
    expect(read).toEqual([]);

    const newer = await post(friendKey, 'newer');
    const moved = await fresh();
    expect(moved.map((p) => p.id)).toEqual([newer, ...first.map((p) => p.id)]);
    expect(new Set(read)).toEqual(new Set([friend])); // its commits walked and its posts read again
    read.length = 0;
    writeFileSync(join(dir, 'timeline-memo'), 'not a memo'); // damaged: ignored, and written again
    expect(await fresh()).toEqual(moved);
    expect(new Set(read)).toEqual(new Set([me, friend]));
    read.length = 0;
    expect(await fresh()).toEqual(moved);
    expect(read).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a followed feed’s sealed post shows only to whom opened it (here: its author), and breaks nothing', async () => {
  const before = (await readTimeline(store, { id: me }, { limit: 100 })).map((p) => p.id);
  const make = postContent(friend, 'behind a link');
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  let sealed: ObjectId | undefined;
  await commitOwn(deps, friend, (ctx) => {
    const content = sealedPostContent(make(ctx), { kind: 'link' }, { id: friend, secretKey: ctx.secretKey }, random);
    sealed = content.post.id;
    return content;
  });
  const after = await post(friendKey, 'public, after it');
  // The store holds it opened (its author's device made it), and a follower on the same device does not see it.
  expect((await readTimeline(store, { id: me }, { limit: 100 })).map((p) => p.id)).toEqual([after, ...before]);
  const own = await readTimeline(store, { id: friend }, { limit: 100 });
  expect(own.find((p) => p.id === sealed)).toMatchObject({ body: 'behind a link', audience: 'link' });
});
