// Reads a Chromium trace written by `BENCH_UI_TRACE=1` (bench/ui.bench.ts) and explains each main-thread
// task over 50 ms: what ran in it (trace events by self time, in order at the top level) and which
// JavaScript the sampling profiler caught in it (by self samples, with a snippet of the built code).
//
//   node bench/long-tasks.mjs bench/results/traces/ui-trace-0.json [threshold-ms]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const file = process.argv[2];
const threshold = Number(process.argv[3] ?? 50) * 1000;
if (!file) throw new TypeError('usage: node bench/long-tasks.mjs TRACE.json [threshold-ms]');
const raw = JSON.parse(readFileSync(file, 'utf8'));
const events = Array.isArray(raw) ? raw : raw.traceEvents;
const app = join(import.meta.dirname, '..', 'dist', 'app');

const threadName = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
const isMain = (e) => threadName.get(`${e.pid}:${e.tid}`) === 'CrRendererMain';

/** A few characters of the built code at a profiler call frame, to recognise minified functions. */
function snippet(url, line, column) {
  const path = url ? new URL(url, 'http://x').pathname : '';
  const local = join(app, path);
  if (!path.endsWith('.js') || !existsSync(local)) return url || '';
  const lines = readFileSync(local, 'utf8').split('\n');
  const text = lines[line] ?? '';
  return `${path}:${line + 1}:${column + 1} ${JSON.stringify(text.slice(column, column + 90))}`;
}

function describeEvent(e) {
  const d = e.args?.data ?? {};
  if (e.name === 'FunctionCall')
    return `FunctionCall ${d.functionName || '(anonymous)'} ${snippet(d.url, d.lineNumber ?? 0, d.columnNumber ?? 0)}`;
  if (e.name === 'EventDispatch') return `EventDispatch ${d.type}`;
  if (e.name === 'TimerFire') return `TimerFire ${d.timerId}`;
  return e.name;
}

// The sampling profiler's samples, per thread, as [time, node] with the node tree to walk up.
const profiles = new Map();
for (const e of events) {
  if (e.name !== 'Profile' && e.name !== 'ProfileChunk') continue;
  const key = `${e.pid}:${e.id}`;
  let p = profiles.get(key);
  if (!p) {
    p = { pid: e.pid, tid: e.tid, time: 0, nodes: new Map(), samples: [] };
    profiles.set(key, p);
  }
  const data = e.args.data;
  if (e.name === 'Profile') {
    p.time = data.startTime;
    p.tid = e.tid;
    continue;
  }
  for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
  const ids = data.cpuProfile?.samples ?? [];
  const deltas = data.timeDeltas ?? [];
  for (let i = 0; i < ids.length; i++) {
    p.time += deltas[i] ?? 0;
    p.samples.push([p.time, ids[i]]);
  }
}

const tasks = events
  .filter(
    (e) =>
      e.ph === 'X' &&
      isMain(e) &&
      (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
      e.dur >= threshold,
  )
  .sort((a, b) => a.ts - b.ts);
const first = events.reduce((m, e) => (e.ts > 0 && e.ts < m ? e.ts : m), Infinity);
console.log(`${tasks.length} main-thread task(s) of ${threshold / 1000} ms or more in ${file}`);

for (const task of tasks) {
  const end = task.ts + task.dur;
  const inside = events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.pid === task.pid &&
        e.tid === task.tid &&
        e.ts >= task.ts &&
        e.ts + (e.dur ?? 0) <= end &&
        e !== task,
    )
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Self time by description: an event's duration less its direct children's.
  const self = new Map();
  const stack = [];
  const top = [];
  for (const e of inside) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.childTime = (parent.childTime ?? 0) + e.dur;
    else top.push(e);
    stack.push(e);
  }
  for (const e of inside) {
    const k = describeEvent(e);
    self.set(k, (self.get(k) ?? 0) + e.dur - (e.childTime ?? 0));
  }
  console.log(
    `\n== task at +${((task.ts - first) / 1000).toFixed(0)} ms, ${(task.dur / 1000).toFixed(1)} ms (pid ${task.pid})`,
  );
  console.log('  top level, in order:');
  for (const e of top.slice(0, 25)) console.log(`    ${(e.dur / 1000).toFixed(1).padStart(6)} ms  ${describeEvent(e)}`);
  if (top.length > 25) console.log(`    ... ${top.length - 25} more`);
  console.log('  self time by event:');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`    ${(v / 1000).toFixed(1).padStart(6)} ms  ${k}`);

  for (const p of profiles.values()) {
    if (p.pid !== task.pid || p.tid !== task.tid) continue;
    const leaf = new Map();
    const incl = new Map();
    let n = 0;
    for (const [t, id] of p.samples) {
      if (t < task.ts || t > end) continue;
      n++;
      const node = p.nodes.get(id);
      const f = node?.callFrame ?? {};
      const k = `${f.functionName || '(anonymous)'} ${snippet(f.url, f.lineNumber ?? 0, f.columnNumber ?? 0)}`;
      leaf.set(k, (leaf.get(k) ?? 0) + 1);
      const seen = new Set();
      for (let cur = node; cur; cur = p.nodes.get(cur.parent)) {
        const cf = cur.callFrame ?? {};
        const ck = `${cf.functionName || '(anonymous)'} ${snippet(cf.url, cf.lineNumber ?? 0, cf.columnNumber ?? 0)}`;
        if (!seen.has(ck)) incl.set(ck, (incl.get(ck) ?? 0) + 1);
        seen.add(ck);
      }
    }
    if (n === 0) continue;
    console.log(`  JavaScript samples (${n}), by self:`);
    for (const [k, v] of [...leaf].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`    ${String(v).padStart(5)}  ${k}`);
    console.log('  by inclusive:');
    for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`    ${String(v).padStart(5)}  ${k}`);
  }
}
