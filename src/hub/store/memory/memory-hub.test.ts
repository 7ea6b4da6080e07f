/**
 * A whole hub on the memory store: startHub takes any HubStore, so the routes,
 * the event stream and mirroring work with no data folder (what the contract
 * suite promises, seen through HTTP).
 */
import { afterEach, expect, test } from 'vitest';
import { headToJson } from '../../../protocol/heads.ts';
import { growFeed, pushFeed } from '../../testing/feed-fixture.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  errorName,
  headsOf,
  put,
  putBlob,
  signedHead,
  startTestHub,
  statusOf,
  waitFor,
} from '../../testing/hub-fixture.ts';
import { memoryHubStore } from './memory-hub-store.ts';

const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});

async function memoryHub(peers: readonly string[] = []): Promise<TestHub> {
  const t = await startTestHub({ store: memoryHubStore, peers, mirrorTiming: { retryMinMs: 20, retryMaxMs: 200 } });
  hubs.push(t);
  return t;
}

test('a hub on the memory store takes and answers blobs and heads, and refuses a stale head', async () => {
  const t = await memoryHub();
  const { head, commit } = signedHead(aliceKey, 2);
  expect((await putBlob(t.url, commit.id, commit.bytes)).status).toBe(201);
  expect(new Uint8Array(await (await fetch(`${t.url}/v1/blobs/${commit.id}`)).arrayBuffer())).toEqual(commit.bytes);
  expect((await put(`${t.url}/v1/heads/${alice}`, head.bytes)).status).toBe(200);
  const sameSeq = signedHead(aliceKey, 2, Date.now() + 1).head;
  expect(await errorName(await put(`${t.url}/v1/heads/${alice}`, sameSeq.bytes))).toBe('409 StaleHead');
  expect(await headsOf(t.url, [alice])).toEqual({ [alice]: headToJson(head) });
  expect((await statusOf(t.url)).changes).toBe(1);
});

test('a memory hub mirrors another: heads with their commits and objects, its cursor kept in the store', async () => {
  const source = await memoryHub();
  const feed = growFeed(aliceKey, undefined, 3);
  await pushFeed(source.url, feed);
  const mirror = await memoryHub([source.url]);
  await waitFor('the backfill', async () => (await headsOf(mirror.url, [alice]))[alice]?.seq === feed.head.head.seq);
  for (const blob of [...feed.commits, ...feed.objects]) {
    expect((await fetch(`${mirror.url}/v1/blobs/${blob.id}`)).status).toBe(200);
  }
  await waitFor('the cursor to move', async () => (await statusOf(mirror.url)).peers[0]?.cursor === 1);
});
