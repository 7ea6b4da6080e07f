/**
 * For the hub benchmark (bench/hub.bench.ts): post -> subscriber latency,
 * the hub beside a bare SSE fan-out, and the controls of its goals: the hub
 * stopped (SIGSTOP) for longer than the goal as each post is sent, then
 * resumed (SIGCONT), so every event arrives late by construction and the
 * row must say no.
 */
import type { ChildProcess } from 'node:child_process';
import { buildHead, headToJson } from '../../src/protocol/heads.ts';
import { pseudonymOf } from '../../src/protocol/keys.ts';
import { type Row, median } from '../record.ts';
import { TIP, keyOf } from './bench-hub-env.ts';
import { Subscribers, type keepAliveAgent, send } from './load-client.ts';

/** Subscribers, posts a round, the p99 goal in ms and the control's stop in ms (longer than the goal). */
export const FAN_OUTS = [
  { count: 1, posts: 40, goalMs: 100, stopMs: 150 },
  { count: 1000, posts: 15 },
  { count: 5000, posts: 8, goalMs: 250, stopMs: 300 },
] as const;

const FAN_OUT_ROUNDS = 3;

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const subscribers = (count: number) => `${count.toLocaleString('en-US')} SSE subscriber${count > 1 ? 's' : ''}`;

/**
 * Post -> subscriber latency, hub beside a bare SSE fan-out, for each subscriber count: p50 and p99 rows, and
 * for each goal its control's p99 row, in alternating rounds (bare, hub, control).
 */
export async function fanOut(
  hub: { readonly url: string; readonly child: ChildProcess },
  bareUrl: string,
  agent: ReturnType<typeof keepAliveAgent>,
): Promise<Row[]> {
  const poster = keyOf('poster');
  const author = pseudonymOf(poster);
  let seq = 0;
  const rows: Row[] = [];
  for (const fan of FAN_OUTS) {
    const { count, posts } = fan;
    const stopMs = 'stopMs' in fan ? fan.stopMs : undefined;
    const [onHub, onBare] = await Promise.all([
      Subscribers.open(new URL(`${hub.url}/v1/stream?authors=${author}`), count),
      Subscribers.open(new URL(`${bareUrl}/stream`), count),
    ]);
    /** One round of posts; with `stop`, the hub is stopped that long right after each post is sent. */
    const round = async (viaHub: boolean, stop?: number): Promise<number[]> => {
      const latencies: number[] = [];
      for (let p = 0; p < posts; p++) {
        const head = buildHead(poster, { heads: [TIP], seq: ++seq, ts: Date.now() });
        const arrived = (viaHub ? onHub : onBare).expect(`"seq":${seq},`);
        const started = performance.now();
        const answered = viaHub
          ? send(agent, new URL(`${hub.url}/v1/heads/${author}`), 'PUT', {}, head.bytes)
          : send(
              agent,
              new URL(`${bareUrl}/post`),
              'POST',
              {},
              new TextEncoder().encode(`id: ${seq}\nevent: head\ndata: ${JSON.stringify(headToJson(head))}\n\n`),
            );
        const resumed = stop === undefined ? undefined : stopFor(hub.child, stop);
        const status = await answered;
        if (status !== 200) throw new Error(`a post was answered ${status}`);
        for (const at of await arrived) latencies.push(at - started);
        await resumed;
      }
      return latencies;
    };
    await round(false);
    await round(true);
    const hubRounds: number[][] = [];
    const bareRounds: number[][] = [];
    const controlRounds: number[][] = [];
    try {
      for (let r = 0; r < FAN_OUT_ROUNDS; r++) {
        bareRounds.push(await round(false));
        hubRounds.push(await round(true));
        if (stopMs !== undefined) controlRounds.push(await round(true, stopMs));
      }
    } finally {
      onHub.close();
      onBare.close();
    }
    const row = (scenario: string, rounds: number[][], p: number, goal?: number): Row => {
      const value = median(rounds.map((l) => percentile(l, p)));
      return {
        scenario,
        value,
        unit: 'ms',
        baseline: 'bare SSE fan-out of the same event',
        baselineValue: median(bareRounds.map((l) => percentile(l, p))),
        ratio: median(rounds.map((l, i) => percentile(l, p) / percentile(bareRounds[i]!, p))),
        better: 'lower',
        ...(goal !== undefined && { goal: `<= ${goal} ms`, met: value <= goal }),
      };
    };
    const goalMs = 'goalMs' in fan ? fan.goalMs : undefined;
    rows.push(
      row(`post -> ${subscribers(count)}, p50`, hubRounds, 50),
      row(`post -> ${subscribers(count)}, p99`, hubRounds, 99, goalMs),
    );
    if (stopMs !== undefined)
      rows.push(
        row(
          `control: post -> ${subscribers(count)}, the hub stopped ${stopMs} ms as each post is sent, p99`,
          controlRounds,
          99,
          goalMs,
        ),
      );
  }
  return rows;
}

/** Stops `child` (SIGSTOP) for `ms`, then resumes it (SIGCONT). */
async function stopFor(child: ChildProcess, ms: number): Promise<void> {
  child.kill('SIGSTOP');
  try {
    await new Promise((resolve) => setTimeout(resolve, ms));
  } finally {
    child.kill('SIGCONT');
  }
}
