/**
 * Catching up a feed against a real hub whose batch answers are split. The
 * in-memory test hub (workers/testing/memory-hub.ts) answers every id of a
 * batch; the real one stops before a frame that would take the answer past
 * its batch cap (8 MiB by default, `--batch-bytes`) and expects the client to
 * ask again for the rest. Here the built hub runs as a process with a 16 KiB
 * cap, so a catch-up of 3 KB posts is answered a few frames at a time, and
 * every commit, post and log segment must still arrive exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeBlobBatch } from '../../src/protocol/batch.ts';
import type { CommitId, ObjectId } from '../../src/protocol/ids.ts';
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
let hub: HubProcess;
beforeAll(async () => {
  built = await buildHub();
  dir = await mkdtemp(join(tmpdir(), 'murmur-split-batch-'));
  hub = await spawnHub(built.main, { dataDir: dir, env: { MURMUR_BATCH_BYTES: String(BATCH_BYTES) } });
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await Promise.all([built?.remove(), dir && rm(dir, { recursive: true, force: true })]);
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
    const asked = (JSON.parse(String(init?.body)) as { ids: string[] }).ids;
    const bytes = new Uint8Array(await res.clone().arrayBuffer());
    batches.push({ asked, got: decodeBlobBatch(bytes).map((e) => e.id), bytes: bytes.length });
    return res;
  };
}

test('a catch-up answered a few frames at a time gets every commit and post, each exactly once', async () => {
  // Alice posts 60 posts of about 3 KB and pushes them (and her feed log) to the hub.
  const secretKey = secretKeyFrom(new Uint8Array(32).fill(61));
  const alice = pseudonymOf(secretKey);
  const store = new MemoryCoreStore();
  const deps = {
    store,
    keys: memoryKeySource([{ id: alice, secretKey, hubs: [hub.url] }]),
    verify: nobleVerify,
    now: Date.now,
    hub: (origin: string) => createHubClient(origin, fetch),
    locks: new KeyedLock(),
    emit: () => {},
    retry: { baseMs: 20, maxMs: 200 },
  };
  const commits: CommitId[] = [];
  const posts: ObjectId[] = [];
  for (let i = 0; i < POSTS; i++) {
    const object = buildPost({
      author: alice,
      body: `${i} `.padEnd(3000, String.fromCharCode(97 + (i % 26))),
      ts: 1 + i,
    });
    const signed = await commitOwn(deps, alice, () => ({
      ops: [{ type: 'post', object: object.id }],
      posts: [object],
    }));
    commits.push(signed.id);
    posts.push(object.id);
  }
  const engine = new SyncEngine(deps, true);
  await engine.request(alice);
  expect(await engine.board.status(alice)).toEqual({ state: 'synced', queued: 0 });
  await engine.close();

  // A reader on a store of its own catches up with her feed from the hub alone.
  const batches: Batch[] = [];
  const reader = new MemoryCoreStore();
  const hubClient = (origin: string) => createHubClient(origin, recordingFetch(batches));
  const result = await ingestFeed({ store: reader, verify: nobleVerify, now: Date.now, hub: hubClient }, alice, {
    hubs: [hub.url],
  });

  // The hub did split its answers: some answer held fewer ids than were asked for.
  expect(batches.some((b) => b.got.length < b.asked.length)).toBe(true);
  for (const b of batches) if (b.got.length > 1) expect(b.bytes).toBeLessThanOrEqual(BATCH_BYTES);
  // Every commit and post arrived in exactly one frame (log segments too: nothing is fetched twice).
  const frames = new Map<string, number>();
  for (const id of batches.flatMap((b) => b.got)) frames.set(id, (frames.get(id) ?? 0) + 1);
  for (const id of [...commits, ...posts]) expect(frames.get(id), id).toBe(1);
  expect([...frames.values()].every((n) => n === 1)).toBe(true);
  // And the reader holds the whole feed: all 60 commits, up to her head, and every post's bytes.
  expect(result).toMatchObject({ added: POSTS, posts: POSTS, waiting: 0 });
  expect(await reader.findTips(alice)).toEqual({ author: alice, heads: [commits.at(-1)], seq: POSTS });
  expect((await reader.findCommitSeqs(alice, commits)).size).toBe(POSTS);
  expect((await reader.findBlobs(alice, posts)).size).toBe(POSTS);
}, 120_000);
