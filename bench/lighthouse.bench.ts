/**
 * First paint (issue 22 point 3), by Lighthouse 12.2.3 on the BUILT app
 * (dist/app, made by `npm run build`) served by a real hub on a fresh data
 * folder, in headless Chromium: performance, accessibility, best practices
 * and SEO scores, and FCP, LCP, Speed Index and Total Blocking Time, on the
 * mobile profile and the desktop preset, over several rounds; a first
 * visit each time (a fresh browser profile, the onboarding screen).
 *
 * Goals: performance >= 95 on mobile and 100 on desktop; the other three 100
 * on both. Each goal row has its positive control, measured the same way in
 * the same round: the same hub behind bench/lighthouse/broken-proxy.ts,
 * which serves the app uncompressed with a delayed render-blocking script
 * that busy-loops and logs an error, the page without `lang` and marked
 * `noindex`. Every control row must say no, or the run fails.
 *
 *   npm run build && npx vitest run --config bench/vitest.config.ts bench/lighthouse.bench.ts && node bench/report.mjs
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startHub } from '../src/hub/server.ts';
import { fileHubStore } from '../src/hub/store/files/file-hub-store.ts';
import { startBrokenProxy } from './lighthouse/broken-proxy.ts';
import {
  CATEGORIES,
  type Category,
  type LighthouseResult,
  METRICS,
  type Metric,
  type Profile,
  runLighthouse,
} from './lighthouse/run-lighthouse.ts';
import { median, type Row, rowOf, writeSection } from './record.ts';

const APP = join(import.meta.dirname, '..', 'dist', 'app');
const ROUNDS = Number(process.env.BENCH_LIGHTHOUSE_ROUNDS ?? 3);
const PROFILES: readonly Profile[] = ['mobile', 'desktop'];
/** The control's script: how late it arrives and how long it then holds the main thread. */
const DELAY_MS = 1500;
const BUSY_MS = 400;
const GOALS: Record<Profile, Record<Category, number>> = {
  mobile: { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 },
  desktop: { performance: 100, accessibility: 100, 'best-practices': 100, seo: 100 },
};
const CONTROL =
  `the same app behind the control proxy (uncompressed; a render-blocking script ${DELAY_MS} ms late that ` +
  `busy-loops ${BUSY_MS} ms and logs an error; no lang; noindex)`;
const METRIC_NAMES: Record<Metric, string> = {
  fcp: 'First Contentful Paint',
  lcp: 'Largest Contentful Paint',
  si: 'Speed Index',
  tbt: 'Total Blocking Time',
};

test('lighthouse: first paint, mobile and desktop, beside a control that must say no', async () => {
  expect(existsSync(join(APP, 'index.html')), 'run `npm run build` first').toBe(true);
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-lighthouse-'));
  const hub = await startHub({ host: '127.0.0.1', port: 0, store: fileHubStore(dataDir), appDir: APP });
  const proxy = await startBrokenProxy(hub.url, { delayMs: DELAY_MS, busyMs: BUSY_MS });
  const runs: Record<Profile, { app: LighthouseResult[]; control: LighthouseResult[] }> = {
    mobile: { app: [], control: [] },
    desktop: { app: [], control: [] },
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const profile of PROFILES) {
        // Alternating, so that what else the machine does hits both alike.
        const app = await runLighthouse(hub.url, profile);
        const control = await runLighthouse(proxy.url, profile);
        runs[profile].app.push(app);
        runs[profile].control.push(control);
        for (const [name, r] of [
          ['app', app],
          ['control', control],
        ] as const) {
          const metrics = Object.entries(r.metrics).map(([k, v]) => `${k} ${v.toFixed(0)}`);
          console.info(
            `round ${round} ${profile} ${name}: ${JSON.stringify(r.scores)} ${metrics.join(', ')} ms; ` +
              `benchmarkIndex ${r.benchmarkIndex}; losing points: ${r.failing.join(' ') || 'none'}`,
          );
        }
      }
    }
  } finally {
    await proxy.close();
    await hub.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  const rows: Row[] = [];
  for (const profile of PROFILES) {
    const { app, control } = runs[profile];
    for (const category of CATEGORIES) {
      const want = GOALS[profile][category];
      const goal = { text: want === 100 ? '100' : `>= ${want}`, met: (_: number, value: number) => value >= want };
      const pairs = app.map((a, i) => ({ a: a.scores[category], c: control[i]!.scores[category] }));
      rows.push(
        rowOf({
          scenario: `${profile}: ${category} score`,
          unit: 'points',
          baseline: 'the control',
          better: 'higher',
          rounds: pairs.map((p) => ({ value: p.a, base: p.c })),
          goal,
        }),
        rowOf({
          scenario: `control: ${profile}: ${category} score of ${CONTROL}`,
          unit: 'points',
          baseline: 'the app as served',
          better: 'higher',
          rounds: pairs.map((p) => ({ value: p.c, base: p.a })),
          goal,
        }),
      );
    }
    for (const metric of Object.keys(METRICS) as Metric[]) {
      rows.push(
        rowOf({
          scenario: `${profile}: ${METRIC_NAMES[metric]}`,
          unit: 'ms',
          baseline: 'the control',
          better: 'lower',
          // A TBT of 0 would make the ratio infinite; 1 ms stands for none.
          rounds: app.map((a, i) => ({ value: a.metrics[metric], base: Math.max(1, control[i]!.metrics[metric]) })),
        }),
      );
    }
  }
  const indexes = PROFILES.flatMap((p) => [...runs[p].app, ...runs[p].control].map((r) => r.benchmarkIndex));
  const [low, high] = [Math.min(...indexes), Math.max(...indexes)].map((n) => n.toFixed(0));
  const bench = `median ${median(indexes).toFixed(0)}, ${low}-${high}`;
  writeSection(
    'lighthouse',
    'First paint in Lighthouse: the built app on a fresh hub, mobile and desktop',
    'npm run build && npx vitest run --config bench/vitest.config.ts bench/lighthouse.bench.ts',
    rows,
    `Lighthouse 12.2.3 (its CLI, bench/lighthouse/run-lighthouse.ts) in Debian's headless Chromium, ${ROUNDS} ` +
      `rounds; each round runs, per profile, the app and then its control, each a first visit (a fresh browser ` +
      `profile) to a hub started on a fresh data folder serving dist/app, so the page is onboarding. Mobile is ` +
      `Lighthouse's default (simulated slow 4G, 150 ms RTT, 1.6 Mbps; CPU 4x slower than the host), desktop its ` +
      `preset (40 ms, 10 Mbps, CPU 1x); the metrics are Lighthouse's estimates for that device, and its CPU ` +
      `slowdown multiplies this machine's own main-thread time, so a slow or busy host scores lower ` +
      `(Lighthouse's benchmarkIndex of this host over the runs: ${bench}; Lighthouse calibrates its mobile ` +
      `4x for a host of about 1,500 and more, and a busy host measures lower). Goals ` +
      `(issue 22): performance >= 95 mobile and 100 desktop, the others 100, read on the median score. Each ` +
      `control row is ${CONTROL}, bench/lighthouse/broken-proxy.ts, measured beside its row in every round; ` +
      `each must say no, and the run fails if one does not. TBT counts main-thread tasks after the first ` +
      `contentful paint only: the app paints its shell ("Opening Murmur…") before the worker answers, so the ` +
      `first screen's render (onboarding) falls after it and counts, while the control's busy loop and often ` +
      `its first render come before its later first paint; so the control's TBT can be lower than the app's.`,
  );
  console.table(rows.map((r) => ({ scenario: r.scenario, value: r.value, base: r.baselineValue, met: r.met })));
  // The positive controls: each goal row's control said no, so the goal rows can.
  const controls = rows.filter((r) => r.scenario.startsWith('control: '));
  expect(controls).toHaveLength(PROFILES.length * CATEGORIES.length);
  expect(controls.filter((r) => r.met !== false).map((r) => r.scenario)).toEqual([]);
});
