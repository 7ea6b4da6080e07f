/**
 * Moving hubs (PROTOCOL.md, Moving hubs): Alice moves from hub A to hub C in
 * one call; the whole feed reaches C, her handle is claimed there, A's head
 * is the signed pointer, and Bob, who follows her through A, keeps receiving
 * her new posts (now only on C) without doing anything. A hub that cannot be
 * reached and a name taken there are refused by name, with nothing changed.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { decodeCommit } from '../../src/protocol/commits.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf } from '../../src/protocol/keys.ts';
import { type AgentSigning, memoryKeySource } from '../keys/key-source.ts';
import { type MoveDeps, moveHub } from './move-hub.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { MoveProgress } from '../api/api-types.ts';
import { type Device, openDevice, waitSynced } from '../testing/device.ts';
import { blobOnHub, feedOnHub, headOnHub } from '../testing/hub-inspect.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

let hubA: TestHub;
let hubB: TestHub;
let hubC: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  [hubA, hubB, hubC] = await Promise.all([startTestHub(), startTestHub(), startTestHub()]);
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all([hubA.stop(), hubB.stop(), hubC.stop()]);
});

async function device(): Promise<Device> {
  const d = await openDevice();
  devices.push(d);
  return d;
}

const bodies = async (hubUrl: string, id: PseudonymId) => (await feedOnHub(hubUrl, id)).posts.map((p) => p.body).sort();
const timeline = async (d: Device, id: PseudonymId) => (await d.api.listTimeline(id, { limit: 20 })).map((i) => i.body);

/** Alice on hub A with a handle and two posts, pushed. */
async function aliceOnA(): Promise<{ d: Device; id: PseudonymId }> {
  const d = await device();
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  ok(await d.api.claimHandle(alice.id, 'alice'));
  for (const body of ['one', 'two']) ok(await d.api.post(alice.id, body));
  await waitSynced(d, alice.id);
  return { d, id: alice.id };
}

test('Alice moves from A to C; Bob, following through A, keeps receiving her posts; A holds the pointer', async () => {
  const alice = await aliceOnA();
  const bobDevice = await device();
  const bob = await bobDevice.api.createPseudonym({ name: 'Bob', homeHub: hubB.url });
  ok(await bobDevice.api.follow(bob.id, `alice@${hubA.host}`));
  await bobDevice.api.setActive(bob.id);
  await waitFor(
    "Alice's posts at Bob's",
    () => timeline(bobDevice, bob.id),
    (b) => b.includes('two'),
  );

  const progress: MoveProgress[] = [];
  const outcome = ok(await alice.d.api.moveHub(alice.id, `${hubC.url}/`, (p) => progress.push(p)));
  expect(outcome).toEqual({ hubs: [hubC.url], handle: `alice@${hubC.host}`, pointerLeft: true });
  // Each step in order; the copy counts up to every blob hub C lacked (commits, posts, the feed log).
  expect([...new Set(progress.map((p) => p.step))]).toEqual(['claiming', 'copying', 'pointing']);
  const last = progress.filter((p) => p.step === 'copying').at(-1)!;
  expect(last).toMatchObject({ done: last.total });
  expect(last.step === 'copying' && last.total).toBeGreaterThanOrEqual(5);
  expect((await alice.d.api.listPseudonyms()).find((p) => p.id === alice.id)).toMatchObject({
    hubs: [hubC.url],
    handle: `alice@${hubC.host}`,
  });
  const webfinger = await fetch(`${hubC.url}/.well-known/webfinger?resource=acct:alice@${hubC.host}`);
  expect(await webfinger.text()).toContain(alice.id);

  // Both hubs hold the whole feed, and the same head: its one commit is the signed pointer to C.
  expect(await bodies(hubC.url, alice.id)).toEqual(['one', 'two']);
  const pointerHead = (await headOnHub(hubA.url, alice.id))!;
  expect((await headOnHub(hubC.url, alice.id))!.heads).toEqual(pointerHead.heads);
  const pointer = decodeCommit(await blobOnHub(hubA.url, pointerHead.heads[0]!));
  expect(pointer.commit.ops).toEqual([{ type: 'profile', hubs: [hubC.url] }]);

  // A new post goes to C only; Bob, who only ever named A, receives it by himself.
  ok(await alice.d.api.post(alice.id, 'three, from C'));
  await waitSynced(alice.d, alice.id);
  expect(await bodies(hubC.url, alice.id)).toContain('three, from C');
  expect(await bodies(hubA.url, alice.id)).not.toContain('three, from C');
  expect((await headOnHub(hubA.url, alice.id))!.heads).toEqual(pointerHead.heads);
  await waitFor(
    "Alice's post from C at Bob's",
    () => timeline(bobDevice, bob.id),
    (b) => b.includes('three, from C'),
  );
  // Bob followed alice@A; wherever she appears he now sees her handle on C, posts from before the move included.
  const handles = (await bobDevice.api.listTimeline(bob.id, { limit: 20 })).map((i) => [i.body, i.authorHandle]);
  expect(handles).toEqual(['three, from C', 'two', 'one'].map((b) => [b, `alice@${hubC.host}`]));
  expect((await bobDevice.api.findProfile(bob.id, alice.id))?.handle).toBe(`alice@${hubC.host}`);

  // Media posted after the move are on C alone, and Bob's device fetches them there.
  const picture = new Uint8Array([1, 2, 3, 4]);
  ok(await alice.d.api.post(alice.id, 'a picture from C', { media: [{ bytes: picture, type: 'image/png' }] }));
  const shown = await waitFor("Alice's picture post at Bob's", async () =>
    (await bobDevice.api.listTimeline(bob.id, { limit: 20 })).find((i) => i.body === 'a picture from C'),
  );
  expect(await bobDevice.api.findMedia(shown!.media![0]!)).toEqual(picture);
});

test('an unreachable hub and a handle taken there are refused by name, and nothing moves', async () => {
  const alice = await aliceOnA();
  const carolDevice = await device();
  const carol = await carolDevice.api.createPseudonym({ name: 'Carol', homeHub: hubC.url });
  ok(await carolDevice.api.claimHandle(carol.id, 'alice'));

  const taken = await alice.d.api.moveHub(alice.id, hubC.url);
  expect(taken).toMatchObject({ ok: false, error: 'HandleTaken' });
  expect(await headOnHub(hubC.url, alice.id)).toBeUndefined();

  const downUrl = hubB.url;
  await hubB.stop();
  const unreachable = await alice.d.api.moveHub(alice.id, downUrl);
  expect(unreachable).toMatchObject({ ok: false, error: 'HubUnreachable' });
  expect(await alice.d.api.moveHub(alice.id, hubA.url)).toMatchObject({ ok: false, error: 'InvalidField' });

  expect((await alice.d.api.listPseudonyms()).find((p) => p.id === alice.id)).toMatchObject({
    hubs: [hubA.url],
    handle: `alice@${hubA.host}`,
  });
  ok(await alice.d.api.post(alice.id, 'still on A'));
  await waitSynced(alice.d, alice.id);
  expect(await bodies(hubA.url, alice.id)).toContain('still on A');
});

test("an agent's device may not move its owner's feed: refused before any hub is asked", async () => {
  const asked: string[] = [];
  const secretKey = new Uint8Array(32).fill(7) as SecretKey;
  const owner = pseudonymOf(secretKey);
  const keys = memoryKeySource([{ secretKey, id: owner, hubs: [hubA.url], handle: `alice@${hubA.host}` }]);
  const agentKeys = { ...keys, findAgent: async () => ({ id: owner, model: 'm' }) as unknown as AgentSigning };
  const deps = {
    keys: agentKeys,
    hub: (origin: string) => {
      asked.push(origin);
      throw new Error('no hub may be asked');
    },
  } as unknown as MoveDeps;
  await expect(moveHub(deps, owner, hubC.url)).rejects.toMatchObject({ name: 'Forbidden' });
  expect(asked).toEqual([]);
});

test("a message to Alice after her move reaches her inbox on C, found from her feed's pointer", async () => {
  const alice = await aliceOnA();
  ok(await alice.d.api.enableMessages(alice.id));
  await waitSynced(alice.d, alice.id);
  ok(await alice.d.api.moveHub(alice.id, hubC.url));

  const bobDevice = await device();
  const bob = await bobDevice.api.createPseudonym({ name: 'Bob', homeHub: hubB.url });
  ok(await bobDevice.api.enableMessages(bob.id));
  ok(await bobDevice.api.follow(bob.id, `alice@${hubA.host}`));
  const { peer } = ok(await bobDevice.api.openConversation(bob.id, `alice@${hubA.host}`));
  expect(peer).toBe(alice.id);
  ok(await bobDevice.api.sendMessage(bob.id, alice.id, 'to your new hub'));
  await waitFor(
    'sent',
    () => bobDevice.api.listMessages(bob.id, alice.id),
    (m) => m[0]?.state === 'sent',
  );
  ok(await alice.d.api.refreshInbox(alice.id));
  expect((await alice.d.api.listMessages(alice.id, bob.id)).map((m) => m.body)).toEqual(['to your new hub']);
});
