/**
 * The hub over loopback, each scenario beside a bare node:http server in the
 * same run (bench/hub/bare-server.ts), in alternating rounds: blob GET and PUT
 * rates, head PUT rate (also against the goal of 5,000 durable signed writes
 * per second), and post -> subscriber latency with 1, 1,000 and 5,000 SSE
 * subscribers. The hub is the BUILT hub (src/hub/main.ts bundled by
 * vite.hub.config.ts) as its own process, as the bare server is, so the load
 * generator (this process) does not share their event loop. Beside each rate
 * is the server process's CPU time per request (from /proc): on 2 cores the
 * generator can saturate its own core first, and then CPU per request is
 * what still tells the servers apart. Every goal row has a positive control,
 * measured the same way in the same run, that must say no (the run fails
 * otherwise): the writes goal from one loop; blob GET, blob PUT and head PUT
 * on the same hub slowed by fixed CPU work (bench/hub/slowed-requests.mjs);
 * the fan-out goals with the hub stopped as each post is sent (bench/hub/fan-out.ts).
 *
 *   npx vitest run --config bench/vitest.config.ts bench/hub.bench.ts && node bench/report.mjs
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildHead, decodeHead } from '../src/protocol/heads.ts';
import { pseudonymOf } from '../src/protocol/keys.ts';
import { nodeCryptoVerify } from '../src/hub/guard/node-verify.ts';
import { checkHead } from '../src/hub/guard/head-check.ts';
import { startBareServer } from './hub/bare-server.ts';
import { BLOB_CACHE_LIMITS } from '../src/hub/store/blob-cache.ts';
import { TIP, headsOfAuthors, keyOf, unlimitedHubEnv } from './hub/bench-hub-env.ts';
import { buildHub } from '../src/hub/testing/hub-build.ts';
import { spawnHub } from '../src/hub/testing/hub-process.ts';
import { keepAliveAgent, runLoad } from './hub/load-client.ts';
import { ROUNDS, compare, spreads } from './hub/compare.ts';
import { GeneratorCpu, coreBudget } from './hub/core-budget.ts';
import { GET_BLOBS, SLOWED_GET_KIB, blobGetSide, outgrowsCache, seedBlobs } from './hub/blob-get.ts';
import { FAN_OUTS, fanOut } from './hub/fan-out.ts';
import { type Load, SLOWED_PUT_KIB, WriteList, headPuts, signBlobPuts } from './hub/write-sides.ts';
import { type Row, writeSection } from './record.ts';

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
/** The hub's blob PUT and head PUT rates, at least these times the bare server's (issue 23). */
const BLOB_PUT_GOAL = 0.5;
const HEAD_PUT_GOAL = 0.7;
/** What the control hub slows on purpose (bench/hub/slowed-requests.mjs). */
const SLOWED = [
  `GET /v1/blobs/ ${SLOWED_GET_KIB}`,
  `PUT /v1/blobs/ ${SLOWED_PUT_KIB}`,
  `PUT /v1/heads/ ${SLOWED_PUT_KIB}`,
].join(',');

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
  const writes = (ROUNDS + 1) * WRITES_PER_ROUND;
  // Three rounds' worth of heads: the 32-loop rounds, the one-loop control, then the slowed hub's control, each
  // at higher seqs than the last (the slowed hub runs on the same data).
  const heads = new WriteList(headPuts(headsOfAuthors(AUTHORS, 3 * writes)), 200);

  const blobDir = await mkdtemp(join(tmpdir(), 'murmur-bench-blobs-'));
  const [hub, bare] = await Promise.all([spawnHub(built.main, { dataDir, env }), startBareServer(blob, blobDir)]);
  let slowed: Awaited<ReturnType<typeof spawnHub>> | undefined;
  // Everything is signed before any connection opens (write-sides.ts says why).
  const puts = new WriteList(
    signBlobPuts(key, new URL(hub.url).host, { count: writes, size: BLOB_BYTES, first: 0 }),
    201,
  );
  const hubPid = hub.child.pid!;
  const rows: Row[] = [];
  let agent = keepAliveAgent(LOOPS);
  const load: Load = (maxRequests, one, expected, loops) =>
    runLoad({ loops, durationMs: ROUND_MS, maxRequests, expect: expected, one });
  const writeSides = (list: WriteList, on: { pid: number; url: string }, loops = LOOPS) =>
    list.sides({ load, agent: () => agent, loops, perRound: WRITES_PER_ROUND, bare, hub: on });
  const DROPPING = 'bare server reading and dropping the body';
  try {
    // Blob GET: many distinct blobs, each read from disk by both sides (bench/hub/blob-get.ts).
    expect(outgrowsCache(GET_BLOBS, BLOB_BYTES)).toBe(true);
    const ids = await seedBlobs(agent, hub.url, key, { count: GET_BLOBS, size: BLOB_BYTES, dir: blobDir });
    const gets = (pid: number, urlOf: (id: string) => string) =>
      blobGetSide(
        pid,
        ids,
        urlOf,
        (one) => load(1e7, one, [200], LOOPS),
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
      const blobGenerator = new GeneratorCpu();
      const [bareBlobs, hubBlobs] = writeSides(puts, { pid: hubPid, url: hub.url });
      const blobRows = await compare(
        `blob PUT (${BLOB_BYTES} B, signed, durable), ${LOOPS} loops`,
        DROPPING,
        blobGenerator.meter(bareBlobs),
        hubBlobs,
        { rate: BLOB_PUT_GOAL },
      );
      rows.push(...blobRows);

      agent.destroy();
      agent = keepAliveAgent(LOOPS);
      const headGenerator = new GeneratorCpu();
      const [bareHeads, hubHeads] = writeSides(heads, { pid: hubPid, url: hub.url });
      const headRows = await compare(
        `head PUT (signed, durable), ${LOOPS} loops, ${AUTHORS} authors`,
        DROPPING,
        headGenerator.meter(bareHeads),
        hubHeads,
        { rate: HEAD_PUT_GOAL },
      );
      // The positive control of the writes goal: one loop leaves nothing to group, so each write is fsynced
      // alone; it must say no, or the goal row would pass whatever the store did.
      const oneLoop = await compare(
        'control: head PUT (signed, durable), 1 loop',
        `${DROPPING}, 1 loop`,
        ...writeSides(heads, { pid: hubPid, url: hub.url }, 1),
      );
      rows.push(
        ...headRows,
        writesPerSecond(headRows[0]!, `durable signed writes per second (head PUTs, ${LOOPS} loops)`),
        writesPerSecond(oneLoop[0]!, 'control: durable signed writes per second, 1 loop (each write fsynced alone)'),
        await headCheckBound(headRows[0]!, headRows[1]!),
      );
      boundNotes.push(
        coreBudget('blob PUT', BLOB_PUT_GOAL, blobRows, blobGenerator.usPerRequest()),
        coreBudget('head PUT', HEAD_PUT_GOAL, headRows, headGenerator.usPerRequest()),
      );

      rows.push(...(await fanOut(hub, bare.url, agent)));
    }

    // The positive controls of the CPU and rate goals: the same hub on the same data, each blob GET, blob PUT
    // and head PUT slowed on purpose by fixed CPU work (bench/hub/slowed-requests.mjs, preloaded).
    await hub.stop();
    agent.destroy();
    slowed = await spawnHub(built.main, {
      dataDir,
      env: { ...env, MURMUR_BENCH_SLOWED: SLOWED },
      nodeArgs: ['--import', join(import.meta.dirname, 'hub', 'slowed-requests.mjs')],
    });
    const on = { pid: slowed.child.pid!, url: slowed.url };
    const slowedPuts = ONLY
      ? undefined
      : new WriteList(signBlobPuts(key, new URL(on.url).host, { count: writes, size: BLOB_BYTES, first: writes }), 201);
    agent = keepAliveAgent(LOOPS);
    const control = await compare(
      `control: blob GET, each also hashing ${SLOWED_GET_KIB} KiB first (${GET_BLOBS.toLocaleString('en-US')} ` +
        `distinct blobs)`,
      BARE_GET,
      bareGets,
      gets(on.pid, (id) => `${on.url}/v1/blobs/${id}`),
      { cpu: GET_CPU_GOAL },
    );
    rows.push(control[1]!);
    if (slowedPuts) {
      const slowedRate = async (scenario: string, list: WriteList, goal: number) => {
        agent.destroy();
        agent = keepAliveAgent(LOOPS);
        return (await compare(scenario, DROPPING, ...writeSides(list, on), { rate: goal }))[0]!;
      };
      rows.push(
        await slowedRate(
          `control: blob PUT, each also hashing ${SLOWED_PUT_KIB} KiB first (${BLOB_BYTES} B, signed, durable), ` +
            `${LOOPS} loops`,
          slowedPuts,
          BLOB_PUT_GOAL,
        ),
        await slowedRate(
          `control: head PUT, each also hashing ${SLOWED_PUT_KIB} KiB first (signed, durable), ${LOOPS} loops, ` +
            `${AUTHORS} authors`,
          heads,
          HEAD_PUT_GOAL,
        ),
      );
    }
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
  // Every goal row's positive control said no: a control that stops failing fails the run.
  const controls = rows.filter((r) => r.scenario.startsWith('control:'));
  expect(controls.map((r) => `${r.scenario}: ${r.goal} ${r.met}`)).toEqual(
    controls.map((r) => `${r.scenario}: ${r.goal} false`),
  );
  expect(controls).toHaveLength(ONLY ? 1 : 6);
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
  `slowed-requests.mjs, preloaded), must say no. The blob PUT and head PUT rate goals (at least ` +
  `${BLOB_PUT_GOAL}x and ${HEAD_PUT_GOAL}x the bare server's) have controls measured the same way, beside the ` +
  `bare server, after all the other rows: the same hub on the same data with each blob PUT and each head PUT first ` +
  `hashing ${SLOWED_PUT_KIB} KiB (about 600 µs of CPU on the hub's one thread, which alone caps it under the ` +
  `goals), its blob PUTs signed anew for it and its heads at higher seqs; both must say no. ` +
  `Writes are fsynced before the hub answers (a kill -9 ` +
  `cannot tell; store/files/power-cut.test.ts models power loss: ARCHITECTURE.md); writes ` +
  `that arrive together share their fsyncs (group commit). "Durable signed writes per second" is the head PUT ` +
  `rate against the issue's goal of ${WRITES_GOAL.toLocaleString('en-US')} /s; its control sends the same writes ` +
  `from 1 loop, where nothing arrives to share an fsync, and must say no. Rates per round, lowest-highest: ` +
  `${spreads.join('; ')}. Latency: ` +
  `from just before the head PUT is sent to the moment each subscriber's socket delivers the event, 3 alternating ` +
  `rounds; the baseline fan-out writes the same event text to the same number of sockets, with no verification and ` +
  `no fsync. The control of each fan-out goal is a third round in each alternation, the same posts to the same ` +
  `subscribers with the hub stopped (SIGSTOP) right after each post is sent and resumed (SIGCONT) after a fixed ` +
  `pause longer than the goal (${stops()}), so every event arrives late by construction: each must say no. ` +
  `${boundNotes.join(' ')}`;

const stops = () =>
  FAN_OUTS.flatMap((f) =>
    'stopMs' in f ? [`${f.stopMs} ms for ${f.count.toLocaleString('en-US')} against ${f.goalMs} ms`] : [],
  ).join(', ');

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
