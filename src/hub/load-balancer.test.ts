/**
 * The load balancer fixture the scale-out tests stand on (testing/load-balancer.ts):
 * requests spread over every hub behind it, and a hub killed with -9 is taken
 * out while the others go on answering. (Here the hubs keep separate data;
 * the scale-out tests put them on one PostgreSQL and one bucket.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type BuiltHub, buildHub } from './testing/hub-build.ts';
import { alice, waitFor } from './testing/hub-fixture.ts';
import { type HubProcess, spawnHub } from './testing/hub-process.ts';
import { type LoadBalancer, startLoadBalancer } from './testing/load-balancer.ts';

let built: BuiltHub;
let dir: string;
let hubs: HubProcess[];
let balancer: LoadBalancer;
beforeAll(async () => {
  [built, dir] = await Promise.all([buildHub(), mkdtemp(join(tmpdir(), 'murmur-lb-test-'))]);
  hubs = await Promise.all(
    [0, 1].map((i) => spawnHub(built.main, { dataDir: join(dir, `hub${i}`), env: { MURMUR_LOG: 'on' } })),
  );
  balancer = await startLoadBalancer(hubs.map((h) => h.url));
});
afterAll(async () => {
  await balancer?.stop();
  await Promise.all((hubs ?? []).map((h) => h.stop('SIGKILL')));
  await Promise.all([built?.remove(), rm(dir, { recursive: true, force: true })]);
});

/** A request nothing else sends (HAProxy's checks ask /.well-known/murmur.json, its start /v1/status). */
const PATH = '/v1/heads';

/** How many requests for `path` each hub has logged. */
const served = (path: string) =>
  hubs.map(
    (h) =>
      h
        .output()
        .split('\n')
        .filter((l) => l.includes(`"${path}"`)).length,
  );

test('requests spread over both hubs; with one killed, every request is still answered', async () => {
  for (let i = 0; i < 10; i++) expect((await fetch(`${balancer.url}${PATH}?authors=${alice}`)).status).toBe(200);
  // Each hub logs a request once answered: wait for the lines to reach this process, then count.
  await waitFor('10 log lines', () => served(PATH).reduce((a, b) => a + b) === 10);
  const [first, second] = served(PATH);
  expect(Math.min(first!, second!)).toBeGreaterThanOrEqual(4);

  await hubs[0]!.stop('SIGKILL');
  for (let i = 0; i < 10; i++) expect((await fetch(`${balancer.url}${PATH}?authors=${alice}`)).status).toBe(200);
  await waitFor('10 more log lines', () => served(PATH)[1] === second! + 10);
  expect(served(PATH)).toEqual([first, second! + 10]);
});
