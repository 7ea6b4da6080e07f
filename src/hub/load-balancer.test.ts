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
  for (let i = 0; i < 10; i++) expect((await fetch(`${balancer.url}/.well-known/murmur.json`)).status).toBe(200);
  const [first, second] = served('/.well-known/murmur.json');
  expect(first! + second!).toBe(10);
  expect(Math.min(first!, second!)).toBeGreaterThanOrEqual(4);

  await hubs[0]!.stop('SIGKILL');
  for (let i = 0; i < 10; i++) expect((await fetch(`${balancer.url}/.well-known/murmur.json`)).status).toBe(200);
  expect(served('/.well-known/murmur.json')[1]).toBe(second! + 10);
});
