/**
 * Moving hubs, seen by strangers (PROTOCOL.md, Moving hubs): Bob never
 * followed Alice and knows only `alice@A`. After she moved to C, hub A still
 * answers for her with its head, which is her signed pointer; Bob's device
 * checks that pointer and writes to her on C. A head on A that Alice did not
 * sign is refused by name, and nothing goes where it points.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { encodeBlobBatch } from '../../src/protocol/batch.ts';
import { buildSignedUnchecked } from '../../src/protocol/signed.ts';
import { type CommitId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { Fetch } from '../net/hub-client.ts';
import { type Device, Network, openDevice, waitSynced } from '../testing/device.ts';
import { headOnHub } from '../testing/hub-inspect.ts';
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

async function device(options: Parameters<typeof openDevice>[0] = {}): Promise<Device> {
  const d = await openDevice(options);
  devices.push(d);
  return d;
}

/**
 * Alice on A with a handle and a post, moved to C; only then does she open Messages, so the key Bob needs to
 * write to her is in a commit C holds and A does not.
 */
async function aliceMovedToC(): Promise<{ d: Device; id: PseudonymId }> {
  const d = await device();
  const alice = await d.api.createPseudonym({ name: 'Alice', homeHub: hubA.url });
  ok(await d.api.claimHandle(alice.id, 'alice'));
  ok(await d.api.post(alice.id, 'one'));
  await waitSynced(d, alice.id);
  expect(ok(await d.api.moveHub(alice.id, hubC.url)).pointerLeft).toBe(true);
  ok(await d.api.enableMessages(alice.id));
  await waitSynced(d, alice.id);
  return { d, id: alice.id };
}

test('Bob, never following Alice, writes to alice@A after her move: message and mention reach her on C', async () => {
  const alice = await aliceMovedToC();
  const bobDevice = await device();
  const bob = await bobDevice.api.createPseudonym({ name: 'Bob', homeHub: hubB.url });
  ok(await bobDevice.api.enableMessages(bob.id));

  const { peer } = ok(await bobDevice.api.openConversation(bob.id, `alice@${hubA.host}`));
  expect(peer).toBe(alice.id);
  // Named in Messages by her handle where she lives now (her signed profile says C), not the one Bob typed.
  expect((await bobDevice.api.getContact(bob.id, alice.id)).handle).toBe(`alice@${hubC.host}`);
  ok(await bobDevice.api.sendMessage(bob.id, alice.id, 'found you through A'));
  ok(await bobDevice.api.post(bob.id, `hello @alice@${hubA.host}`));
  await waitFor(
    'sent',
    () => bobDevice.api.listMessages(bob.id, alice.id),
    (m) => m[0]?.state === 'sent',
  );
  await waitFor(
    'the mention delivered',
    () => bobDevice.db.count('deliveries'),
    (n) => n === 0,
  );

  // Alice reads her inbox on C alone; a mention of her handle on A is still one of her.
  ok(await alice.d.api.refreshInbox(alice.id));
  expect((await alice.d.api.listMessages(alice.id, bob.id)).map((m) => m.body)).toEqual(['found you through A']);
  const mentions = (await alice.d.api.listNotifications(alice.id, { limit: 20 })).filter((n) => n.kind === 'mention');
  expect(mentions).toMatchObject([{ from: bob.id, body: `hello @alice@${hubA.host}` }]);
});

test('a pointer on A that Alice did not sign is refused by name, and nothing is sent where it points', async () => {
  const alice = await aliceMovedToC();
  const pointer = (await headOnHub(hubA.url, alice.id))!;
  // Mallory's key signs a commit "of Alice" naming hub B as her home, and a head of hers naming that commit.
  const mallory = new Uint8Array(32).fill(9) as SecretKey;
  const ts = Date.now();
  const seq = pointer.seq + 1;
  const commitBytes = buildSignedUnchecked(
    { type: 'commit', author: alice.id, parents: pointer.heads, seq, ts, ops: [{ type: 'profile', hubs: [hubB.url] }] },
    mallory,
  );
  const commitId = hashBytes(commitBytes) as CommitId;
  const forgedHead = JSON.parse(
    new TextDecoder().decode(
      buildSignedUnchecked({ type: 'head', author: alice.id, heads: [commitId], seq, ts }, mallory),
    ),
  );
  // What A serves: the forged head with its commit, or Alice's own head with the forged bytes under its tip's id.
  let lie: 'head' | 'commit' = 'head';
  const net = new Network();
  const lying: Fetch = async (url, init) => {
    const path = decodeURIComponent(url);
    if (lie === 'head' && path === `${hubA.url}/v1/heads?authors=${alice.id}`)
      return Response.json({ heads: { [alice.id]: forgedHead } });
    if (path === `${hubA.url}/v1/blobs/batch`) {
      const id = lie === 'head' ? commitId : pointer.heads[0]!;
      return new Response(encodeBlobBatch([{ id, bytes: commitBytes }]) as Uint8Array<ArrayBuffer>);
    }
    return net.fetch(url, init);
  };
  const bobDevice = await device({ net, deps: { fetch: lying } });
  const bob = await bobDevice.api.createPseudonym({ name: 'Bob', homeHub: hubC.url });

  expect(await bobDevice.api.openConversation(bob.id, `alice@${hubA.host}`)).toMatchObject({
    ok: false,
    error: 'BadSignature',
  });
  lie = 'commit';
  expect(await bobDevice.api.openConversation(bob.id, `alice@${hubA.host}`)).toMatchObject({
    ok: false,
    error: 'HashMismatch',
  });
  // A answered the handle both times (so each lie was heard), and no request went to B.
  expect(net.urls.filter((u) => u.startsWith(`${hubA.url}/.well-known/webfinger`))).toHaveLength(2);
  expect(net.urls.filter((u) => u.startsWith(hubB.url))).toEqual([]);
});

test('following alice@A after her move reads her whole feed, the posts made on C included, in the follow', async () => {
  const alice = await aliceMovedToC();
  ok(await alice.d.api.post(alice.id, 'two, from C'));
  await waitSynced(alice.d, alice.id);
  // The follow waits for its catch-up: what the timeline shows when it answers is what that catch-up brought.
  const bobDevice = await device({ deps: { followWaitMs: 60_000 } });
  const bob = await bobDevice.api.createPseudonym({ name: 'Bob', homeHub: hubB.url });
  await bobDevice.api.setActive(bob.id);
  ok(await bobDevice.api.follow(bob.id, `alice@${hubA.host}`));
  const bodies = (await bobDevice.api.listTimeline(bob.id, { limit: 20 })).map((i) => i.body);
  expect(bodies).toEqual(['two, from C', 'one']);
});
