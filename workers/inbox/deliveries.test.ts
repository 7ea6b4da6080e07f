/**
 * Deliveries against a real hub: queued while offline, sent once online,
 * and a retry after a crash (the hub acknowledged, the row was not yet
 * deleted) re-sends the same signed bytes, which the hub keeps once.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, signedFetch, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { buildCommit } from '../../src/protocol/commits.ts';
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { nobleVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { AUTH_HEADERS, type RequestToSign, newRequestNonce } from '../../src/protocol/request-auth.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import type { InboxAnswer } from '../../src/protocol/routes.ts';
import { applyCommits } from '../store/commit-store.ts';
import type { DeliveryRow } from '../store/db.ts';
import { deliverQueued } from './deliveries.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { keyringSource } from '../keys/keyring.ts';
import { CoreError } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { commitLocal } from '../feed/local-commits.ts';
import { idOfKey, isHeldPost } from '../store/post-rows.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

const aliceKey = secretKeyFrom(new Uint8Array(32).fill(21));
const bobKey = secretKeyFrom(new Uint8Array(32).fill(22));
const alice = pseudonymOf(aliceKey);
const bob = pseudonymOf(bobKey);

let hub: TestHub;
let device: Device;
const bobsInbox = async () =>
  ((await (await signedFetch(`${hub.url}/v1/inbox/${bob}`, {}, bobKey)).json()) as InboxAnswer).notices;

beforeEach(async () => {
  hub = await startTestHub();
  device = await openDevice({
    pseudonyms: [{ id: alice, name: 'Alice', hubs: [hub.url], createdAt: 0, secretKey: aliceKey }],
  });
  device.net.down = true;
  await device.api.setOnline(false);
  // Bob's post, held as ingest would hold it, and alice's follow naming his hub.
  const post = buildPost({ author: bob, body: 'bob says hi', ts: 1000 });
  const commit = buildCommit(bobKey, { parents: [], seq: 1, ts: 1000, ops: [{ type: 'post', object: post.id }] });
  await applyCommits(device.db, [{ signed: commit, blobs: [{ id: post.id, bytes: post.bytes }], posts: [post] }]);
  await commitLocal({ db: device.db, now: Date.now, locks: new KeyedLock() }, alice, () => ({
    ops: [{ type: 'follow', target: bob, hubs: [hub.url] }],
    posts: [],
  }));
});
afterEach(async () => {
  await device.close();
  await hub.stop();
});

async function bobsPost(): Promise<ObjectId> {
  return (await device.db.getAll('posts')).find((p) => isHeldPost(p) && idOfKey(p.a) === bob)!.id;
}

test('a reaction made offline notifies the author once online; a retry after a crash resends, kept once', async () => {
  ok(await device.api.react(alice, await bobsPost(), '🎉'));
  const [queued] = await device.db.getAll('deliveries');
  expect(queued).toMatchObject({ owner: alice, kind: 'react', to: bob, hubs: [hub.url] });
  expect(await bobsInbox()).toEqual([]);

  device.net.down = false;
  await device.api.setOnline(true);
  await waitFor(
    'delivered',
    () => device.db.count('deliveries'),
    (n) => n === 0,
  );
  const [notice] = await bobsInbox();
  expect(notice).toMatchObject({ from: alice, to: bob, kind: 'react', ids: queued!.ids });

  // The crash: the hub acknowledged, but the row (with its signed notice) was never deleted.
  const { sig, ...fields } = notice!;
  const row: DeliveryRow = {
    ...queued!,
    notice: { bytes: encodeCanonical({ ...fields, sig }), ts: fields.ts },
    attempts: 1,
  };
  await device.db.put('deliveries', row);
  const posts = device.net.log.filter((l) => l === `POST /v1/inbox/${bob}`).length;
  ok(await device.api.refreshInbox(alice));
  await waitFor(
    'settled again',
    () => device.db.count('deliveries'),
    (n) => n === 0,
  );
  expect(device.net.log.filter((l) => l === `POST /v1/inbox/${bob}`).length).toBe(posts + 1);
  expect(device.net.answers).toContain(`POST /v1/inbox/${bob} 200`); // "already held"
  expect(await bobsInbox()).toHaveLength(1);
});

test("replying to or reacting to one's own post queues no notice", async () => {
  const own = ok(await device.api.post(alice, 'mine'));
  ok(await device.api.post(alice, 'my own reply', { replyTo: own.id }));
  ok(await device.api.react(alice, own.id, '👍'));
  expect(await device.db.count('deliveries')).toBe(0);
});

test('a reply to bob and a mention of a handle each queue a notice; the mention waits for the handle', async () => {
  ok(await device.api.post(alice, 'hey @carol@hub.example, see this', { replyTo: await bobsPost() }));
  const rows = await device.db.getAll('deliveries');
  expect(rows.map((r) => [r.kind, r.to ?? r.handle]).sort()).toEqual([
    ['mention', 'carol@hub.example'],
    ['reply', bob as PseudonymId],
  ]);
});

test('a delivery refused (Replayed, HubBusy, TooManyConnections, AddressQuotaExceeded, HubFull) waits', async () => {
  ok(await device.api.react(alice, await bobsPost(), '🎉'));
  for (const refusal of ['Replayed', 'HubBusy', 'TooManyConnections', 'AddressQuotaExceeded', 'HubFull'] as const) {
    const signedNonces: string[] = [];
    const hubClient = {
      missingBlobs: async (ids: readonly ObjectId[]) => [...ids],
      putBlob: async (_id: ObjectId, _bytes: Uint8Array, sign: (r: RequestToSign) => Record<string, string>) => {
        signedNonces.push(
          sign({
            method: 'PUT',
            path: '/v1/blobs/x',
            body: new Uint8Array(),
            ts: Date.now(),
            host: hub.host,
            nonce: newRequestNonce(),
          })[AUTH_HEADERS.nonce]!,
        );
        throw new CoreError(refusal, 'refused');
      },
    } as unknown as HubClient;
    const outcome = await deliverQueued(
      {
        store: new IdbCoreStore(device.db),
        keys: keyringSource(device.db),
        now: Date.now,
        verify: nobleVerify,
        hub: () => hubClient,
      },
      alice,
    );
    expect(outcome).toMatchObject({ delivered: 0, remaining: true });
    expect(signedNonces).toHaveLength(1);
    expect(await device.db.count('deliveries')).toBe(1);
  }
});
