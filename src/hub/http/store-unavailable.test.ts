/**
 * A hub whose storage cannot be reached (its database down, its bucket
 * refusing) answers 503 StoreUnavailable with Retry-After, which the hub
 * client reads as HubUnavailable and retries, never as a bug's 500 or as an
 * answer that the data is absent.
 */
import { afterEach, expect, test } from 'vitest';
import { createHubClient } from '../../hub-client/client.ts';
import type { HubStore } from '../store/hub-store.ts';
import { openMemoryHubStore } from '../store/memory/memory-hub-store.ts';
import { StoreUnavailable } from '../store/store-errors.ts';
import { type TestHub, alice, aliceKey, put, signedHead, startTestHub } from '../testing/hub-fixture.ts';

let hub: TestHub | undefined;
afterEach(() => hub?.stop());

/** A memory store whose head reads and writes fail as a lost database's do; `down: false` is the control. */
function storeWithHeads(down: boolean) {
  return async (limits: Parameters<typeof openMemoryHubStore>[0]): Promise<HubStore> => {
    const store = openMemoryHubStore(limits);
    if (!down) return store;
    const lost = () => Promise.reject(new StoreUnavailable("the hub's database cannot be reached: connection lost"));
    const { heads } = store;
    return {
      ...store,
      heads: {
        findHeads: lost,
        putHead: lost,
        listChanges: (page) => heads.listChanges(page),
        lastSeq: () => heads.lastSeq(),
        subscribe: (listener) => heads.subscribe(listener),
      },
    };
  };
}

test.each([
  [true, '503 StoreUnavailable retry-after 1', 'HubUnavailable'],
  [false, '200', 'answered'],
])('heads on a store that is down=%s: %s', async (down, answer, client) => {
  hub = await startTestHub({ store: storeWithHeads(down) });
  const { head } = signedHead(aliceKey, 1);
  const res = await put(`${hub.url}/v1/heads/${alice}`, head.bytes);
  const body = (await res.json()) as { error?: string };
  const retry = res.headers.get('retry-after');
  expect(`${res.status}${body.error ? ` ${body.error}` : ''}${retry ? ` retry-after ${retry}` : ''}`).toBe(answer);

  const heads = createHubClient(hub.url, fetch, (a) => a.fill(1));
  const outcome = await heads.getHeads([alice]).then(
    () => 'answered',
    (error: Error) => error.name,
  );
  expect(outcome).toBe(client);
});
