/**
 * The command line (issue 17): `murmur timeline --json` for a home that
 * follows 50 feeds of 1,000 posts each on a real local hub, as whole
 * processes of the built CLI (dist/cli/murmur.js), each beside its baseline
 * in alternating rounds (record.ts):
 * (a) the first run (the timeline refreshes the follows itself: fetch,
 *     verify and store every commit and post) beside raw node:crypto
 *     Ed25519 verifies of the same commits, each hashed too, in this
 *     process; goal >= 0.5x;
 * (b) a warm run (nothing new: one heads request, the home read back)
 *     beside `node -e 0`; goal: at most 250 ms more.
 * Each goal has a positive control, a run slowed by construction
 * (cli/slowed.mjs), whose row must say no.
 *
 *   npx vite build --config vite.cli.config.ts
 *   npx vitest run --config bench/vitest.config.ts bench/cli.bench.ts && node bench/report.mjs
 *
 * BENCH_PROFILE=1 also writes a CPU profile of one first and one warm run and prints their top self times.
 * BENCH_CLI_ONLY=first runs only (a), its control and the profile, and records nothing (a partial section would
 * overwrite the whole one). With it, BENCH_CLI_ALT=<another build's murmur.js> times that build's first run in
 * each round too, in place of the control (an A/B of two builds under the same load).
 */
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildHub } from '../src/hub/testing/hub-build.ts';
import { spawnHub } from '../src/hub/testing/hub-process.ts';
import {
  builtCli,
  copyHome,
  followingHome,
  murmurOk,
  rawCommitsOf,
  rawVerifyMs,
  runNode,
  shownByAuthor,
  topSelfTimes,
} from './cli/cli-runs.ts';
import { benchSecret, fastKey, followingFeed, seedFeed, uploadFeeds } from './cli/seed-feeds.ts';
import { unlimitedHubEnv } from './hub/bench-hub-env.ts';
import { type Row, median, writeSection } from './record.ts';

const FEEDS = Number(process.env.BENCH_CLI_FEEDS ?? 50);
const POSTS = Number(process.env.BENCH_CLI_POSTS ?? 1000);
/** First-run rounds, and as many of its control. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_ROUNDS = 7;
const GOAL_RATIO = 0.5;
const GOAL_WARM_MS = 250;
const SLOWED = join(import.meta.dirname, 'cli', 'slowed.mjs');
const COMMITS = FEEDS * POSTS;
const FIRST_ONLY = process.env.BENCH_CLI_ONLY === 'first';
const ALT = FIRST_ONLY ? process.env.BENCH_CLI_ALT : undefined;

const spread = (values: readonly number[], digits = 0) =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;

test('cli: timeline --json of 50 followed feeds, first and warm, as whole processes', async () => {
  const main = builtCli();
  const built = await buildHub();
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-bench-cli-hub-'));
  const hub = await spawnHub(built.main, { dataDir, env: unlimitedHubEnv(64) });
  const homes: string[] = [];
  try {
    const t = performance.now();
    // Post j of feed i at start + j * FEEDS + i: every feed's posts interleave in time, all in the past.
    const start = Date.now() - COMMITS - 60_000;
    const feeds = Array.from({ length: FEEDS }, (_, i) => seedFeed(fastKey(benchSecret(i)), POSTS, start + i, FEEDS));
    // The reader's home first, while the hub has its feed of follows and nothing of the feeds it follows.
    const reader = fastKey(benchSecret(FEEDS));
    await uploadFeeds(hub.url, [followingFeed(reader, feeds, hub.url)]);
    const template = await followingHome(main, reader, hub.url);
    homes.push(template);
    await uploadFeeds(hub.url, feeds);
    console.info(`seeded ${COMMITS} commits and posts in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const newest = feeds
      .flatMap((f) => f.posts)
      .sort((a, b) => b.value.ts - a.value.ts)
      .slice(0, 50)
      .map((p) => p.id);
    const raw = rawCommitsOf(feeds);
    /** `timeline --json` in `home`; checks it lists the newest 50 posts of all the feeds. */
    const timeline = async (home: string, options: Parameters<typeof murmurOk>[3] = {}, cli = main) => {
      const run = await murmurOk(cli, home, ['--json', 'timeline'], options);
      const posts = (JSON.parse(run.stdout) as { posts: { id: string }[] }).posts;
      expect(posts.map((p) => p.id)).toEqual(newest);
      return run.ms;
    };
    /** A first run in a fresh copy of the home; with `check`, then reads back every post of every feed. */
    const firstRun = async (options: Parameters<typeof murmurOk>[3] = {}, check = true, cli = main) => {
      const home = copyHome(template);
      homes.push(home);
      const ms = await timeline(home, options, cli);
      const journalBytes = statSync(join(home, 'journal')).size;
      if (check) {
        const shown = await shownByAuthor(main, home);
        expect(feeds.map((f) => shown.get(f.key.author))).toEqual(feeds.map(() => POSTS));
      }
      return { ms, home, journalBytes };
    };
    const slowed = (how: 'work' | 'start', workMs = 0) => ({
      nodeArgs: ['--import', SLOWED],
      env: { MURMUR_BENCH_SLOWED: how, MURMUR_BENCH_WORK_MS: String(Math.round(workMs)) },
    });

    // Untimed: node, the bundle and the baseline's code warm, as they are for a user's second command.
    await runNode(['-e', '0'], template);
    await murmurOk(main, template, ['--json', 'status']);
    rawVerifyMs(raw.slice(0, 2000));
    if (process.env.BENCH_PROFILE) {
      const dir = await mkdtemp(join(tmpdir(), 'murmur-bench-cli-prof-'));
      const { home } = await firstRun({ nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'first')}`] });
      await timeline(home, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'warm')}`] });
      for (const which of ['first', 'warm']) {
        const [file] = readdirSync(join(dir, which));
        console.info(`${which} run, self ms by function (${join(dir, which, file!)}):`);
        console.info(topSelfTimes(join(dir, which, file!)).map(([name, ms]) => `  ${ms.toFixed(0)}  ${name}`));
      }
    }

    // (a) the first run beside the raw verifies, then its control, alternating round by round.
    const firsts: { base: number; ms: number; home: string; journalBytes: number }[] = [];
    const controls: { base: number; ms: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const base = rawVerifyMs(raw);
      firsts.push({ base, ...(await firstRun()) });
      const controlBase = rawVerifyMs(raw);
      controls.push({
        base: controlBase,
        ms: (await firstRun(ALT ? {} : slowed('work', 4 * controlBase), false, ALT)).ms,
      });
    }
    // (b) warm runs on the last first run's home (nothing new on the hub), beside `node -e 0`, then the control.
    const home = firsts.at(-1)!.home;
    const warm: { e0: number; ms: number; e0c: number; control: number }[] = [];
    for (let i = 0; i < (FIRST_ONLY ? 0 : WARM_ROUNDS); i++) {
      const e0 = (await runNode(['-e', '0'], home)).ms;
      const ms = await timeline(home);
      const e0c = (await runNode(['-e', '0'], home)).ms;
      warm.push({ e0, ms, e0c, control: await timeline(home, slowed('start')) });
    }

    const rate = (ms: number) => COMMITS / (ms / 1000);
    const firstRow = (scenario: string, rounds: readonly { base: number; ms: number }[]): Row => {
      const ratio = median(rounds.map((r) => r.base / r.ms));
      return {
        scenario,
        value: rate(median(rounds.map((r) => r.ms))),
        unit: 'commits/s',
        baseline: 'raw node:crypto sha256 + Ed25519 verify, one after another',
        baselineValue: rate(median(rounds.map((r) => r.base))),
        ratio,
        better: 'higher',
        goal: `>= ${GOAL_RATIO}x`,
        met: ratio >= GOAL_RATIO,
      };
    };
    const warmRow = (scenario: string, value: readonly number[], base: readonly number[]): Row => {
      const over = median(value.map((v, i) => v - base[i]!));
      return {
        scenario,
        value: median(value),
        unit: 'ms',
        baseline: '`node -e 0`',
        baselineValue: median(base),
        ratio: median(value.map((v, i) => v / base[i]!)),
        better: 'lower',
        goal: `<= node -e 0 + ${GOAL_WARM_MS} ms`,
        met: over <= GOAL_WARM_MS,
      };
    };
    if (FIRST_ONLY) {
      const first = firstRow('first run', firsts);
      const ratios = firsts.map((f) => (f.base / f.ms).toFixed(2)).join(', ');
      console.info(
        `first run only: ${first.value.toFixed(0)} commits/s beside ${first.baselineValue.toFixed(0)}, ` +
          `ratio ${first.ratio.toFixed(2)} (rounds ${ratios}); ${ALT ? `${ALT}: ` : 'control '}` +
          `${firstRow('c', controls).ratio.toFixed(2)} (rounds ${controls.map((c) => (c.base / c.ms).toFixed(2))})`,
      );
      return;
    }
    const label = `${FEEDS} followed feeds of ${POSTS.toLocaleString('en-US')} posts`;
    const rows: Row[] = [
      firstRow(
        `first \`timeline --json\`, ${label}: the whole process (it fetches, verifies and stores all ` +
          `${COMMITS.toLocaleString('en-US')} commits and posts itself)`,
        firsts,
      ),
      firstRow("control: the same first run after busy work of 4 times the raw baseline's time at start", controls),
      warmRow(
        `warm \`timeline --json\`, ${label}, nothing new (one heads request to the hub): the whole process`,
        warm.map((w) => w.ms),
        warm.map((w) => w.e0),
      ),
      warmRow(
        'control: the same warm run after 300 ms of busy work at start',
        warm.map((w) => w.control),
        warm.map((w) => w.e0c),
      ),
    ];
    const firstSpread = spread(
      firsts.map((f) => f.ms / 1000),
      1,
    );
    const baseSpread = spread(
      firsts.map((f) => f.base / 1000),
      1,
    );
    const ratioSpread = spread(
      firsts.map((f) => f.base / f.ms),
      2,
    );
    const controlSpread = spread(
      controls.map((c) => c.base / c.ms),
      2,
    );
    const journalMiB = (median(firsts.map((f) => f.journalBytes)) / 2 ** 20).toFixed(1);
    const notes =
      `The hub is the built hub in its own process, embedded store, on 127.0.0.1; the command line is ` +
      `dist/cli/murmur.js run by node as a user runs it, timed from spawn to exit, all on the same 2 cores. ` +
      `Each feed is one chain of one-post commits with its feed log (1,024 ids a segment). The home's one ` +
      `pseudonym was imported from a backup and its feed of ${FEEDS} follows pulled by \`sync\` before the feeds ` +
      `were on the hub; \`timeline\` refreshes the follows before it reads (docs/cli.md), so the first run is the ` +
      `whole catch-up. Each first run starts from a fresh copy of that home and must print the newest 50 posts of ` +
      `all the feeds; then \`timeline --limit 100000000\` (untimed) must show all ${POSTS} posts of every feed. ` +
      `Baseline: the same ${COMMITS.toLocaleString('en-US')} commits' bytes hashed (sha256) and signatures ` +
      `verified (Ed25519, keys imported once) by node:crypto in the bench's process, one after another, ` +
      `alternating with the runs (${ROUNDS} rounds each); the command line verifies a catch-up's signatures by ` +
      `node:crypto on worker threads (src/cli/verify-threads.ts; two on 2 cores). ` +
      `First run per round: ${firstSpread} s (baseline ${baseSpread} s; ratio ` +
      `${ratioSpread}, control ${controlSpread}); the home's ` +
      `journal after it: ${journalMiB} MiB. Warm: ${WARM_ROUNDS} rounds on the last first run's home; per round ` +
      `${spread(warm.map((w) => w.ms))} ms against \`node -e 0\` ${spread(warm.map((w) => w.e0))} ms, the goal ` +
      `read on the median of each round's difference (${median(warm.map((w) => w.ms - w.e0)).toFixed(0)} ms). ` +
      `The controls (bench/cli/slowed.mjs, preloaded with node --import) must say no: one first does ` +
      `busy work for 4 times its round's baseline time (4 times the baseline's work on top of the run's own), ` +
      `the other waits 300 ms of busy work before the command starts.`;
    writeSection('8-cli', 'Command line: timeline of 50 followed feeds', 'npm run bench', rows, notes);
    expect(rows[1]!.met).toBe(false);
    expect(rows[3]!.met).toBe(false);
  } finally {
    await hub.stop();
    await built.remove();
    await Promise.all([dataDir, ...homes].map((d) => rm(d, { recursive: true, force: true })));
  }
});
