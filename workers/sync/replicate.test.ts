/**
 * A pseudonym's other hubs: once set, its whole feed (commits, objects, feed
 * log) and then its head reach each of them, new posts follow, an unreachable
 * hub is named in the status, and commits another device pushed only there
 * are pulled and merged, never hidden.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { type Device, openDevice, waitSynced } from '../testing/device.ts';
import { feedOnHub, headOnHub } from '../testing/hub-inspect.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

let hubA: TestHub;
let hubB: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all([hubA.stop(), hubB.stop()]);
});

async function device(options: Parameters<typeof openDevice>[0] = {}): Promise<Device> {
  const d = await openDevice({ ...options, deps: { retry: { baseMs: 20, maxMs: 200 }, ...options.deps } });
  devices.push(d);
  return d;
}

/** What a hub's head says (each hub's head is signed on its own, with its own ts). */
const headAt = async (hubUrl: string, id: PseudonymId) => {
  const head = await headOnHub(hubUrl, id);
  return head && { heads: head.heads, seq: head.seq, log: head.log };
};
const bodies = async (hubUrl: string, id: PseudonymId) => (await feedOnHub(hubUrl, id)).posts.map((p) => p.body).sort();

test('another hub gets the whole feed, then each new post; home stays first', async () => {
  const d = await device();
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  for (const body of ['one', 'two', 'three']) ok(await d.api.post(alice.id, body));
  await waitSynced(d, alice.id);
  expect(await headOnHub(hubB.url, alice.id)).toBeUndefined();

  const summary = ok(await d.api.setOtherHubs(alice.id, [hubB.url, `${hubB.url}/`, hubA.url]));
  expect(summary.hubs).toEqual([hubA.url, hubB.url]);
  await waitFor(
    'the feed on hub B',
    () => bodies(hubB.url, alice.id),
    (b) => b.length === 3,
  );
  expect(await bodies(hubB.url, alice.id)).toEqual(['one', 'three', 'two']);
  expect(await headAt(hubB.url, alice.id)).toEqual(await headAt(hubA.url, alice.id));
  // The head names the feed log, and hub B holds it: a reader there catches up in a few requests.
  const log = (await headOnHub(hubB.url, alice.id))!.log!;
  expect((await fetch(`${hubB.url}/v1/blobs/${log}`)).status).toBe(200);

  ok(await d.api.post(alice.id, 'four'));
  await waitFor(
    'the new post on hub B',
    () => bodies(hubB.url, alice.id),
    (b) => b.includes('four'),
  );
  await waitSynced(d, alice.id);
  expect(await headAt(hubB.url, alice.id)).toEqual(await headAt(hubA.url, alice.id));

  expect(await d.api.setOtherHubs(alice.id, ['ftp://nope'])).toMatchObject({ ok: false, error: 'InvalidField' });
  expect(ok(await d.api.setOtherHubs(alice.id, [])).hubs).toEqual([hubA.url]);
});

test('an unreachable other hub is named in the status until it is removed', async () => {
  const d = await device();
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  const downUrl = hubB.url;
  await hubB.stop();
  ok(await d.api.setOtherHubs(alice.id, [downUrl]));
  ok(await d.api.post(alice.id, 'hello'));
  const status = await waitFor(
    'a status naming hub B',
    () => d.api.getSyncStatus(alice.id),
    (s) => s.state === 'error',
  );
  expect(status.message).toContain(`not yet to ${downUrl}`);
  expect(await headOnHub(hubA.url, alice.id)).toBeDefined();
  // Removing the hub clears its problem.
  ok(await d.api.setOtherHubs(alice.id, []));
  await waitSynced(d, alice.id);
});

test('commits another device pushed only to the other hub are pulled and merged, not overwritten', async () => {
  const laptop = await device();
  const alice = await laptop.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  ok(await laptop.api.post(alice.id, 'from the laptop'));
  await waitSynced(laptop, alice.id);
  // The phone has the same key, but its home is hub B, and it has not seen the laptop's post.
  const row = (await laptop.db.get('pseudonyms', alice.id))!;
  const phone = await device({ pseudonyms: [{ ...row, hubs: [hubB.url] }] });
  ok(await phone.api.post(alice.id, 'from the phone'));
  await waitSynced(phone, alice.id);

  ok(await laptop.api.setOtherHubs(alice.id, [hubB.url]));
  await waitFor(
    'both posts on both hubs',
    async () => [await bodies(hubA.url, alice.id), await bodies(hubB.url, alice.id)],
    ([a, b]) => a!.length === 2 && b!.length === 2,
  );
  expect(await bodies(hubB.url, alice.id)).toEqual(['from the laptop', 'from the phone']);
  const headB = (await headAt(hubB.url, alice.id))!;
  expect(headB).toEqual(await headAt(hubA.url, alice.id));
  expect(headB.heads).toHaveLength(1); // one merge commit names both lines
  expect((await laptop.api.listTimeline(alice.id, { limit: 5 })).map((i) => i.body).sort()).toEqual([
    'from the laptop',
    'from the phone',
  ]);
});
