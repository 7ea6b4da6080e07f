/**
 * Catching up a feed against a real hub whose batch answers are split. The
 * in-memory test hub (workers/testing/memory-hub.ts) answers every id of a
 * batch; the real one stops before a frame that would take the answer past
 * its batch cap (8 MiB by default, `--batch-bytes`) and expects the client to
 * ask again for the rest. Here the built hub runs as a process with a 16 KiB
 * cap, so a catch-up of 3 KB posts is answered a few frames at a time, and
 * every commit, post and log segment must still arrive exactly once; and at
 * its default cap, where three 3 MiB avatars named by one round of commits
 * are more than one answer holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeBlobBatch } from '../../src/protocol/batch.ts';
import { type CommitId, type ObjectId, hashBytes } from '../../src/protocol/ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { type BuiltHub, buildHub } from '../../src/hub/testing/hub-build.ts';
import { type HubProcess, spawnHub } from '../../src/hub/testing/hub-process.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { memoryKeySource } from '../keys/key-source.ts';
import { type Fetch, createHubClient } from '../net/hub-client.ts';
import { MemoryCoreStore } from '../store/memory-core-store.ts';
import { SyncEngine } from '../sync/sync.ts';
import { ingestFeed } from './ingest.ts';
import { commitOwn } from './local-commits.ts';

const BATCH_BYTES = 16 * 1024;
const POSTS = 60;

let built: BuiltHub;
let dir: string;
let defaultDir: string;
let hub: HubProcess;
let defaultHub: HubProcess;
beforeAll(async () => {
  built = await buildHub();
  dir = await mkdtemp(join(tmpdir(), 'murmur-split-batch-'));
  defaultDir = await mkdtemp(join(tmpdir(), 'murmur-split-batch-'));
  [hub, defaultHub] = await Promise.all([
    spawnHub(built.main, { dataDir: dir, env: { MURMUR_BATCH_BYTES: String(BATCH_BYTES) } }),
    spawnHub(built.main, { dataDir: defaultDir }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([hub?.stop(), defaultHub?.stop()]);
  await Promise.all([built?.remove(), ...[dir, defaultDir].map((d) => d && rm(d, { recursive: true, force: true }))]);
});

interface Batch {
  readonly asked: string[];
  readonly got: string[];
  readonly bytes: number;
}

/** A fetch that records, for every batch request, the ids asked for and the ids the answer held. */
function recordingFetch(batches: Batch[]): Fetch {
  return async (url, init) => {
    const res = await fetch(url, init);
    if (new URL(url).pathname !== '/v1/blobs/batch') return res;
    const asked = (JSON.parse(new TextDecoder().decode(init?.body as Uint8Array)) as { ids: string[] }).ids;
    const bytes = new Uint8Array(await res.clone().arrayBuffer());
    batches.push({ asked, got: decodeBlobBatch(bytes).map((e) => e.id), bytes: bytes.length });
    return res;
  };
}

/** A writer of one pseudonym on `hubUrl`: a memory store, its key in memory, and a sync engine to push. */
function writer(seed: number, hubUrl: string) {
  const secretKey = secretKeyFrom(new Uint8Array(32).fill(seed));
  const id = pseudonymOf(secretKey);
  const deps = {
    store: new MemoryCoreStore(),
    keys: memoryKeySource([{ id, secretKey, hubs: [hubUrl] }]),
    verify: nobleVerify,
    now: Date.now,
    hub: (origin: string) => createHubClient(origin, fetch),
    locks: new KeyedLock(),
    emit: () => {},
    retry: { baseMs: 20, maxMs: 200 },
  };
  return { id, deps };
}

/** Pushes everything `w` queued, and checks it all went. */
async function push(w: ReturnType<typeof writer>) {
  const engine = new SyncEngine(w.deps, true);
  await engine.request(w.id);
  expect(await engine.board.status(w.id)).toEqual({ state: 'synced', queued: 0 });
  await engine.close();
}

/** A reader on a store of its own catching up with `author` from `hubUrl`, its batch answers recorded. */
async function catchUp(hubUrl: string, author: ReturnType<typeof writer>['id']) {
  const batches: Batch[] = [];
  const reader = new MemoryCoreStore();
  const hubClient = (origin: string) => createHubClient(origin, recordingFetch(batches));
  const result = await ingestFeed({ store: reader, verify: nobleVerify, now: Date.now, hub: hubClient }, author, {
    hubs: [hubUrl],
  });
  const frames = new Map<string, number>();
  for (const id of batches.flatMap((b) => b.got)) frames.set(id, (frames.get(id) ?? 0) + 1);
  return { batches, reader, result, frames };
}

test('a catch-up answered a few frames at a time gets every commit and post, each exactly once', async () => {
  // Alice posts 60 posts of about 3 KB and pushes them (and her feed log) to the hub.
  const alice = writer(61, hub.url);
  const commits: CommitId[] = [];
  const posts: ObjectId[] = [];
  for (let i = 0; i < POSTS; i++) {
    const body = `${i} `.padEnd(3000, String.fromCharCode(97 + (i % 26)));
    const object = buildPost({ author: alice.id, body, ts: 1 + i });
    const signed = await commitOwn(alice.deps, alice.id, () => ({
      ops: [{ type: 'post', object: object.id }],
      posts: [object],
    }));
    commits.push(signed.id);
    posts.push(object.id);
  }
  await push(alice);

  // A reader on a store of its own catches up with her feed from the hub alone.
  const { batches, reader, result, frames } = await catchUp(hub.url, alice.id);
  // The hub did split its answers: some answer held fewer ids than were asked for.
  expect(batches.some((b) => b.got.length < b.asked.length)).toBe(true);
  for (const b of batches) if (b.got.length > 1) expect(b.bytes).toBeLessThanOrEqual(BATCH_BYTES);
  // Every commit and post arrived in exactly one frame (log segments too: nothing is fetched twice).
  for (const id of [...commits, ...posts]) expect(frames.get(id), id).toBe(1);
  expect([...frames.values()].every((n) => n === 1)).toBe(true);
  // And the reader holds the whole feed: all 60 commits, up to her head, and every post's bytes.
  expect(result).toMatchObject({ added: POSTS, posts: POSTS, waiting: 0 });
  expect(await reader.findTips(alice.id)).toEqual({ author: alice.id, heads: [commits.at(-1)], seq: POSTS });
  expect((await reader.findCommitSeqs(alice.id, commits)).size).toBe(POSTS);
  expect((await reader.findBlobs(alice.id, posts)).size).toBe(POSTS);
}, 120_000);

test('at the default 8 MiB cap, three 3 MiB avatars asked for at once come in two answers, each once', async () => {
  const carol = writer(62, defaultHub.url);
  const avatars = [1, 2, 3].map((n) => {
    const bytes = new Uint8Array(3 * 1024 * 1024).fill(n);
    return { id: hashBytes(bytes), bytes };
  });
  const commits: CommitId[] = [];
  for (const avatar of avatars) {
    const signed = await commitOwn(carol.deps, carol.id, () => ({
      ops: [{ type: 'profile', avatar: avatar.id }],
      posts: [],
      blobs: [avatar],
    }));
    commits.push(signed.id);
  }
  await push(carol);

  const { batches, reader, result, frames } = await catchUp(defaultHub.url, carol.id);
  // The three commits arrive together (through the feed log), so their avatars are asked for in one request.
  const asked = batches.find((b) => avatars.every((a) => b.asked.includes(a.id)));
  expect(asked?.got.length).toBe(2);
  for (const b of batches) if (b.got.length > 1) expect(b.bytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  for (const id of [...commits, ...avatars.map((a) => a.id)]) expect(frames.get(id), id).toBe(1);
  expect(result).toMatchObject({ added: 3, waiting: 0 });
  const held = await reader.findBlobs(
    carol.id,
    avatars.map((a) => a.id),
  );
  expect([...held.values()].map(hashBytes).sort()).toEqual(avatars.map((a) => a.id).sort());
}, 120_000);
