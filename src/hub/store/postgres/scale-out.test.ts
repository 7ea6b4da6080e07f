/**
 * What only several processes on one PostgreSQL database can show: two
 * stores on one database (two pools, as two hub processes) racing, hearing
 * each other's heads, numbering changes under concurrent writers in both,
 * sharing reservations; and a restart of PostgreSQL losing nothing
 * acknowledged while the stores recover on their own.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type SignedHandleClaim, buildHandleClaim } from '../../../protocol/handles.ts';
import { type SignedHead, buildHead } from '../../../protocol/heads.ts';
import { type CommitId, type ObjectId, hashBytes } from '../../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../../protocol/keys.ts';
import { buildNotice } from '../../../protocol/notices.ts';
import { waitFor } from '../../testing/hub-fixture.ts';
import { type PostgresServer, startPostgres } from '../../testing/postgres-server.ts';
import { CONTRACT_LIMITS } from '../contract.ts';
import type { HeadChange, HubStore } from '../hub-store.ts';
import { MemoryBlobStore } from '../memory/blob-store.ts';
import { CHANGES_CHANNEL } from './change-feed.ts';
import { openPostgresHubStore } from './postgres-hub-store.ts';
import { MIGRATIONS } from './migrations.ts';

const keys = Array.from({ length: 200 }, (_, n) => secretKeyFrom(new Uint8Array(32).fill(n + 1)));
const authors = keys.map((key) => pseudonymOf(key));
const [aliceKey, bobKey] = keys as [SecretKey, SecretKey];
const alice = authors[0]!;

const bytesOf = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function head(key: SecretKey, seq: number, n = 0): SignedHead {
  const tip = hashBytes(bytesOf(`commit ${seq} ${n}`)) as CommitId;
  return buildHead(key, { heads: [tip], seq, ts: 1_700_000_000_000 + n });
}

function claim(key: SecretKey, name: string): SignedHandleClaim {
  return buildHandleClaim(key, { name, host: 'hub.example', ts: 1_700_000_000_000 });
}

/** The name of the error `promise` rejects with (a ProtocolError's, or StoreUnavailable), or 'fulfilled'. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'fulfilled';
  } catch (error) {
    return (error as Error).name;
  }
}

let server: PostgresServer;
const opened: HubStore[] = [];
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});
// Generous: on MURMUR_TEST_POSTGRES it drops every database made, on a busy machine.
afterAll(() => server?.stop(), 120_000);

async function openStore(url: string): Promise<HubStore> {
  const store = await openPostgresHubStore({ url, blobs: new MemoryBlobStore() }, CONTRACT_LIMITS);
  opened.push(store);
  return store;
}

/** Two stores on one fresh database, opened at once as two hub processes starting together. */
async function twoProcesses(on: PostgresServer = server): Promise<{ url: string; a: HubStore; b: HubStore }> {
  const url = await on.createDatabase();
  const [a, b] = await Promise.all([openStore(url), openStore(url)]);
  return { url, a, b };
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Every change of the log, paged from 0. */
async function wholeLog(store: HubStore): Promise<HeadChange[]> {
  const all: HeadChange[] = [];
  for (let since = 0; ; ) {
    const { changes, next } = await store.heads.listChanges({ since, limit: 64 });
    if (changes.length === 0) return all;
    all.push(...changes);
    since = next;
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('two stores on one database', () => {
  test('opening both at once migrates once; a schema newer than this hub knows refuses to open', async () => {
    const { url } = await twoProcesses();
    expect(await sql(url, 'SELECT version FROM schema_version ORDER BY version')).toEqual(
      MIGRATIONS.map((_, i) => ({ version: i + 1 })),
    );
    await sql(url, 'INSERT INTO schema_version (version) VALUES (99)');
    await expect(openStore(url)).rejects.toThrow(
      new RegExp(`schema is version 99; this hub knows up to ${MIGRATIONS.length}`),
    );
  });

  test('racing puts of one author from both: exactly one winner, seen by both; one claim wins', async () => {
    const { a, b } = await twoProcesses();
    await a.heads.putHead(head(aliceKey, 1));
    const racing = Array.from({ length: 10 }, (_, n) => head(aliceKey, 5, n));
    const outcomes = await Promise.all(racing.map((h, i) => outcome((i % 2 ? a : b).heads.putHead(h))));
    expect(outcomes.filter((o) => o === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'StaleHead')).toHaveLength(9);
    const winner = racing[outcomes.indexOf('fulfilled')]!;
    for (const store of [a, b]) {
      expect((await store.heads.findHeads([alice])).get(alice)?.signed.bytes).toEqual(winner.bytes);
      expect(await store.heads.lastSeq()).toBe(2);
    }
    const claims = keys.slice(0, 6).map((key) => claim(key, 'popular'));
    const claimed = await Promise.all(claims.map((c, i) => outcome((i % 2 ? a : b).handles.putClaim(c))));
    expect(claimed.filter((o) => o === 'fulfilled')).toHaveLength(1);
    expect(claimed.filter((o) => o === 'HandleTaken')).toHaveLength(5);
  });

  test('a head put through A reaches a subscriber on B once readable there; a refused one does not', async () => {
    const { a, b } = await twoProcesses();
    const heard: HeadChange[] = [];
    const readable: Promise<boolean>[] = [];
    b.heads.subscribe((change) => {
      heard.push(change);
      const author = change.signed.head.author;
      readable.push(b.heads.findHeads([author]).then((found) => found.get(author)?.seq === change.seq));
    });
    const put = await a.heads.putHead(head(aliceKey, 1));
    await waitFor('B to hear the head', () => heard.length === 1);
    expect(heard[0]!.seq).toBe(put.seq);
    expect(heard[0]!.signed.bytes).toEqual(put.signed.bytes);
    expect(await outcome(a.heads.putHead(head(aliceKey, 1, 1)))).toBe('StaleHead');
    await a.heads.putHead(head(bobKey, 1));
    await waitFor('B to hear the next head', () => heard.length === 2);
    expect(heard.map((c) => c.signed.head.author)).toEqual([alice, authors[1]]);
    expect(await Promise.all(readable)).toEqual([true, true]);
  });

  test('reservations are shared: a hold in A counts in B until released or expired', async () => {
    const { url, a, b } = await twoProcesses();
    await a.quota.charge(alice, hashBytes(bytesOf('old')) as ObjectId, 60);
    const release = await a.quota.reserve(alice, 30);
    expect(await outcome(b.quota.reserve(alice, 11))).toBe('QuotaExceeded');
    await release();
    await expect(b.quota.reserve(alice, 40)).resolves.toBeTypeOf('function');
    // A hold whose process died (never released) stops counting once it expires, so no budget shrinks for good.
    expect(await outcome(a.quota.reserve(alice, 1))).toBe('QuotaExceeded');
    await sql(url, "UPDATE holds SET expires = now() - interval '1 second'");
    await expect(a.quota.reserve(alice, 40)).resolves.toBeTypeOf('function');
    await a.disk.add(400);
    const holding = await b.disk.reserve(600);
    expect(await outcome(a.disk.reserve(1))).toBe('HubFull');
    await holding();
    expect(await a.disk.used()).toBe(400);
  });

  test('200 concurrent writes through both: numbers contiguous, none skipped by a paging reader or B', async () => {
    const { a, b } = await twoProcesses();
    const heardOnB: number[] = [];
    b.heads.subscribe((change) => heardOnB.push(change.seq));
    const heads = keys.map((key) => head(key, 1));
    const acknowledged = Promise.all(heads.map((h, i) => (i % 2 ? a : b).heads.putHead(h)));
    let done = false;
    void acknowledged.then(() => (done = true));
    // A reader paging B's log by cursor while both write: a number visible before a lower one would skip it.
    const paged: HeadChange[] = [];
    for (let since = 0; ; ) {
      const finished = done;
      const { changes, next } = await b.heads.listChanges({ since, limit: 7 });
      paged.push(...changes);
      since = next;
      if (finished && changes.length === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const puts = await acknowledged;
    expect(puts.map((p) => p.seq).toSorted((x, y) => x - y)).toEqual(range(200));
    expect(paged.map((c) => c.seq)).toEqual(range(200));
    const log = await wholeLog(a);
    expect(log.map((c) => c.seq)).toEqual(range(200));
    const logged = new Map(log.map((c) => [c.seq, hex(c.signed.bytes)]));
    for (const p of puts) expect(logged.get(p.seq)).toBe(hex(p.signed.bytes));
    await waitFor('B to hear all 200', () => heardOnB.length >= 200);
    expect(heardOnB).toEqual(range(200));
  });

  test("mirroring's state is shared: a cursor saved and commits verified in A are found in B", async () => {
    const { a, b } = await twoProcesses();
    await (await a.mirror.openCursor('https://peer.example')).save(42);
    expect((await b.mirror.openCursor('https://peer.example')).value).toBe(42);
    const ids = ['one', 'two', 'three'].map((t) => hashBytes(bytesOf(t)) as CommitId);
    const inB = await b.mirror.openVerified();
    expect(await Promise.all(ids.map((id) => inB.has(id)))).toEqual([false, false, false]);
    await (await a.mirror.openVerified()).add(ids.slice(0, 2));
    expect(await Promise.all(ids.map((id) => inB.has(id)))).toEqual([true, true, false]);
  });

  test('the guard holds across both: a request taken by A is Replayed at B; one bucket drains in both', async () => {
    const { a, b } = await twoProcesses();
    const ts = Math.max(a.seen.since, b.seen.since, Date.now());
    expect(await outcome(a.seen.admit(alice, '01'.repeat(16), ts))).toBe('fulfilled');
    expect(await outcome(b.seen.admit(alice, '01'.repeat(16), ts))).toBe('Replayed');
    const rate = { perSecond: 0.001, burst: 4 };
    const waits = await Promise.all(range(8).map((n) => (n % 2 ? a : b).rates.take(`pseudonym ${alice}`, rate)));
    expect(waits.filter((w) => w === 0)).toHaveLength(4);
  });

  test('notices through both are numbered without gaps, and a repeat is held once', async () => {
    const { a, b } = await twoProcesses();
    const notices = keys.slice(1, 101).map((key, n) =>
      buildNotice(key, {
        to: alice,
        kind: 'mention',
        ids: [hashBytes(bytesOf(`o ${n}`))],
        ts: 1_700_000_000_000 + n,
      }),
    );
    const outcomes = await Promise.all(notices.map((n, i) => (i % 2 ? a : b).inbox.putNotice(n)));
    expect(outcomes.every((o) => o === 'created')).toBe(true);
    expect(await Promise.all([a.inbox.putNotice(notices[0]!), b.inbox.putNotice(notices[0]!)])).toEqual([
      'held',
      'held',
    ]);
    const listed = await a.inbox.listNotices(alice, { cursor: 0, limit: 200 });
    expect(listed.map((n) => n.seq)).toEqual(range(100));
    expect(listed.map((n) => hex(n.signed.bytes)).toSorted()).toEqual(notices.map((n) => hex(n.bytes)).toSorted());
  });
});

describe('a restart of PostgreSQL', () => {
  let own: PostgresServer;
  beforeAll(async () => {
    own = await startPostgres(true);
  }, 120_000);
  afterAll(() => own?.stop(), 120_000);

  /** How many connections of the database are listening for changes (their last statement was the LISTEN). */
  const listening = async (url: string) =>
    Number(
      (
        await sql<{ n: string }>(
          own.adminUrl,
          `SELECT count(*) AS n FROM pg_stat_activity
           WHERE datname = '${new URL(url).pathname.slice(1)}' AND query = 'LISTEN ${CHANGES_CHANNEL}'`,
        )
      )[0]!.n,
    );

  test('loses nothing acknowledged; while down a call is StoreUnavailable; after, fan-out resumes', async () => {
    const { url, a, b } = await twoProcesses(own);
    const heardOnB: HeadChange[] = [];
    b.heads.subscribe((change) => heardOnB.push(change));
    const before = await Promise.all(keys.slice(0, 20).map((key, i) => (i % 2 ? a : b).heads.putHead(head(key, 1))));
    await waitFor('B to hear the first 20', () => heardOnB.length === 20);

    await own.restart();
    const held = await a.heads.findHeads(authors.slice(0, 20));
    for (const put of before) expect(held.get(put.signed.head.author)?.signed.bytes).toEqual(put.signed.bytes);
    expect((await wholeLog(b)).map((c) => c.seq)).toEqual(range(20));
    await waitFor('both listeners to listen again', async () => (await listening(url)) === 2);
    const after = await a.heads.putHead(head(keys[20]!, 1));
    await waitFor('B to hear a head put after the restart', () => heardOnB.length === 21);
    expect(heardOnB.at(-1)?.seq).toBe(after.seq);

    await own.pause();
    try {
      expect(await outcome(a.heads.putHead(head(keys[21]!, 1)))).toBe('StoreUnavailable');
      expect(await outcome(b.heads.findHeads([alice]))).toBe('StoreUnavailable');
      expect(await outcome(a.quota.reserve(alice, 1))).toBe('StoreUnavailable');
      expect(await a.health()).toMatchObject({
        kind: 'postgres',
        ok: false,
        problem: expect.stringMatching(/database/),
      });
    } finally {
      await own.resume();
    }
    // Written while B's listener is (perhaps) still away: B reads it from its cursor either way.
    const resumed = await a.heads.putHead(head(keys[22]!, 1));
    expect(resumed.seq).toBe(22);
    expect(await a.health()).toEqual({ kind: 'postgres', ok: true });
    await waitFor('B to hear the head put after the server came back', () => heardOnB.length === 22);
    expect(heardOnB.map((c) => c.seq)).toEqual(range(22));
    await waitFor('both listeners to listen again', async () => (await listening(url)) === 2);
  }, 120_000);
});
