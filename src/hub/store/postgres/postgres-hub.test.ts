/**
 * Whole hubs on the PostgreSQL store: two hubs (in this process, each with its
 * own store and pool, as two hub processes would have) on one database and
 * one blob store. What one takes, the other answers, and a head put through
 * one reaches the other's event stream: the routes, the guard's budgets and
 * the stream over the async ledgers and the cross-process fan-out.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { headToJson } from '../../../protocol/heads.ts';
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
} from '../../testing/hub-fixture.ts';
import { type PostgresServer, startPostgres } from '../../testing/postgres-server.ts';
import { MemoryBlobStore } from '../memory/blob-store.ts';
import { postgresHubStore } from './postgres-hub-store.ts';

let server: PostgresServer;
const hubs: TestHub[] = [];
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});
// Generous: on MURMUR_TEST_POSTGRES it drops every database made, on a busy machine.
afterAll(() => server?.stop(), 120_000);

test('two hubs on one database: a head put through one is answered by the other and reaches its stream', async () => {
  const url = await server.createDatabase();
  const blobs = new MemoryBlobStore();
  for (let i = 0; i < 2; i++) hubs.push(await startTestHub({ store: postgresHubStore({ url, blobs }) }));
  const [one, two] = hubs as [TestHub, TestHub];

  const controller = new AbortController();
  const reader = (await fetch(`${two.url}/v1/stream?authors=${alice}`, { signal: controller.signal }))
    .body!.pipeThrough(new TextDecoderStream())
    .getReader();
  await reader.read(); // the retry line: the hub has registered the stream

  const { head, commit } = signedHead(aliceKey, 2);
  expect((await putBlob(one.url, commit.id, commit.bytes)).status).toBe(201);
  expect((await putBlob(two.url, commit.id, commit.bytes)).status).toBe(200);
  expect((await put(`${one.url}/v1/heads/${alice}`, head.bytes)).status).toBe(200);
  let text = '';
  while (!text.includes('event: head')) text += (await reader.read()).value;
  expect(text).toContain('id: 1\n');
  controller.abort();

  expect(await headsOf(two.url, [alice])).toEqual({ [alice]: headToJson(head) });
  const sameSeq = signedHead(aliceKey, 2, Date.now() + 1).head;
  expect(await errorName(await put(`${two.url}/v1/heads/${alice}`, sameSeq.bytes))).toBe('409 StaleHead');
  expect((await statusOf(two.url)).changes).toBe(1);
  expect(new Uint8Array(await (await fetch(`${two.url}/v1/blobs/${commit.id}`)).arrayBuffer())).toEqual(commit.bytes);
});
