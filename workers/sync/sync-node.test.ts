/**
 * The core's sync path with no IndexedDB at all, as a Node client (the
 * command line, issue 17) will run it: the sync engine, replication, local
 * commits, following, live streams and ingest over the in-memory store (store/memory-core-store.ts)
 * and keys held in memory, against the built hub running as its own process.
 * Nothing here loads fake-indexeddb, and the first check is that there is no
 * IndexedDB in this process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { type BuiltHub, buildHub } from '../../src/hub/testing/hub-build.ts';
import { type HubProcess, spawnHub } from '../../src/hub/testing/hub-process.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import type { Change } from '../api/api-types.ts';
import { Feeds } from '../feed/feeds.ts';
import { commitOwn } from '../feed/local-commits.ts';
import { ingestFeed } from '../feed/ingest.ts';
import { memoryKeySource } from '../keys/key-source.ts';
import { type Fetch, createHubClient } from '../net/hub-client.ts';
import { MemoryCoreStore } from '../store/memory-core-store.ts';
import { waitFor } from '../testing/wait.ts';
import { LiveFeeds } from './live.ts';
import { type SyncDeps, SyncEngine } from './sync.ts';

let built: BuiltHub;
const dirs: string[] = [];
let hubA: HubProcess;
let hubB: HubProcess;
beforeAll(async () => {
  built = await buildHub();
  const [a, b] = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'murmur-sync-node-'))));
  dirs.push(a!, b!);
  [hubA, hubB] = await Promise.all([spawnHub(built.main, { dataDir: a! }), spawnHub(built.main, { dataDir: b! })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([hubA?.stop(), hubB?.stop()]);
  await Promise.all([built?.remove(), ...dirs.map((d) => rm(d, { recursive: true, force: true }))]);
});

/** A Node client of one pseudonym: a memory store, its key in memory, requests logged as "METHOD path". */
interface NodeClient {
  readonly id: PseudonymId;
  readonly store: MemoryCoreStore;
  readonly deps: SyncDeps;
  readonly engine: SyncEngine;
  readonly log: string[];
}

function nodeClient(secretKey: SecretKey, hubs: readonly string[], online = true): NodeClient {
  const id = pseudonymOf(secretKey);
  const log: string[] = [];
  const logged: Fetch = (url, init) => {
    log.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
    return fetch(url, init);
  };
  const store = new MemoryCoreStore();
  const deps: SyncDeps = {
    store,
    keys: memoryKeySource([{ id, secretKey, hubs }]),
    verify: nobleVerify,
    now: Date.now,
    hub: (origin) => createHubClient(origin, logged),
    locks: new KeyedLock(),
    emit: () => {},
    retry: { baseMs: 20, maxMs: 200 },
  };
  return { id, store, deps, engine: new SyncEngine(deps, online), log };
}

/** Posts `body` as a local commit on the client's own store (signed, stored and queued in one step). */
async function post(client: NodeClient, body: string): Promise<{ post: ObjectId; commit: CommitId }> {
  const object = buildPost({ author: client.id, body, ts: Date.now() });
  const signed = await commitOwn(client.deps, client.id, () => ({
    ops: [{ type: 'post', object: object.id }],
    posts: [object],
  }));
  return { post: object.id, commit: signed.id };
}

/** The hub's head of `id`, read as any reader would. */
async function headAt(hub: HubProcess, id: PseudonymId) {
  const head = (await createHubClient(hub.url, fetch).getHeads([id]))[id];
  return head && { heads: [...head.heads].sort(), seq: head.seq };
}

/** A reader on its own memory store catching up with `author`'s feed on `hub`. */
async function catchUp(hub: HubProcess, author: PseudonymId) {
  const store = new MemoryCoreStore();
  const hubClient = (origin: string) => createHubClient(origin, fetch);
  const result = await ingestFeed({ store, verify: nobleVerify, now: Date.now, hub: hubClient }, author, {
    hubs: [hub.url],
  });
  return { store, result };
}

test('this process has no IndexedDB: what follows runs on the memory store alone', () => {
  expect((globalThis as { indexedDB?: unknown }).indexedDB).toBeUndefined();
  expect(typeof (globalThis as { IDBKeyRange?: unknown }).IDBKeyRange).toBe('undefined');
});

test('posts made offline go out once online, once; a follower pulls them, then hears the next one live', async () => {
  const alice = nodeClient(secretKeyFrom(new Uint8Array(32).fill(41)), [hubA.url], false);
  const first = await post(alice, 'written on a train');
  const second = await post(alice, 'still no network');
  await alice.engine.request(alice.id);
  expect(alice.log).toEqual([]); // offline: no request at all
  expect(await alice.store.countQueued(alice.id)).toBe(2);
  expect(await alice.engine.board.status(alice.id)).toMatchObject({ state: 'offline', queued: 2 });

  await alice.engine.setOnline(true);
  await alice.engine.request(alice.id);
  expect(await alice.store.countQueued(alice.id)).toBe(0);
  expect(await alice.engine.board.status(alice.id)).toEqual({ state: 'synced', queued: 0 });
  expect(await headAt(hubA, alice.id)).toEqual({ heads: [second.commit], seq: 2 });
  // Each blob once (two commits, two posts, the log segment), then the head once.
  const puts = alice.log.filter((l) => l.startsWith('PUT '));
  expect(puts.filter((l) => l.startsWith('PUT /v1/blobs/'))).toHaveLength(5);
  expect(puts.filter((l) => l.startsWith('PUT /v1/heads/'))).toEqual([`PUT /v1/heads/${alice.id}`]);

  // Synced: asking again sends nothing.
  alice.log.length = 0;
  await alice.engine.request(alice.id);
  expect(alice.log.filter((l) => l.startsWith('PUT '))).toEqual([]);

  // Bob, another Node client on a memory store of his own, follows alice: refreshing his follows pulls her feed
  // (through its log), verifies it, and tells him his timeline changed.
  const bob = nodeClient(secretKeyFrom(new Uint8Array(32).fill(43)), [hubA.url]);
  await commitOwn(bob.deps, bob.id, () => ({
    ops: [{ type: 'follow', target: alice.id, hubs: [hubA.url] }],
    posts: [],
  }));
  const changes: Change[] = [];
  const feeds = new Feeds({ ...bob.deps, emit: (c) => changes.push(c), board: bob.engine.board });
  await feeds.refresh(bob.id);
  expect(await bob.store.findTips(alice.id)).toEqual({ author: alice.id, heads: [second.commit], seq: 2 });
  const blobs = await bob.store.findBlobs(alice.id, [first.post, second.post]);
  expect(blobs).toEqual(await alice.store.findBlobs(alice.id, [first.post, second.post]));
  expect(changes).toContainEqual({ kind: 'timeline', pseudonym: bob.id });
  // Nothing new: a refresh asks for the heads and fetches nothing more.
  bob.log.length = 0;
  await feeds.refresh(bob.id);
  expect(bob.log).toEqual(['GET /v1/heads']);

  // Live: bob's stream hears alice's next head and his store gets the post, with no refresh.
  const live = new LiveFeeds({ ...bob.deps, fetch, feeds, ownHeadChanged: () => {} });
  await live.setActive(bob.id);
  const third = await post(alice, 'heard live');
  await alice.engine.request(alice.id);
  await waitFor(
    "alice's third post at bob's",
    async () => (await bob.store.findTips(alice.id))?.heads,
    (heads) => heads?.[0] === third.commit,
  );
  live.close();
  await Promise.all([alice.engine.close(), bob.engine.close()]);
}, 60_000);

test('two devices of one pseudonym: the second pulls and merges, one head covers both; hub B gets it all', async () => {
  const key = secretKeyFrom(new Uint8Array(32).fill(42));
  const laptop = nodeClient(key, [hubA.url, hubB.url]);
  const phone = nodeClient(key, [hubA.url]);
  const fromLaptop = await post(laptop, 'from the laptop');
  await laptop.engine.request(laptop.id);
  expect(await headAt(hubA, laptop.id)).toEqual({ heads: [fromLaptop.commit], seq: 1 });
  // Replication: the other hub got the feed and the head too.
  expect(await headAt(hubB, laptop.id)).toEqual({ heads: [fromLaptop.commit], seq: 1 });

  // The phone has not seen the laptop's post: its sync pulls it, merges, and puts one head over both lines.
  const fromPhone = await post(phone, 'from the phone');
  await phone.engine.request(phone.id);
  const merged = await phone.store.findTips(phone.id);
  expect(merged?.heads).toHaveLength(1);
  expect(merged?.seq).toBe(2);
  expect(await headAt(hubA, phone.id)).toEqual({ heads: merged!.heads, seq: 2 });
  expect(await phone.store.countQueued(phone.id)).toBe(0);
  const [merge] = await phone.store.findCommits(phone.id, merged!.heads);
  expect([...merge!.parents].sort()).toEqual([fromLaptop.commit, fromPhone.commit].sort());

  // The laptop's next sync pulls the merge; then its other hub is brought up to it (decideReplica: push).
  await laptop.engine.request(laptop.id);
  expect(await laptop.store.findTips(laptop.id)).toEqual(merged);
  expect(await headAt(hubB, laptop.id)).toEqual({ heads: merged!.heads, seq: 2 });
  const reader = await catchUp(hubB, laptop.id);
  expect(reader.result).toMatchObject({ added: 3, posts: 2 });
  await Promise.all([laptop.engine.close(), phone.engine.close()]);
}, 60_000);
