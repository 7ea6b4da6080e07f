/**
 * Clients that ask for large answers and never read them. Against a hub
 * process: 1,000 connections ask for an 8 MiB blob or a batch holding it and
 * stop reading; the hub's memory (/proc/<pid>) stays within a bound, another
 * client is still answered, and a second wave of them, after the first is
 * gone, reuses what the first one held rather than adding to it (RSS itself
 * does not shrink: V8 and malloc keep their pages). Stalled readers are cut
 * at the stall timeout (a second hub with a short one). In process: the caps
 * on connections and streams per address answer with their named errors.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sha256HexNode } from '../../runtime/sha256-node.ts';
import { type BuiltHub, buildHub } from '../testing/hub-build.ts';
import { errorName, putBlob, startTestHub, statusOf, waitFor } from '../testing/hub-fixture.ts';
import { type HubProcess, spawnHub } from '../testing/hub-process.ts';
import { memoryOf, resetPeakRss } from '../testing/proc-stats.ts';

const READERS = 1000;
/**
 * The stall timeout of the 1,000 readers' hub: longer than the test, so every reader of a wave is held at once
 * however long a busy machine takes to stall them all (1,000 answers of 8 MiB pushed into kernel buffers until
 * they fill: gigabytes copied; with two busy loops beside it, over 60 s). The readers go when the test closes
 * them, which frees what they held by the same path as a cut (the hub destroys the socket either way); the cut
 * itself is shown on a hub of its own with a short timeout (CUT_MS).
 */
const NEVER_MS = 60 * 60_000;
/** The stall timeout of the hub that shows the cut. */
const CUT_MS = 2_000;
/**
 * How long a wait for a condition may last before the test is taken as hung: a bound, not a guess at the
 * speed (with two busy loops and the rest of the suite beside it, 1,000 stalled answers took over 60 s).
 */
const HANG_MS = 240_000;
const MiB = 1024 * 1024;

let built: BuiltHub;
let dataDir: string;
const hubs: HubProcess[] = [];
const sockets: Socket[] = [];
beforeAll(async () => {
  [built, dataDir] = await Promise.all([buildHub(), mkdtemp(join(tmpdir(), 'murmur-slow-'))]);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(hubs.map((hub) => hub.stop('SIGKILL')));
  await Promise.all([rm(dataDir, { recursive: true, force: true }), built.remove()]);
});

/** A connection that sends `request` and never reads a byte of the answer. */
function stalledReader(port: number, request: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    // Paused before it connects, the socket never starts reading: the answer piles up in the kernel, then in the hub.
    socket.pause();
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {}); // cut by the hub later: expected
      socket.write(request, () => resolve(socket));
    });
  });
}

/** A hub process (data in its own folder under dataDir) holding an 8 MiB blob; the two requests that ask for it. */
async function hubWithLargeBlob(name: string, stallMs: number, readers: number) {
  const hub = await spawnHub(built.main, {
    dataDir: join(dataDir, name),
    args: [
      '--max-connections',
      String(readers + 200),
      '--max-connections-per-address',
      String(readers + 100),
      '--stall-timeout',
      String(stallMs),
    ],
  });
  hubs.push(hub);
  const bytes = randomBytes(8 * MiB);
  const id = sha256HexNode(bytes);
  expect((await putBlob(hub.url, id, bytes)).status).toBe(201);
  const batchBody = JSON.stringify({ ids: [id] });
  const requests = [
    `GET /v1/blobs/${id} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    `POST /v1/blobs/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ` +
      `${batchBody.length}\r\n\r\n${batchBody}`,
  ];
  return { hub, bytes, id, batchBody, requests };
}

/** `count` readers asking `hub` in turn for each of `requests`, all held by the hub as stalled at once. */
async function stall(hub: HubProcess, requests: readonly string[], count: number): Promise<Socket[]> {
  const wave: Socket[] = [];
  for (let i = 0; i < count; i += 50) {
    const n = Math.min(50, count - i);
    wave.push(
      ...(await Promise.all(Array.from({ length: n }, (_, j) => stalledReader(hub.port, requests[(i + j) % 2]!)))),
    );
  }
  sockets.push(...wave);
  await waitFor(
    `${count} stalled answers`,
    async () => (await statusOf(hub.url)).connections.stalled >= count,
    HANG_MS,
  );
  return wave;
}

test(`${READERS} readers stalling on large answers cost the hub bounded memory, and a second wave reuses it`, {
  timeout: 5 * HANG_MS,
}, async () => {
  const { hub, bytes, id, batchBody, requests } = await hubWithLargeBlob('readers', NEVER_MS, READERS);
  // The baseline is a hub that has already answered these requests (code compiled, heap at its working size).
  for (let i = 0; i < 10; i++) {
    expect((await (await fetch(`${hub.url}/v1/blobs/${id}`)).arrayBuffer()).byteLength).toBe(8 * MiB);
    await (await fetch(`${hub.url}/v1/blobs/batch`, { method: 'POST', body: batchBody })).arrayBuffer();
  }
  const pid = hub.child.pid!;
  const { rss: before } = await memoryOf(pid);
  await resetPeakRss(pid);

  // The readers go (closed here; a cut closes them the same way, below) and the hub lets go of what they held.
  const gone = async (wave: Socket[]) => {
    for (const s of wave) s.destroy();
    await waitFor('the stalled connections gone', async () => (await statusOf(hub.url)).connections.open <= 2, HANG_MS);
  };
  const first = await stall(hub, requests, READERS);
  const held = await memoryOf(pid);

  // Another client is answered meanwhile, the large blob whole.
  const begun = performance.now();
  const res = await fetch(`${hub.url}/v1/blobs/${id}`);
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  const answeredMs = performance.now() - begun;

  await gone(first);
  const after = await memoryOf(pid);
  // A second wave reuses what the first one freed: the hub does not keep what a closed connection held.
  await resetPeakRss(pid);
  const second = await stall(hub, requests, READERS);
  const again = await memoryOf(pid);
  await gone(second);
  const mib = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
  console.log(
    `${READERS} stalled readers: hub RSS ${mib(before)} before, +${mib(held.rss - before)} while held ` +
      `(peak +${mib(held.peak - before)}), +${mib(after.rss - before)} after they went, ` +
      `a second wave peak +${mib(again.peak - after.rss)} over that; ` +
      `another client got 8 MiB in ${answeredMs.toFixed(0)} ms`,
  );
  // Goal: at most 64 MiB for 1,000 stalled readers (before streaming, each held its whole 8 MiB answer).
  // Measured on 2 busy cores: +50-53 MiB held, +56-58 after the cut, a second wave +3 MiB over that.
  // Each wave is measured from what the hub held when it began: after the cut the allocator may hand some
  // pages back to the system and take them again for the second wave (seen: +40.7 after the cut, then +23.9).
  // A hub that kept what the first wave held would pass 96 MiB over the start in the second.
  expect(held.peak - before).toBeLessThan(64 * MiB);
  expect(again.peak - after.rss).toBeLessThan(64 * MiB);
  expect(again.peak - before).toBeLessThan(96 * MiB);
  expect(answeredMs).toBeLessThan(10_000);
});

test('readers that take nothing for the stall timeout are cut by the hub, none sooner', {
  timeout: 2 * HANG_MS,
}, async () => {
  const CUT_READERS = 20;
  const { hub, requests } = await hubWithLargeBlob('cut', CUT_MS, CUT_READERS);
  const opened = performance.now();
  sockets.push(
    ...(await Promise.all(Array.from({ length: CUT_READERS }, (_, i) => stalledReader(hub.port, requests[i % 2]!)))),
  );
  // Held as stalled first (a stall is cut no sooner than the timeout after it began: there is time to see it)...
  await waitFor('a stalled answer', async () => (await statusOf(hub.url)).connections.stalled > 0, HANG_MS);
  // ...then cut by the hub: this test closes none of them.
  await waitFor('every stalled reader cut', async () => (await statusOf(hub.url)).connections.open <= 2, HANG_MS);
  expect(performance.now() - opened).toBeGreaterThanOrEqual(CUT_MS);
});

test('connections and streams past their caps per address are refused by name', async () => {
  const t = await startTestHub({ connections: { maxConnectionsPerAddress: 4, maxStreamsPerAddress: 2 } });
  const port = new URL(t.url).port;
  const open: Socket[] = [];
  /**
   * A raw request on a new connection; @returns its status and body once the hub ends the answer (or the connection).
   */
  const ask = (path: string, keep = false) =>
    new Promise<{ socket: Socket; text: string }>((resolve, reject) => {
      const socket = connect({ port: Number(port), host: '127.0.0.1' }, () =>
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
        if (keep && /\r\n\r\n\{.*\}$/s.test(text)) resolve({ socket, text });
      });
      socket.on('end', () => resolve({ socket, text }));
      socket.on('error', reject);
    });
  try {
    // Four connections kept alive after their answers: the address's whole allowance.
    for (let i = 0; i < 4; i++) open.push((await ask('/v1/status', true)).socket);
    const refused = await ask('/v1/status');
    expect(refused.text).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused.text).toMatch(/"error":"TooManyConnections"/);
    expect(refused.text).toMatch(/connection: close/i);
    // Past 64 refused connections waiting for their answer, more are closed before they are read.
    const waiting = await Promise.all(
      Array.from(
        { length: 70 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect({ port: Number(port), host: '127.0.0.1' }, () => resolve(socket));
          }),
      ),
    );
    const closed = () => waiting.filter((s) => s.destroyed || s.readableEnded).length;
    for (const s of waiting)
      s.on('end', () => {})
        .on('error', () => {})
        .resume();
    await waitFor('the refusals past 64 closed', () => closed() >= 6);
    expect(closed()).toBeLessThan(70);
    for (const s of waiting) s.destroy();
    open.pop()!.destroy();
    // Until the hub has seen those go, a new connection may still
    // be closed unread (undici's fetch then waits: 1 s per try).
    const statusOk = () =>
      fetch(`${t.url}/v1/status`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
    await waitFor('a connection freed', statusOk);
  } finally {
    for (const s of open) s.destroy();
    await t.stop();
  }

  const s = await startTestHub({ connections: { maxStreamsPerAddress: 2 } });
  const streams = [new AbortController(), new AbortController()];
  try {
    for (const c of streams) expect((await fetch(`${s.url}/v1/stream?all=1`, { signal: c.signal })).status).toBe(200);
    expect(await errorName(await fetch(`${s.url}/v1/stream?all=1`))).toBe('429 TooManyStreams');
    streams[0]!.abort();
    await waitFor('a stream freed', async () => (await statusOf(s.url)).streams === 1);
    const again = new AbortController();
    streams.push(again);
    expect((await fetch(`${s.url}/v1/stream?all=1`, { signal: again.signal })).status).toBe(200);
  } finally {
    for (const c of streams) c.abort();
    await s.stop();
  }
});
