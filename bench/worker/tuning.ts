/**
 * Tuning runs of bench/worker.bench.ts, never recorded: BENCH_PROFILE (where
 * an ingest's time goes, by function and by process) and BENCH_AB (this
 * tree's ingest against another checkout's, round by round).
 */
import type { Page } from 'playwright-core';
import type { HubProcess } from '../../src/hub/testing/hub-process.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { join } from 'node:path';
import { allocProfile, cpuProfile, processCpu } from '../profiles.ts';
import { median } from '../record.ts';

type Call = <T>(fn: string, ...args: unknown[]) => Promise<T>;
export type OpenPage = (code?: string, workerCode?: string) => Promise<{ page: Page; call: Call }>;

/** BENCH_PROFILE: an ingest's parts, its page thread's CPU by function, and each process's CPU. */
export async function profileIngest(
  openPage: OpenPage,
  hub: HubProcess,
  feed: { author: PseudonymId },
  warm: { author: PseudonymId },
): Promise<void> {
  const { page, call } = await openPage();
  console.info('ingest profile (ms):', JSON.stringify(await call('ingestProfile', hub.url, feed.author)));
  await call('prepareIngest', hub.url, feed.author);
  console.info(
    'ingest, CPU of the page thread (self ms by function):',
    JSON.stringify(await cpuProfile(page, () => call('runIngest', hub.url, feed.author))),
  );
  await page.context().close();
  const again = await openPage();
  // Raw verifies run on the page's thread; an ingest's run on the verify workers (DedicatedWorker).
  console.info(
    'raw verify round, CPU ms by process:',
    JSON.stringify(await processCpu(hub.child.pid!, () => again.call('rawVerifyRound'))),
  );
  await again.call('warmIngest', hub.url, warm.author);
  if (process.env.BENCH_PROFILE === 'alloc') {
    await again.call('prepareIngest', hub.url, feed.author);
    console.info(
      'ingest, KiB allocated by function:',
      JSON.stringify(await allocProfile(again.page, () => again.call('runIngest', hub.url, feed.author))),
    );
  }
  await again.call('prepareIngest', hub.url, feed.author);
  console.info(
    'ingest, CPU ms by process:',
    JSON.stringify(await processCpu(hub.child.pid!, () => again.call('runIngest', hub.url, feed.author))),
  );
  await again.call('walkOnly', hub.url, feed.author);
  console.info(
    'apply alone, CPU of the page thread (self ms by function):',
    JSON.stringify(
      await cpuProfile(again.page, async () => console.info('apply alone (ms):', await again.call('applyOnly'))),
    ),
  );
  await again.page.context().close();
}

/** BENCH_AB=<another checkout>: this tree's ingest against that one's, in alternating fresh pages. */
export async function abIngest(
  openPage: OpenPage,
  bundle: (entry: string) => Promise<string>,
  o: { hub: HubProcess; feed: PseudonymId; warm: PseudonymId; ab: string; rounds: number; commits: number },
): Promise<void> {
  const { hub, ab: AB, rounds: ROUNDS, commits: INGEST_COMMITS } = o;
  // Tuning: this tree's ingest against another tree's (a git worktree), in alternating fresh pages.
  const other = [
    await bundle(join(AB, 'bench', 'browser', 'worker-page.ts')),
    await bundle(join(AB, 'workers', 'verify', 'verify.worker.ts')),
  ] as const;
  const rates: { here: number; there: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const one = async (code?: readonly [string, string]) => {
      const { call, page } = await (code ? openPage(...code) : openPage());
      await call('rawVerifyRound'); // as the recorded rounds do first
      await call('warmIngest', hub.url, o.warm);
      await call('prepareIngest', hub.url, o.feed);
      const seconds = await call<number>('runIngest', hub.url, o.feed);
      await page.context().close();
      return INGEST_COMMITS / seconds;
    };
    const [here, there] =
      i % 2 === 0 ? [await one(), await one(other)] : ([await one(other), await one()].reverse() as [number, number]);
    rates.push({ here: here!, there: there! });
  }
  console.info(
    'A/B ingest commits/s, this tree then',
    AB,
    JSON.stringify(rates.map((r) => [Math.round(r.here), Math.round(r.there)])),
  );
  console.info(
    'medians',
    Math.round(median(rates.map((r) => r.here))),
    Math.round(median(rates.map((r) => r.there))),
    'median of here/there',
    median(rates.map((r) => r.here / r.there)).toFixed(3),
  );
  return;
}
