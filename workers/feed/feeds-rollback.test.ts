/**
 * A followed feed's head older than what the device holds (Feeds.update): refused in words when it was older
 * already as it arrived (a hub behind, or rolling the feed back), taken in silence when it was only overtaken
 * while it waited for the feed's lock (a newer head heard on another path meanwhile).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { HeadJson } from '../../src/protocol/heads.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { memoryKeySource } from '../keys/key-source.ts';
import { createHubClient } from '../net/hub-client.ts';
import { SyncStatusBoard } from '../net/sync-status.ts';
import { MemoryCoreStore } from '../store/memory-core-store.ts';
import { SyncEngine } from '../sync/sync.ts';
import { Feeds } from './feeds.ts';
import { commitOwn } from './local-commits.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const bobKey = secretKeyFrom(new Uint8Array(32).fill(81));
const bob = pseudonymOf(bobKey);
const aliceKey = secretKeyFrom(new Uint8Array(32).fill(82));
const alice = pseudonymOf(aliceKey);
const hubClient = (origin: string) => createHubClient(origin, fetch);

/** Bob's feed on the hub after each of `bodies`, as the heads a reader would hear. */
async function bobsHeads(bodies: readonly string[]): Promise<HeadJson[]> {
  const store = new MemoryCoreStore();
  const deps = {
    store,
    keys: memoryKeySource([{ id: bob, secretKey: bobKey, hubs: [hub.url] }]),
    verify: nobleVerify,
    now: Date.now,
    hub: hubClient,
    locks: new KeyedLock(),
    emit: () => {},
    retry: { baseMs: 20, maxMs: 200 },
  };
  const engine = new SyncEngine(deps, true);
  const heads: HeadJson[] = [];
  for (const body of bodies) {
    const object = buildPost({ author: bob, body, ts: Date.now() });
    await commitOwn(deps, bob, () => ({ ops: [{ type: 'post', object: object.id }], posts: [object] }));
    await engine.request(bob);
    heads.push((await hubClient(hub.url).getHeads([bob]))[bob]!);
  }
  await engine.close();
  return heads;
}

test('a head older than what was held when it arrived is refused in words; one merely overtaken is not', async () => {
  const [first, second] = await bobsHeads(['one', 'two']);
  const store = new MemoryCoreStore();
  const board = new SyncStatusBoard(
    async () => 0,
    () => {},
    () => true,
  );
  const feeds = new Feeds({
    store,
    keys: memoryKeySource([{ id: alice, secretKey: aliceKey, hubs: [hub.url] }]),
    verify: nobleVerify,
    now: Date.now,
    hub: hubClient,
    emit: () => {},
    board,
    locks: new KeyedLock(),
  });
  const update = (head: HeadJson) => feeds.update(bob, [hub.url], { head, forPseudonym: alice });
  expect(await update(first!)).toBe(1);

  // Both heard while seq 1 is held; the newer one takes the lock first, so the older is only late.
  const [newer, late] = await Promise.all([update(second!), update(first!)]);
  expect([newer, late]).toEqual([1, 0]);
  expect(await board.status(alice)).toEqual({ state: 'synced', queued: 0 });

  // Heard once seq 2 is held: rolled back.
  expect(await update(first!)).toBe(0);
  expect((await board.status(alice)).message).toBe(
    `Refused an update of a feed you follow: ${hub.host} sent an older version of the feed than this device ` +
      'holds (the newer one is kept). Nothing of it was stored.',
  );
  expect(await store.findTips(bob)).toMatchObject({ seq: 2 });
  // The current head again: the feed is fine, and the refusal goes.
  expect(await update(second!)).toBe(0);
  expect(await board.status(alice)).toEqual({ state: 'synced', queued: 0 });
});
