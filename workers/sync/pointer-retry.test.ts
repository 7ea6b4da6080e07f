/**
 * The pointer a move owes (PROTOCOL.md, Moving hubs): Alice moves from A to
 * C while A is down, so A's head is still her old feed. A comes back; her
 * next sync leaves the pointer there (that commit alone: not the post she
 * made on C since), and the record is settled, so later syncs ask A nothing.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { decodeCommit } from '../../src/protocol/commits.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { clientsSeeClosed } from '../../src/hub/testing/hub-process.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { blobOnHub, feedOnHub, headOnHub } from '../testing/hub-inspect.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

let hubA: TestHub;
let hubC: TestHub;
let device: Device;
beforeEach(async () => {
  [hubA, hubC] = await Promise.all([startTestHub(), startTestHub()]);
  device = await openDevice();
});
afterEach(async () => {
  await device.close();
  await Promise.all([hubA.stop(), hubC.stop()]);
});

const synced = (id: PseudonymId) =>
  waitFor(
    'synced',
    () => device.api.getSyncStatus(id),
    (s) => s.state === 'synced',
  );

test('a move made while the old hub was down leaves its pointer there at the first sync after it is back', async () => {
  const alice = await device.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  ok(await device.api.claimHandle(alice.id, 'alice'));
  ok(await device.api.post(alice.id, 'one'));
  await synced(alice.id);
  const before = (await headOnHub(hubA.url, alice.id))!;

  // A goes down (its data kept); the move to C goes ahead without it.
  await hubA.hub.close();
  await clientsSeeClosed(hubA.url);
  expect(ok(await device.api.moveHub(alice.id, hubC.url)).pointerLeft).toBe(false);
  ok(await device.api.post(alice.id, 'two, on C'));
  await synced(alice.id);

  // A is back on its port with what it held: its head is still the feed before the move.
  hubA = await startTestHub({ dataDir: hubA.dataDir, port: hubA.hub.port });
  expect((await headOnHub(hubA.url, alice.id))!.heads).toEqual(before.heads);

  await device.api.syncNow(alice.id);
  const head = (await headOnHub(hubA.url, alice.id))!;
  const pointer = decodeCommit(await blobOnHub(hubA.url, head.heads[0]!));
  expect(pointer.commit.ops).toEqual([{ type: 'profile', hubs: [hubC.url] }]);
  expect(head.heads).toHaveLength(1);
  // The pointer alone: the post made on C since is not copied to the hub Alice left.
  expect((await feedOnHub(hubA.url, alice.id)).posts.map((p) => p.body)).toEqual(['one']);
  // Settled: a later sync asks A nothing.
  const asked = device.net.urls.length;
  ok(await device.api.post(alice.id, 'three, on C'));
  await synced(alice.id);
  await device.api.syncNow(alice.id);
  expect(device.net.urls.slice(asked).filter((u) => u.startsWith(hubA.url))).toEqual([]);
});
