/**
 * The hub over loopback, each scenario beside a bare node:http server in the
 * same run (bench/hub/bare-server.ts), in alternating rounds: blob GET and PUT
 * rates, head PUT rate (also against the goal of 5,000 durable signed writes
 * per second, with a one-loop control that must fail it), and post ->
 * subscriber latency with 1, 1,000 and 5,000 SSE subscribers. The hub is the BUILT hub (src/hub/main.ts bundled by
 * vite.hub.config.ts) as its own process, as the bare server is, so the load
 * generator (this process) does not share their event loop. Beside each rate
 * is the server process's CPU time per request (from /proc): on 2 cores the
 * generator can saturate its own core first, and then CPU per request is
 * what still tells the servers apart.
 *
 *   npx vitest run --config bench/vitest.config.ts bench/hub.bench.ts && node bench/report.mjs
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildHead, decodeHead, headToJson } from '../src/protocol/heads.ts';
import { hashBytes } from '../src/protocol/ids.ts';
import { pseudonymOf } from '../src/protocol/keys.ts';
import { nodeCryptoVerify } from '../src/hub/guard/node-verify.ts';
import { checkHead } from '../src/hub/guard/head-check.ts';
import { newRequestNonce, signRequest } from '../src/protocol/request-auth.ts';
import { startBareServer } from './hub/bare-server.ts';
import { BLOB_CACHE_LIMITS } from '../src/hub/store/blob-cache.ts';
import { TIP, headsOfAuthors, keyOf, unlimitedHubEnv } from './hub/bench-hub-env.ts';
import { buildHub } from '../src/hub/testing/hub-build.ts';
import { spawnHub } from '../src/hub/testing/hub-process.ts';
import { Subscribers, keepAliveAgent, runLoad, send } from './hub/load-client.ts';
import { ROUNDS, type Side, compare, spreads } from './hub/compare.ts';
import { GeneratorCpu, coreBudget } from './hub/core-budget.ts';
import { GET_BLOBS, SLOWED_GET_KIB, blobGetSide, outgrowsCache, seedBlobs } from './hub/blob-get.ts';
import { type Row, median, writeSection } from './record.ts';

const LOOPS = 32;
const ROUND_MS = 1500;
const WRITES_PER_ROUND = 3000;
const BLOB_BYTES = 4096;
const ONLY = process.env.BENCH_ONLY;
if (ONLY && ONLY !== 'blob-get') throw new RangeError(`BENCH_ONLY is blob-get, not ${ONLY}`);
const AUTHORS = 256;
/** The goal for the embedded store: durable signed writes per second on these 2 cores. */
const WRITES_GOAL = 5000;
/** The hub's CPU per blob GET, at most this times the bare server's (issue 23). */
const GET_CPU_GOAL = 1.3;
const BARE_GET = 'bare server, each blob read from its own file on disk';

/** A rate row restated against a fixed goal in writes per second (a row of compare()). */
function writesPerSecond(row: Row, scenario: string): Row {
  const met = row.value >= WRITES_GOAL;
  return { ...row, scenario, unit: 'writes/s', goal: `>= ${WRITES_GOAL.toLocaleString('en-US')} /s`, met };
}

/** What the bound rows mean, for the notes. */
const boundNotes: string[] = [];

test('hub beside bare node:http', async () => {
  const built = await buildHub();
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-'));
  // The fan-out opens 5,000 streams from one address: the connection and stream caps must not refuse them.
  const env = unlimitedHubEnv(1e9);
  const blob = crypto.getRandomValues(new Uint8Array(BLOB_BYTES));
  const key = keyOf('uploader');
  // Uploads are signed for the hub's host, and after it starts (a hub refuses requests signed before
  // it started as Replayed).
  const signPuts = (host: string) =>
    Array.from({ length: (ROUNDS + 1) * WRITES_PER_ROUND }, (_, i) => {
      const bytes = new Uint8Array(BLOB_BYTES);
      new DataView(bytes.buffer).setUint32(0, i);
      const path = `/v1/blobs/${hashBytes(bytes)}`;
      return {
        path,
        bytes,
        headers: signRequest(key, { method: 'PUT', path, body: bytes, ts: Date.now(), host, nonce: newRequestNonce() }),
      };
    });
  // Twice the rounds' writes: the one-loop control puts heads after the 32-loop rounds, at higher seqs.
  const heads = headsOfAuthors(AUTHORS, 2 * (ROUNDS + 1) * WRITES_PER_ROUND);

  const blobDir = await mkdtemp(join(tmpdir(), 'murmur-bench-blobs-'));
  const [hub, bare] = await Promise.all([spawnHub(built.main, { dataDir, env }), startBareServer(blob, blobDir)]);
  let slowed: Awaited<ReturnType<typeof spawnHub>> | undefined;
  // Everything is signed before any connection opens: seconds of signing would block the event loop
  // while the servers close idle keep-alive sockets, and a reused dead socket fails its request.
  const hubHost = new URL(hub.url).host;
  const puts = signPuts(hubHost);
  const hubPid = hub.child.pid!;
  const rows: Row[] = [];
  let agent = keepAliveAgent(LOOPS);
  const load = (maxRequests: number, one: (i: number) => Promise<number>, expected: number[], loops = LOOPS) =>
    runLoad({ loops, durationMs: ROUND_MS, maxRequests, expect: expected, one });
  try {
    // Blob GET: many distinct blobs, each read from disk by both sides (bench/hub/blob-get.ts).
    expect(outgrowsCache(GET_BLOBS, BLOB_BYTES)).toBe(true);
    const ids = await seedBlobs(agent, hub.url, key, { count: GET_BLOBS, size: BLOB_BYTES, dir: blobDir });
    const gets = (pid: number, urlOf: (id: string) => string) =>
      blobGetSide(
        pid,
        ids,
        urlOf,
        (one) => load(1e7, one, [200]),
        () => agent,
      );
    const bareGets = gets(bare.pid, (id) => `${bare.url}/blobs/${id}`);
    rows.push(
      ...(await compare(
        `blob GET (${BLOB_BYTES} B, ${GET_BLOBS.toLocaleString('en-US')} distinct blobs asked in turn), ` +
          `${LOOPS} keep-alive loops`,
        BARE_GET,
        bareGets,
        gets(hubPid, (id) => `${hub.url}/v1/blobs/${id}`),
        { cpu: GET_CPU_GOAL },
      )),
    );

    // BENCH_ONLY=blob-get (while tuning) runs the blob GET rows and their control alone, and records nothing.
    if (!ONLY) {
      agent.destroy();
      agent = keepAliveAgent(LOOPS);
      const sink = new URL(`${bare.url}/sink`);
      let putAt = 0;
      const blobGenerator = new GeneratorCpu();
      const blobRows = await compare(
        `blob PUT (${BLOB_BYTES} B, signed, durable), ${LOOPS} loops`,
        'bare server reading and dropping the body',
        blobGenerator.meter({
          pid: bare.pid,
          run: () =>
            load(
              WRITES_PER_ROUND,
              (i) => send(agent, sink, 'PUT', puts[putAt + i]!.headers, puts[putAt + i]!.bytes),
              [200],
            ),
        }),
        {
          pid: hubPid,
          run: async () => {
            const r = await load(
              WRITES_PER_ROUND,
              (i) =>
                send(
                  agent,
                  new URL(hub.url + puts[putAt + i]!.path),
                  'PUT',
                  puts[putAt + i]!.headers,
                  puts[putAt + i]!.bytes,
                ),
              [201],
            );
            putAt += WRITES_PER_ROUND;
            return r;
          },
        },
        { rate: 0.5 },
      );
      rows.push(...blobRows);

      agent.destroy();
      agent = keepAliveAgent(LOOPS);
      let headAt = 0;
      const headGenerator = new GeneratorCpu();
      const headPuts = (loops: number, generator = new GeneratorCpu()): [Side, Side] => [
        generator.meter({
          pid: bare.pid,
          run: () =>
            load(WRITES_PER_ROUND, (i) => send(agent, sink, 'PUT', {}, heads[headAt + i]!.bytes), [200], loops),
        }),
        {
          pid: hubPid,
          run: async () => {
            const r = await load(
              WRITES_PER_ROUND,
              (i) =>
                send(
                  agent,
                  new URL(`${hub.url}/v1/heads/${heads[headAt + i]!.head.author}`),
                  'PUT',
                  {},
                  heads[headAt + i]!.bytes,
                ),
              [200],
              loops,
            );
            headAt += r.requests;
            return r;
          },
        },
      ];
      const headRows = await compare(
        `head PUT (signed, durable), ${LOOPS} loops, ${AUTHORS} authors`,
        'bare server reading and dropping the body',
        ...headPuts(LOOPS, headGenerator),
        { rate: 0.7 },
      );
      // The positive control: one loop leaves nothing to group, so each write is fsynced alone; it must say no,
      // or the goal row would pass whatever the store did.
      const oneLoop = await compare(
        'control: head PUT (signed, durable), 1 loop',
        'bare server reading and dropping the body, 1 loop',
        ...headPuts(1),
      );
      rows.push(
        ...headRows,
        writesPerSecond(headRows[0]!, `durable signed writes per second (head PUTs, ${LOOPS} loops)`),
        writesPerSecond(oneLoop[0]!, 'control: durable signed writes per second, 1 loop (each write fsynced alone)'),
        await headCheckBound(headRows[0]!, headRows[1]!),
      );
      boundNotes.push(
        coreBudget('blob PUT', 0.5, blobRows, blobGenerator.usPerRequest()),
        coreBudget('head PUT', 0.7, headRows, headGenerator.usPerRequest()),
      );

      rows.push(...(await fanOut(hub.url, bare.url, agent)));
    }

    // The positive control of the blob GET goal: the same hub on the same data, each blob GET slowed on purpose.
    await hub.stop();
    agent.destroy();
    agent = keepAliveAgent(LOOPS);
    slowed = await spawnHub(built.main, {
      dataDir,
      env: { ...env, MURMUR_BENCH_SLOWED_KIB: String(SLOWED_GET_KIB) },
      nodeArgs: ['--import', join(import.meta.dirname, 'hub', 'slowed-get.mjs')],
    });
    const slowedUrl = slowed.url;
    const control = await compare(
      `control: blob GET, each also hashing ${SLOWED_GET_KIB} KiB first (${GET_BLOBS.toLocaleString('en-US')} ` +
        `distinct blobs)`,
      BARE_GET,
      bareGets,
      gets(slowed.child.pid!, (id) => `${slowedUrl}/v1/blobs/${id}`),
      { cpu: GET_CPU_GOAL },
    );
    rows.push(control[1]!);
  } finally {
    agent.destroy();
    await Promise.all([hub.stop('SIGKILL'), bare.stop(), slowed?.stop('SIGKILL')]);
    await Promise.all([
      rm(dataDir, { recursive: true, force: true }),
      rm(blobDir, { recursive: true, force: true }),
      built.remove(),
    ]);
  }
  console.table(rows);
  if (!ONLY)
    writeSection(
      '2-hub',
      'Hub: rates and live fan-out over loopback',
      'npx vitest run --config bench/vitest.config.ts bench/hub.bench.ts',
      rows,
      notes(),
    );
  for (const row of rows) expect(row.value).toBeGreaterThan(0);
});

const notes = () =>
  `The hub is the built hub (\`npm run build\` makes the same dist/hub/main.js) in its own process, ` +
  `with its per-request log off; the baseline is a bare node:http server in its own process; the load generator ` +
  `(node:http, keep-alive agent, ${LOOPS} concurrent loops) is a third, all on 127.0.0.1, 2 cores between the ` +
  `three. Rates: ${ROUNDS} alternating rounds of at most ${ROUND_MS} ms (and ${WRITES_PER_ROUND} requests for ` +
  `writes), after one warm-up round each. "Server CPU per request" is the server process's user + system CPU time ` +
  `over the round divided by the requests answered. Blob GET: ${GET_BLOBS.toLocaleString('en-US')} distinct ` +
  `random blobs (${Math.round((GET_BLOBS * BLOB_BYTES) / 2 ** 20)} MiB, more than the hub's ` +
  `${BLOB_CACHE_LIMITS.maxBytes / 2 ** 20} MiB cache of small blobs, store/blob-cache.ts, which the hub puts only ` +
  `in front of S3) put to the hub's data folder (its blob segments) and written as one file each for the bare ` +
  `server; each side asks them in turn, each request the next blob, so none is asked twice until all were, and ` +
  `each answer is read from the store (the hub) or its file (the bare server) by a system call: both read through ` +
  `the OS page cache (${Math.round(totalmem() / 2 ** 30)} GB of memory here), not the disk's platters. The load ` +
  `generator saturates first, so the rate row ` +
  `has no goal; the goal is on CPU per request (at most ${GET_CPU_GOAL}x the bare server's), and its control, the ` +
  `same hub on the same data with each blob GET first hashing ${SLOWED_GET_KIB} KiB (sha256; bench/hub/` +
  `slowed-get.mjs, preloaded), must say no. Writes are fsynced before the hub answers (a kill -9 ` +
  `cannot tell; store/files/power-cut.test.ts models power loss: ARCHITECTURE.md); writes ` +
  `that arrive together share their fsyncs (group commit). "Durable signed writes per second" is the head PUT ` +
  `rate against the issue's goal of ${WRITES_GOAL.toLocaleString('en-US')} /s; its control sends the same writes ` +
  `from 1 loop, where nothing arrives to share an fsync, and must say no. Rates per round, lowest-highest: ` +
  `${spreads.join('; ')}. Latency: ` +
  `from just before the head PUT is sent to the moment each subscriber's socket delivers the event, 3 alternating ` +
  `rounds; the baseline fan-out writes the same event text to the same number of sockets, with no verification and ` +
  `no fsync. ${boundNotes.join(' ')}`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * What a head PUT cannot do without: the hub's own check of one head (decode, signature, time), its CPU per
 * head in this process (the verifier runs on libuv's threads, which process CPU counts), beside the bare
 * server's CPU per request: what the cores must hold for the hub to answer at a given rate, whatever its
 * store does.
 */
async function headCheckBound(headRateRow: Row, headCpuRow: Row): Promise<Row> {
  const verify = nodeCryptoVerify(); // the hub's
  const key = keyOf('bound');
  const author = pseudonymOf(key);
  const heads = Array.from({ length: 6000 }, (_, i) => buildHead(key, { heads: [TIP], seq: i + 1, ts: Date.now() }));
  const checkAll = async (batch: typeof heads) => {
    for (let i = 0; i < batch.length; i += LOOPS)
      await Promise.all(
        batch.slice(i, i + LOOPS).map((h) => checkHead(decodeHead(h.bytes), author, verify, Date.now())),
      );
  };
  await checkAll(heads.slice(0, 1000)); // warm up
  const before = process.cpuUsage();
  await checkAll(heads.slice(1000));
  const used = process.cpuUsage(before);
  const value = (used.user + used.system) / 5000;
  const bare = headCpuRow.baselineValue;
  const goalRate = 0.7 * headRateRow.baselineValue;
  boundNotes.push(
    `The hub's check of one head costs ${value.toFixed(0)} µs of CPU, the bare server ${bare.toFixed(0)} µs a ` +
      `request: at 0.7x the bare server's rate (${Math.round(goalRate).toLocaleString('en-US')} /s) a hub doing ` +
      `only those two would need ${((goalRate * (bare + value)) / 1e6).toFixed(2)} cores, before its store and ` +
      'beside the load generator.',
  );
  return {
    scenario: `bound: the hub's check of one head (decode, Ed25519 verify, time), CPU per head`,
    value,
    unit: 'µs',
    baseline: headCpuRow.baseline,
    baselineValue: bare,
    ratio: value / bare,
    better: 'lower',
  };
}

/** Post -> subscriber latency, hub beside a bare SSE fan-out, for each subscriber count: p50 and p99 rows. */
async function fanOut(hubUrl: string, bareUrl: string, agent: ReturnType<typeof keepAliveAgent>): Promise<Row[]> {
  const poster = keyOf('poster');
  const author = pseudonymOf(poster);
  let seq = 0;
  const rows: Row[] = [];
  for (const [count, posts, goal] of [
    [1, 40, 100],
    [1000, 15, undefined],
    [5000, 8, 250],
  ] as const) {
    const [onHub, onBare] = await Promise.all([
      Subscribers.open(new URL(`${hubUrl}/v1/stream?authors=${author}`), count),
      Subscribers.open(new URL(`${bareUrl}/stream`), count),
    ]);
    const round = async (viaHub: boolean): Promise<number[]> => {
      const latencies: number[] = [];
      for (let p = 0; p < posts; p++) {
        const head = buildHead(poster, { heads: [TIP], seq: ++seq, ts: Date.now() });
        const arrived = (viaHub ? onHub : onBare).expect(`"seq":${seq},`);
        const started = performance.now();
        const status = viaHub
          ? await send(agent, new URL(`${hubUrl}/v1/heads/${author}`), 'PUT', {}, head.bytes)
          : await send(
              agent,
              new URL(`${bareUrl}/post`),
              'POST',
              {},
              new TextEncoder().encode(`id: ${seq}\nevent: head\ndata: ${JSON.stringify(headToJson(head))}\n\n`),
            );
        if (status !== 200) throw new Error(`a post was answered ${status}`);
        for (const at of await arrived) latencies.push(at - started);
      }
      return latencies;
    };
    await round(false);
    await round(true);
    const hub: number[][] = [];
    const bare: number[][] = [];
    for (let r = 0; r < 3; r++) {
      bare.push(await round(false));
      hub.push(await round(true));
    }
    onHub.close();
    onBare.close();
    for (const p of [50, 99]) {
      const value = median(hub.map((l) => percentile(l, p)));
      const target = p === 99 ? goal : undefined;
      rows.push({
        scenario: `post -> ${count.toLocaleString('en-US')} SSE subscriber${count > 1 ? 's' : ''}, p${p}`,
        value,
        unit: 'ms',
        baseline: 'bare SSE fan-out of the same event',
        baselineValue: median(bare.map((l) => percentile(l, p))),
        ratio: median(hub.map((l, i) => percentile(l, p) / percentile(bare[i]!, p))),
        better: 'lower',
        ...(target !== undefined && { goal: `<= ${target} ms`, met: value <= target }),
      });
    }
  }
  return rows;
}
