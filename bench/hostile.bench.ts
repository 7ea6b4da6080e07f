/**
 * A hub answering others while three hostile mirror peers flood it with 64 MiB
 * of garbage each (src/hub/testing/hostile-peers.ts: an event that never ends,
 * a change page that never ends, a batch frame claiming 4 GiB), issue 14's
 * goal of 50 ms. The built hub runs as its own process. Each round starts a
 * fresh hub with fresh peers; its baseline is the same hub, idle and warm,
 * answering the same 20 status requests one after another just before the
 * peers are let go. The figure is the slowest of the 20 (a client waits for
 * its own request, not the median). The control pauses an idle hub for
 * 100 ms (SIGSTOP) while it is asked: the goal says no to a hub that stalls.
 *
 *   npx vitest run --config bench/vitest.config.ts bench/hostile.bench.ts && node bench/report.mjs
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type BuiltHub, buildHub } from '../src/hub/testing/hub-build.ts';
import { statusOf, waitFor } from '../src/hub/testing/hub-fixture.ts';
import { startHostilePeers } from '../src/hub/testing/hostile-peers.ts';
import { type HubProcess, spawnHub } from '../src/hub/testing/hub-process.ts';
import { cpuMsOf, memoryOf, resetPeakRss } from '../src/hub/testing/proc-stats.ts';
import { type Row, median, writeSection } from './record.ts';

const ROUNDS = 5;
const ASKS = 20;
const GOAL_MS = 50;
const MiB = 1024 * 1024;

/** The slowest of ASKS status requests, one after another, in ms; `during` runs beside the first. */
async function slowestStatus(url: string, during?: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  const beside = during?.();
  for (let i = 0; i < ASKS; i++) {
    const begun = performance.now();
    const res = await fetch(`${url}/v1/status`);
    await res.json();
    times.push(performance.now() - begun);
  }
  await beside;
  return Math.max(...times);
}

interface Round {
  readonly idleMs: number;
  readonly floodedMs: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
}

async function round(built: BuiltHub): Promise<Round> {
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-hostile-'));
  const peers = await startHostilePeers();
  let hub: HubProcess | undefined;
  try {
    hub = await spawnHub(built.main, { dataDir, args: ['--peers', peers.urls.join(',')] });
    const pid = hub.child.pid!;
    await waitFor('the hub to ask each peer', () => peers.pending.size === 3, 30_000);
    for (let i = 0; i < 100; i++) await statusOf(hub.url); // warm: code compiled, heap at its working size
    const idleMs = await slowestStatus(hub.url);
    const cpuBefore = cpuMsOf(pid);
    const { rss } = await memoryOf(pid);
    await resetPeakRss(pid);
    peers.open();
    const floodedMs = await slowestStatus(hub.url);
    const url = hub.url;
    await waitFor(
      'all three peers dropped',
      async () => (await statusOf(url)).peers.every((p) => p.state === 'dropped'),
      60_000,
    );
    const { peak } = await memoryOf(pid);
    return { idleMs, floodedMs, cpuMs: cpuMsOf(pid) - cpuBefore, rssMiB: (peak - rss) / MiB };
  } finally {
    await hub?.stop('SIGKILL');
    await peers.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The positive control: an idle hub stopped for 100 ms while it is asked. */
async function stalledRound(built: BuiltHub): Promise<{ idleMs: number; stalledMs: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-hostile-'));
  const hub = await spawnHub(built.main, { dataDir });
  try {
    for (let i = 0; i < 100; i++) await statusOf(hub.url);
    const idleMs = await slowestStatus(hub.url);
    const stalledMs = await slowestStatus(hub.url, async () => {
      hub.child.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 100));
      hub.child.kill('SIGCONT');
    });
    return { idleMs, stalledMs };
  } finally {
    await hub.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

test('a hub flooded by three hostile peers answers others within 50 ms', { timeout: 600_000 }, async () => {
  const built = await buildHub();
  try {
    const rounds: Round[] = [];
    const controls: { idleMs: number; stalledMs: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rounds.push(await round(built));
      controls.push(await stalledRound(built));
    }
    const flooded = median(rounds.map((r) => r.floodedMs));
    const idle = median(rounds.map((r) => r.idleMs));
    const stalled = median(controls.map((c) => c.stalledMs));
    const stalledIdle = median(controls.map((c) => c.idleMs));
    const spread = (values: number[], digits = 0) =>
      `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
    const rows: Row[] = [
      {
        scenario: 'status, slowest of 20, while 3 peers flood 64 MiB each',
        value: flooded,
        unit: 'ms',
        baseline: 'the same hub idle',
        baselineValue: idle,
        ratio: flooded / idle,
        better: 'lower',
        goal: `<= ${GOAL_MS} ms`,
        met: flooded <= GOAL_MS,
      },
      {
        scenario: 'control: status, slowest of 20, with the hub stopped 100 ms',
        value: stalled,
        unit: 'ms',
        baseline: 'the same hub idle',
        baselineValue: stalledIdle,
        ratio: stalled / stalledIdle,
        better: 'lower',
        goal: `<= ${GOAL_MS} ms`,
        met: stalled <= GOAL_MS,
      },
    ];
    const notes =
      `${ROUNDS} rounds, each a fresh built hub and fresh peers. Slowest status per round while flooded: ` +
      `${spread(rounds.map((r) => r.floodedMs))} ms (idle ${spread(rounds.map((r) => r.idleMs))} ms). ` +
      `Hub CPU for the whole flood until all three peers were dropped: ${spread(rounds.map((r) => r.cpuMs))} ms ` +
      `(goal < 1,000 ms); peak RSS over the idle hub: ${spread(
        rounds.map((r) => r.rssMiB),
        1,
      )} MiB (goal < 32 MiB); ` +
      'both are also asserted by src/hub/mirror/hostile-peer.test.ts. The control row must say no.';
    writeSection('6-hostile', 'Hub: answering others while hostile peers flood it', 'npm run bench', rows, notes);
    expect(rows[1]!.met).toBe(false); // the positive control: a stalled hub fails the goal
  } finally {
    await built.remove();
  }
});
