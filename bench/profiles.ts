/**
 * Where a bench scenario's time goes, for tuning (nothing here is recorded):
 * V8 CPU and allocation profiles of a page's thread over CDP, and CPU time
 * by process and thread from /proc (Linux).
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { cpuMsOf } from '../src/hub/testing/proc-stats.ts';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time by function in a V8 CPU profile, the 25 largest. */
function selfTimes(profile: Profile): Record<string, number> {
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples?.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${url.split('/').pop()}:${lineNumber}` : String(lineNumber);
    const key = `${functionName || '(anonymous)'}@${where}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  if (process.env.BENCH_PROFILE === 'total') return totalTimes(profile, byId, deltas);
  return Object.fromEntries(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => [k, Math.round(v)]),
  );
}

/**
 * BENCH_PROFILE=total: time in each function and what it calls (a function inside itself counted once), the 40 largest.
 */
function totalTimes(
  profile: Profile,
  byId: Map<number, Profile['nodes'][number]>,
  deltas: number[],
): Record<string, number> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  profile.samples?.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, lineNumber } = byId.get(at)!.callFrame;
      const key = `${functionName || '(anonymous)'}@${lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
    }
  });
  return Object.fromEntries(
    [...total]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([k, v]) => [k, Math.round(v)]),
  );
}

/** Self time by function on the page's thread while `run` runs (for tuning; not recorded). */
export async function cpuProfile(page: Page, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await run();
  const { profile } = await cdp.send('Profiler.stop');
  return selfTimes(profile);
}

/**
 * BENCH_PROFILE=alloc: bytes allocated by function on the page's
 * thread while `run` runs (sampled), the 30 largest, in KiB.
 */
export async function allocProfile(page: Page, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await run();
  const { profile } = await cdp.send('HeapProfiler.stopSampling');
  const bytes = new Map<string, number>();
  type Node = typeof profile.head;
  // Built-ins (line -1) are named with their caller.
  const walk = (node: Node, caller: string) => {
    const name = `${node.callFrame.functionName || '(anonymous)'}@${node.callFrame.lineNumber}`;
    const key = node.callFrame.lineNumber < 0 ? `${name}<${caller}` : name;
    bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, name);
  };
  walk(profile.head, '');
  return Object.fromEntries(
    [...bytes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, v]) => [k, Math.round(v / 1024)]),
  );
}

/**
 * CPU ms of each Chromium process (by --type) and of the hub process while
 * `run` runs (for tuning: on 2 cores the ingest is bound by all of them).
 */
export async function processCpu(hubPid: number, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const kindOf = (pid: string) => {
    try {
      // Chromium rewrites its children's as one string
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!args[0]?.includes('chromium')) return undefined;
      return args.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
    } catch {
      return undefined;
    }
  };
  const read = () => {
    const cpu = new Map<string, number>([['hub', cpuMsOf(hubPid)]]);
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      const kind = kindOf(pid);
      if (!kind) continue;
      // By thread: the page's main thread, its workers, and the browser's IO and storage threads are apart.
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        try {
          const key = `${kind}/${readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()}`;
          cpu.set(key, (cpu.get(key) ?? 0) + (cpuMsOf(Number(pid), Number(tid)) || 0));
        } catch {
          // the thread ended meanwhile
        }
      }
    }
    return cpu;
  };
  const before = read();
  await run();
  return Object.fromEntries(
    [...read()].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0),
  );
}

/** Counts IndexedDB requests by store (or index) and method, and transactions by scope, in a worker. */
const COUNT_REQUESTS = `(() => {
  const counts = (globalThis.__requests = {});
  const count = (key) => (counts[key] = (counts[key] || 0) + 1);
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype])
    for (const m of ['put', 'add', 'get', 'getAll', 'getAllKeys', 'getKey', 'delete', 'count', 'openCursor']) {
      const original = proto[m];
      if (!original) continue;
      proto[m] = function (...args) { count(this.name + '.' + m); return original.apply(this, args); };
    }
  const tx = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (scope, mode, ...rest) {
    count('tx ' + mode + ' ' + [].concat(scope).join(','));
    return tx.call(this, scope, mode, ...rest);
  };
})()`;

/**
 * Self time by function on a dedicated worker of `page` (the first whose URL contains `match`) while `run` runs
 * (for tuning; not recorded). Playwright has no CDP session for workers: the page's session attaches to them
 * and speaks to the worker through Target.sendMessageToTarget.
 */
export async function workerCpuProfile(
  page: Page,
  match: string,
  run: () => Promise<unknown>,
): Promise<Record<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  const attached = new Promise<string>((resolve) => {
    cdp.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.url.includes(match)) resolve(e.sessionId);
    });
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const sessionId = await attached;
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const message = JSON.parse(e.message) as { id?: number; result?: unknown };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) => {
    const id = next++;
    const answer = new Promise<unknown>((resolve) => waiting.set(id, resolve));
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    return answer;
  };
  const evaluate = (expression: string) => send('Runtime.evaluate', { expression, returnByValue: true });
  await evaluate(COUNT_REQUESTS);
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 500 });
  await send('Profiler.start');
  await run();
  const { profile } = (await send('Profiler.stop')) as { profile: Profile };
  const counted = (await evaluate('JSON.stringify(globalThis.__requests)')) as { result: { value: string } };
  console.info('IndexedDB requests by store and method:', counted.result.value);
  return selfTimes(profile);
}
