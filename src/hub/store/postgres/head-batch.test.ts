/**
 * Group commit of head puts (head-store.ts): puts that arrive together share
 * one transaction, yet each settles on its own. A stale put fails alone, the
 * fresh ones beside it take contiguous numbers in arrival order, and two puts
 * of one author in one burst are judged one after the other, as if sent apart.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHead, buildHead } from '../../../protocol/heads.ts';
import { type CommitId, hashBytes } from '../../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../../protocol/keys.ts';
import { type PostgresServer, startPostgres } from '../../testing/postgres-server.ts';
import { CONTRACT_LIMITS } from '../contract.ts';
import type { HubStore } from '../hub-store.ts';
import { MemoryBlobStore } from '../memory/blob-store.ts';
import { openPostgresHubStore } from './postgres-hub-store.ts';

const keys = Array.from({ length: 8 }, (_, n) => secretKeyFrom(new Uint8Array(32).fill(n + 101)));
const [aliceKey] = keys as [SecretKey];
const alice = pseudonymOf(aliceKey);

function head(key: SecretKey, seq: number, n = 0): SignedHead {
  const tip = hashBytes(new TextEncoder().encode(`commit ${seq} ${n}`)) as CommitId;
  return buildHead(key, { heads: [tip], seq, ts: 1_700_000_000_000 + n });
}

/** Each put's change number, or its error's name and the seq it says the hub holds. */
async function settle(puts: Promise<{ seq: number }>[]): Promise<(number | string)[]> {
  const settled = await Promise.allSettled(puts);
  return settled.map((s) => {
    if (s.status === 'fulfilled') return s.value.seq;
    const error = s.reason as ProtocolError;
    return `${error.name} ${error.context.current}`;
  });
}

let server: PostgresServer;
const opened: HubStore[] = [];
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
afterAll(() => server?.stop(), 120_000);

async function openStore(): Promise<{ url: string; store: HubStore }> {
  const url = await server.createDatabase();
  const store = await openPostgresHubStore({ url, blobs: new MemoryBlobStore() }, CONTRACT_LIMITS);
  opened.push(store);
  return { url, store };
}

/** How many transactions wrote the heads rows of changes `from` to `to` (rows written by one share an xmin). */
async function writersOf(url: string, from: number, to: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(DISTINCT xmin::text) AS n FROM heads WHERE change BETWEEN $1 AND $2',
      [from, to],
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

test('a stale put in a burst fails alone; the fresh ones take contiguous numbers in arrival order', async () => {
  const { url, store } = await openStore();
  await store.heads.putHead(head(aliceKey, 3));
  const [, ...others] = keys;
  // Sent in one turn of the event loop: one batch.
  const puts = [
    store.heads.putHead(head(others[0]!, 1)),
    store.heads.putHead(head(aliceKey, 2)),
    ...others.slice(1).map((key) => store.heads.putHead(head(key, 1))),
  ];
  expect(await settle(puts)).toEqual([2, 'StaleHead 3', 3, 4, 5, 6, 7, 8]);
  expect(await store.heads.lastSeq()).toBe(8);
  expect((await store.heads.findHeads([alice])).get(alice)?.signed.head.seq).toBe(3);
  const { changes } = await store.heads.listChanges({ since: 0, limit: 100 });
  expect(changes.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  // The burst was one transaction (one commit), not seven.
  expect(await writersOf(url, 2, 8)).toBe(1);
});

test('two puts of one author in one burst are judged in order: newer then newer both win', async () => {
  const { store } = await openStore();
  const [first, second] = [head(aliceKey, 1), head(aliceKey, 2)];
  expect(await settle([store.heads.putHead(first), store.heads.putHead(second)])).toEqual([1, 2]);
  const held = (await store.heads.findHeads([alice])).get(alice);
  expect(held?.seq).toBe(2);
  expect(held?.signed.bytes).toEqual(second.bytes);
});

test('two puts of one author in one burst are judged in order: the older second one is stale', async () => {
  const { store } = await openStore();
  const [newer, older] = [head(aliceKey, 5), head(aliceKey, 4)];
  const bystander = head(keys[1]!, 1);
  const puts = [store.heads.putHead(newer), store.heads.putHead(older), store.heads.putHead(bystander)];
  expect(await settle(puts)).toEqual([1, 'StaleHead 5', 2]);
  expect(await store.heads.lastSeq()).toBe(2);
  expect((await store.heads.findHeads([alice])).get(alice)?.signed.bytes).toEqual(newer.bytes);
});
