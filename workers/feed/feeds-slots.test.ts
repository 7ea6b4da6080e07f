/**
 * Many heads heard at once (a live stream opening on hundreds of follows): Feeds ingests a few feeds at a time,
 * the feed with the newest head first, and a first read (a follow) before every head waiting. A heard head whose
 * feed could not be fetched is tried again, the badge saying syncing meanwhile, never synced with the feed missing.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { HeadJson } from '../../src/protocol/heads.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { memoryKeySource } from '../keys/key-source.ts';
import { type Fetch, createHubClient } from '../net/hub-client.ts';
import { SyncStatusBoard } from '../net/sync-status.ts';
import { MemoryCoreStore } from '../store/memory-core-store.ts';
import { SyncEngine } from '../sync/sync.ts';
import { Feeds } from './feeds.ts';
import { commitOwn } from './local-commits.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const reader = secretKeyFrom(new Uint8Array(32).fill(90));
const readerId = pseudonymOf(reader);

/** `count` authors with a post each on the hub, posted one after another; their heads as a reader hears them. */
async function authorsWithHeads(count: number, seed: number) {
  const authors: { id: PseudonymId; head: HeadJson }[] = [];
  for (let i = 0; i < count; i++) {
    const key: SecretKey = secretKeyFrom(new Uint8Array(32).fill(seed + i));
    const id = pseudonymOf(key);
    const deps = {
      store: new MemoryCoreStore(),
      keys: memoryKeySource([{ id, secretKey: key, hubs: [hub.url] }]),
      verify: nobleVerify,
      now: Date.now,
      hub: (origin: string) => createHubClient(origin, fetch),
      locks: new KeyedLock(),
      emit: () => {},
      retry: { baseMs: 20, maxMs: 200 },
    };
    const engine = new SyncEngine(deps, true);
    const object = buildPost({ author: id, body: `post of author ${i}`, ts: Date.now() });
    await commitOwn(deps, id, () => ({ ops: [{ type: 'post', object: object.id }], posts: [object] }));
    await engine.request(id);
    await engine.close();
    authors.push({ id, head: (await createHubClient(hub.url, fetch).getHeads([id]))[id]! });
  }
  return authors;
}

/** A reader's Feeds over `fetch`, with `slots` feeds at once; the order in which feeds began ingesting. */
function readerFeeds(slots: number, fetchOf: Fetch = fetch) {
  const began: PseudonymId[] = [];
  const store = new MemoryCoreStore();
  const board = new SyncStatusBoard(
    async () => 0,
    () => {},
    () => true,
  );
  const feeds = new Feeds(
    {
      store,
      keys: memoryKeySource([{ id: readerId, secretKey: reader, hubs: [hub.url] }]),
      verify: nobleVerify,
      now: Date.now,
      hub: (origin: string) => createHubClient(origin, fetchOf),
      emit: () => {},
      board,
      locks: new KeyedLock(),
      feedRetry: { baseMs: 5, maxMs: 20 },
      onFeedProgress: (author, progress) => {
        if (progress && !began.includes(author)) began.push(author);
      },
    },
    slots,
  );
  return { feeds, began, store, board };
}

test('heads heard together are ingested at most the slots at once, every one of them in the end', async () => {
  const authors = await authorsWithHeads(6, 100);
  // Requests are held until two are waiting (or every unfinished update is waiting on one), so both slots are seen
  // in use at once whatever the machine's speed, and a third request at once would show past the bound.
  let inFlight = 0;
  let most = 0;
  let unfinished = authors.length;
  const held: (() => void)[] = [];
  const releaseIfDue = () => {
    if (inFlight >= 2 || inFlight === unfinished) for (const go of held.splice(0)) go();
  };
  const counting: Fetch = async (input, init) => {
    most = Math.max(most, ++inFlight);
    await new Promise<void>((go) => {
      held.push(go);
      releaseIfDue();
    });
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const { feeds, began } = readerFeeds(2, counting);
  const added = await Promise.all(
    authors.map((a) =>
      feeds.update(a.id, [hub.url], { head: a.head, forPseudonym: readerId }).finally(() => {
        unfinished--;
        releaseIfDue();
      }),
    ),
  );
  expect(added).toEqual([1, 1, 1, 1, 1, 1]);
  expect(new Set(began)).toEqual(new Set(authors.map((a) => a.id)));
  // Each ingest fetches one request at a time: two slots, two requests at most.
  expect(most).toBe(2);
});

test('the newest head goes first among those waiting, and a first read before all of them', async () => {
  const authors = await authorsWithHeads(4, 120);
  const followed = (await authorsWithHeads(1, 130))[0]!;
  const { feeds, began } = readerFeeds(1);
  const heard = authors.map((a) => feeds.update(a.id, [hub.url], { head: a.head, forPseudonym: readerId }));
  const firstRead = feeds.update(followed.id, [hub.url], { forPseudonym: readerId });
  await Promise.all([...heard, firstRead]);
  // Whatever took the one slot first (the follow does here: a heard head first checks what is held), the follow
  // waits for nothing heard after it, and the heads waiting go newest first (equal times in the order heard).
  expect(began.indexOf(followed.id)).toBeLessThanOrEqual(1);
  const [firstIn] = began;
  const byNewest = authors
    .map((a, i) => ({ a, i }))
    .sort((x, y) => y.a.head.ts - x.a.head.ts || x.i - y.i)
    .map((x) => x.a.id)
    .filter((id) => id !== firstIn);
  expect(began.filter((id) => id !== firstIn && id !== followed.id)).toEqual(byNewest);
  expect(new Set(began)).toEqual(new Set([followed.id, ...authors.map((a) => a.id)]));
});

/** A fetch whose blob batches fail as a dropped connection does (Offline) until `heal` is called. */
function failingBatches() {
  let failing = true;
  let failed = 0;
  const failingFetch: Fetch = async (input, init) => {
    if (String(input).includes('/v1/blobs/batch') && failing) {
      failed++;
      throw new TypeError('Failed to fetch');
    }
    return fetch(input, init);
  };
  const heal = () => {
    failing = false;
  };
  return { failingFetch, failed: () => failed, heal };
}

test('a heard head whose feed could not be fetched is tried again, syncing meanwhile, until it is held', async () => {
  const [author] = await authorsWithHeads(1, 140);
  const { failingFetch, heal } = failingBatches();
  const { feeds, store, board } = readerFeeds(4, failingFetch);
  expect(await feeds.update(author!.id, [hub.url], { head: author!.head, forPseudonym: readerId })).toBe(0);
  // Failed once and waiting to try again: not synced, and no problem in words yet.
  expect((await board.status(readerId)).state).toBe('syncing');
  heal();
  await vi.waitFor(async () => expect(await store.holdsAll(author!.id, author!.head.heads)).toBe(true));
  await vi.waitFor(async () => expect((await board.status(readerId)).state).toBe('synced'));
  feeds.close();
});

test('a feed that keeps failing says so in words while it is tried again; closing stops the tries', async () => {
  const [author] = await authorsWithHeads(1, 150);
  const { failingFetch, failed } = failingBatches();
  const { feeds, board } = readerFeeds(4, failingFetch);
  await feeds.update(author!.id, [hub.url], { head: author!.head, forPseudonym: readerId });
  await vi.waitFor(async () => expect((await board.status(readerId)).state).toBe('error'));
  expect((await board.status(readerId)) as { message?: string }).toMatchObject({
    message: expect.stringContaining('Could not load a feed you follow'),
  });
  const shownAt = failed();
  await vi.waitFor(() => expect(failed()).toBeGreaterThan(shownAt)); // still tried after the problem is shown
  feeds.close();
  const tries = failed();
  // Ten of the longest waits: a try under way at close may still fail (a send and the client's one resend), no
  // new one starts.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(failed() - tries).toBeLessThanOrEqual(2);
});
