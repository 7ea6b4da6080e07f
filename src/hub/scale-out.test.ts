/**
 * A hub scaled out, all of it real processes (testing/scaled-hub.ts): three
 * built hub processes on one PostgreSQL database and one S3 bucket (Ceph),
 * behind HAProxy. What one process takes, every process answers, and its
 * event streams carry; a process killed with -9 under writers, and
 * PostgreSQL stopped and started under them, lose nothing acknowledged; and
 * the scaled-out hub mirrors an embedded one and is mirrored by it.
 * (store/postgres/scale-out.test.ts shows the same of the store alone.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { headToJson } from '../protocol/heads.ts';
import { newRequestNonce, signRequest } from '../protocol/request-auth.ts';
import { type AcknowledgedWrites, missingFrom, startWriters } from './testing/acknowledged-writes.ts';
import { type Feed, growFeed, pushFeed } from './testing/feed-fixture.ts';
import { type BuiltHub, buildHub } from './testing/hub-build.ts';
import {
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  headsOf,
  put,
  putBlob,
  signedHead,
  waitFor,
} from './testing/hub-fixture.ts';
import { type HubProcess, freePort, spawnHub } from './testing/hub-process.ts';
import { type PostgresServer, startPostgres } from './testing/postgres-server.ts';
import { type ScaledHub, type ScaledHubOptions, startScaledHub } from './testing/scaled-hub.ts';

/** Bounds for conditions, not guesses at speed: generous, so two busy loops beside the test do not fail it. */
const WAIT_MS = 60_000;
/** Building the hub, starting PostgreSQL and (for the first file of a run) Ceph. */
const SETUP_MS = 300_000;
const TEST_MS = 240_000;

let built: BuiltHub;
let postgres: PostgresServer;
beforeAll(async () => {
  // A throwaway server even when MURMUR_TEST_POSTGRES names one: the restart test stops it.
  [built, postgres] = await Promise.all([buildHub(), startPostgres(true)]);
}, SETUP_MS);
afterAll(async () => {
  await Promise.all([built?.remove(), postgres?.stop()]);
}, SETUP_MS);

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
}, SETUP_MS);

async function scaledHub(options: Partial<ScaledHubOptions> = {}): Promise<ScaledHub> {
  const scaled = await startScaledHub({ built, postgres, bucketName: 'murmur-scale-out', ...options });
  cleanups.push(() => scaled.stop());
  return scaled;
}

interface EventStream {
  /** Resolves once the stream has carried `text`. @throws when it ends first or WAIT_MS pass. */
  until(text: string): Promise<void>;
  /** What it carried so far. */
  text(): string;
}

/** An event stream of `authors` opened on `hubUrl`, resolved once the hub has registered it. */
async function openStream(
  hubUrl: string,
  authors: readonly string[],
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const controller = new AbortController();
  cleanups.push(() => controller.abort());
  const res = await fetch(`${hubUrl}/v1/stream?authors=${authors.join(',')}`, { headers, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  // One read at a time, shared: a read abandoned by a timed-out wait would swallow the chunk it gets.
  let reading: Promise<ReadableStreamReadResult<string>> | undefined;
  const until = async (wanted: string) => {
    const deadline = Date.now() + WAIT_MS;
    while (!text.includes(wanted)) {
      reading ??= reader.read();
      const timer = new Promise<'late'>((resolve) => setTimeout(resolve, deadline - Date.now(), 'late'));
      const read = await Promise.race([reading, timer]);
      if (read === 'late') throw new Error(`${hubUrl}'s stream did not carry ${wanted} in time: ${text}`);
      reading = undefined;
      if (read.done) throw new Error(`${hubUrl}'s stream ended before carrying ${wanted}: ${text}`);
      text += read.value;
    }
  };
  await until('retry:');
  return { until, text: () => text };
}

/** The id of the event carrying `data` in `text`. */
function idOf(text: string, data: string): string {
  const block = text.split('\n\n').find((b) => b.includes(data));
  const id = block && /^id: (\d+)$/m.exec(block)?.[1];
  if (!id) throw new Error(`no event with an id carries ${data}: ${text}`);
  return id;
}

/** The text a stream carries for `head`. */
const eventOf = (head: Parameters<typeof headToJson>[0]) => JSON.stringify(headToJson(head));

async function blobAt(hubUrl: string, id: string): Promise<Uint8Array> {
  const res = await fetch(`${hubUrl}/v1/blobs/${id}`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** Every URL answers everything `writes` acknowledged. */
async function expectHeldBy(urls: readonly string[], writes: AcknowledgedWrites): Promise<void> {
  for (const url of urls) expect({ url, missing: await missingFrom(url, writes) }).toEqual({ url, missing: [] });
}

test(
  "a head put through the balancer is answered by every process and reaches each one's streams",
  async () => {
    const scaled = await scaledHub();
    const streams = await Promise.all(scaled.hubs.map((hub) => openStream(hub.url, [alice])));

    const first = signedHead(aliceKey, 1);
    expect((await putBlob(scaled.url, first.commit.id, first.commit.bytes)).status).toBe(201);
    expect((await put(`${scaled.url}/v1/heads/${alice}`, first.head.bytes)).status).toBe(200);
    await Promise.all(streams.map((stream) => stream.until(eventOf(first.head))));
    for (const hub of scaled.hubs) {
      expect(await headsOf(hub.url, [alice])).toEqual({ [alice]: headToJson(first.head) });
      expect(await blobAt(hub.url, first.commit.id)).toEqual(first.commit.bytes);
    }

    // Written to the first process itself: the other two can only have it from the database.
    const second = signedHead(aliceKey, 2);
    expect((await putBlob(scaled.hubs[0]!.url, second.commit.id, second.commit.bytes)).status).toBe(201);
    expect((await put(`${scaled.hubs[0]!.url}/v1/heads/${alice}`, second.head.bytes)).status).toBe(200);
    await Promise.all(streams.map((stream) => stream.until(eventOf(second.head))));
    for (const hub of scaled.hubs.slice(1))
      expect(await blobAt(hub.url, second.commit.id)).toEqual(second.commit.bytes);
  },
  TEST_MS,
);

test(
  'kill -9 of a process under writers loses nothing acknowledged; restarted, it answers all of it',
  async () => {
    const scaled = await scaledHub();
    const writes = startWriters(scaled.url, 8);
    cleanups.push(() => writes.stop());
    await waitFor('30 heads acknowledged', () => writes.acknowledged() >= 30, WAIT_MS);

    const [, killed] = scaled.hubs as [HubProcess, HubProcess, HubProcess];
    expect(await killed.stop('SIGKILL')).toBe(null);
    const atKill = writes.acknowledged();
    // The writers go on through the balancer, which takes the dead process out at its next check.
    await waitFor('30 more heads acknowledged', () => writes.acknowledged() >= atKill + 30, WAIT_MS);
    await writes.stop();

    const alive = scaled.hubs.filter((hub) => hub !== killed);
    await expectHeldBy([scaled.url, ...alive.map((hub) => hub.url)], writes);
    const restarted = await scaled.restart(1);
    await expectHeldBy([restarted.url], writes);
  },
  TEST_MS,
);

test(
  'a stream cut by kill -9 resumes through the balancer, on another process, from its Last-Event-ID',
  async () => {
    const scaled = await scaledHub();
    const [alice1, bob1, alice2] = [signedHead(aliceKey, 1), signedHead(bobKey, 1), signedHead(aliceKey, 2)];
    for (const { head } of [alice1, bob1])
      expect((await put(`${scaled.url}/v1/heads/${head.head.author}`, head.bytes)).status).toBe(200);
    const [, doomed] = scaled.hubs as [HubProcess, HubProcess];
    const first = await openStream(doomed.url, [alice, bob]);
    await Promise.all([first.until(eventOf(alice1.head)), first.until(eventOf(bob1.head))]);
    const lastId = idOf(first.text(), eventOf(bob1.head));
    expect(Number(lastId)).toBeGreaterThan(Number(idOf(first.text(), eventOf(alice1.head))));

    await doomed.stop('SIGKILL');
    expect((await put(`${scaled.url}/v1/heads/${alice}`, alice2.head.bytes)).status).toBe(200);
    const resumed = await openStream(scaled.url, [alice, bob], { 'last-event-id': lastId });
    await resumed.until(eventOf(alice2.head));
    // Current heads are sent oldest change first: had bob's (older) come again, it would be here by now.
    expect(resumed.text()).not.toContain(eventOf(bob1.head));
    // The control: without the id, another process sends both, so the one above left bob's out on purpose.
    const fresh = await openStream(scaled.url, [alice, bob]);
    await Promise.all([fresh.until(eventOf(alice2.head)), fresh.until(eventOf(bob1.head))]);
  },
  TEST_MS,
);

test(
  'PostgreSQL stopped and started under writers: 503 meanwhile, nothing acknowledged lost, streams go on',
  async () => {
    const scaled = await scaledHub();
    const probe = bob;
    const streams = await Promise.all(scaled.hubs.map((hub) => openStream(hub.url, [probe])));
    const writes = startWriters(scaled.url, 8);
    cleanups.push(() => writes.stop());
    await waitFor('30 heads acknowledged', () => writes.acknowledged() >= 30, WAIT_MS);

    await postgres.pause();
    try {
      const failuresBefore = writes.failures();
      for (const [i, hub] of scaled.hubs.entries()) {
        const { head } = signedHead(bobKey, 100 + i);
        expect(await errorName(await put(`${hub.url}/v1/heads/${probe}`, head.bytes))).toBe('503 StoreUnavailable');
      }
      // The writers' own requests fail too (the balancer's answer, once it sees every process unwell).
      await waitFor('the writers to fail', () => writes.failures() > failuresBefore + 8, WAIT_MS);
    } finally {
      await postgres.resume();
    }

    // Writes succeed again through every process once its pool reconnects.
    let seq = 200;
    for (const hub of scaled.hubs) {
      await waitFor(
        `${hub.url} to take a head again`,
        async () => (await put(`${hub.url}/v1/heads/${probe}`, signedHead(bobKey, ++seq).head.bytes)).status === 200,
        WAIT_MS,
      );
    }
    const atResume = writes.acknowledged();
    await waitFor('30 heads acknowledged after', () => writes.acknowledged() >= atResume + 30, WAIT_MS);
    await writes.stop();
    await expectHeldBy([scaled.url, ...scaled.hubs.map((hub) => hub.url)], writes);

    // The streams opened before the outage carry a head put after it, through each process: every process
    // listens again and reads the change log from its own cursor (store/postgres/change-feed.ts).
    for (const hub of scaled.hubs) {
      const { head } = signedHead(bobKey, ++seq);
      expect((await put(`${hub.url}/v1/heads/${probe}`, head.bytes)).status).toBe(200);
      await Promise.all(streams.map((stream) => stream.until(eventOf(head))));
    }
  },
  TEST_MS,
);

test(
  'an embedded hub mirrors the scaled-out hub through its balancer, and the scaled-out hub mirrors it',
  async () => {
    // The embedded hub's port first: the scaled-out processes name it as their peer before it starts
    // (their mirrors retry until it listens).
    const embeddedPort = await freePort();
    const scaled = await scaledHub({ args: ['--peers', `http://127.0.0.1:${embeddedPort}`] });
    const dataDir = await mkdtemp(join(tmpdir(), 'murmur-embedded-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const embedded = await spawnHub(built.main, { dataDir, port: embeddedPort, args: ['--peers', scaled.url] });
    cleanups.push(() => embedded.stop('SIGKILL'));

    const aliceFeed = growFeed(aliceKey, undefined, 3);
    await pushFeed(scaled.url, aliceFeed);
    await waitFor('the embedded hub to mirror alice', () => holdsFeed(embedded.url, aliceFeed), WAIT_MS);
    expect(await headsOf(embedded.url, [alice])).toEqual({ [alice]: headToJson(aliceFeed.head) });

    const bobFeed = growFeed(bobKey, undefined, 2);
    await pushFeed(embedded.url, bobFeed);
    for (const hub of scaled.hubs) {
      await waitFor(`${hub.url} to mirror bob`, () => holdsFeed(hub.url, bobFeed), WAIT_MS);
      expect(await headsOf(hub.url, [alice, bob])).toEqual({
        [alice]: headToJson(aliceFeed.head),
        [bob]: headToJson(bobFeed.head),
      });
    }
  },
  TEST_MS,
);

/** Whether `hubUrl` answers `feed`'s head and every commit and object of it. */
async function holdsFeed(hubUrl: string, feed: Feed): Promise<boolean> {
  if ((await headsOf(hubUrl, [feed.author]))[feed.author]?.sig !== feed.head.sig) return false;
  const ids = [...feed.commits, ...feed.objects].map((b) => b.id);
  const res = await fetch(`${hubUrl}/v1/blobs/missing`, { method: 'POST', body: JSON.stringify({ ids }) });
  return ((await res.json()) as { missing: string[] }).missing.length === 0;
}

// The write guard's counts are the store's (RateLedger, SeenRequestLedger; rows in PostgreSQL), so they hold
// whichever process a request reaches. Both failed while each process kept its own.

test(
  'a signed request is good once across processes (PROTOCOL.md, "Signed requests"): a replay is Replayed',
  async () => {
    const scaled = await scaledHub();
    const { commit } = signedHead(aliceKey, 1);
    const path = `/v1/blobs/${commit.id}`;
    const nonce = newRequestNonce();
    const auth = signRequest(aliceKey, {
      method: 'PUT',
      path,
      body: commit.bytes,
      ts: Date.now(),
      host: scaled.host,
      nonce,
    });
    const [first, second] = scaled.hubs as [HubProcess, HubProcess];
    expect((await put(`${first.url}${path}`, commit.bytes, auth)).status).toBe(201);
    expect(await errorName(await put(`${first.url}${path}`, commit.bytes, auth))).toBe('409 Replayed');
    // The same request, as a balancer would pass it to the next process: that one has never seen its nonce.
    expect(await errorName(await put(`${second.url}${path}`, commit.bytes, auth))).toBe('409 Replayed');
  },
  TEST_MS,
);

test(
  'the per-address write rate holds across processes (issue 16: "rate limits ... hold across processes")',
  async () => {
    const burst = 3;
    const scaled = await scaledHub({ env: { MURMUR_RATE_IP: '1', MURMUR_RATE_IP_BURST: String(burst) } });
    const began = Date.now();
    let taken = 0;
    for (let seq = 1; seq <= 12; seq++) {
      const { head } = signedHead(aliceKey, seq);
      const res = await put(`${scaled.url}/v1/heads/${alice}`, head.bytes);
      if (res.status === 200) taken++;
      else expect(await errorName(res)).toBe('429 RateLimited');
    }
    // One bucket for 127.0.0.1 (forwarded by the balancer): its burst, and one token a second since.
    expect(taken).toBeLessThanOrEqual(burst + Math.ceil((Date.now() - began) / 1000));
  },
  TEST_MS,
);
