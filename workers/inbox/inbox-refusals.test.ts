/**
 * A notice never says more than the signed objects it names: against a real
 * hub, forged and mismatched notices and every invalid DM vector are dropped
 * by name, and nothing is stored for them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TestHub, putBlob, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { fromHex } from '../../src/protocol/bytes.ts';
import { buildCommit } from '../../src/protocol/commits.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import { type SecretKey, pickVerify, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildDelegation } from '../../src/protocol/agents.ts';
import { type NoticeKind, buildNotice } from '../../src/protocol/notices.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import vectors from '../../src/protocol/vectors/dm.json' with { type: 'json' };
import { createHubClient } from '../net/hub-client.ts';
import { pullInbox } from './inbox-pull.ts';
import { applyCommits } from '../store/commit-store.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { keyringSource } from '../keys/keyring.ts';
import { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { type Device, openDevice } from '../testing/device.ts';

const key = (hex: string) => fromHex(hex) as SecretKey;
const [aliceKey, bobKey, carolKey, malloryKey] = [
  vectors.keys.alice,
  vectors.keys.bob,
  vectors.keys.carol,
  vectors.keys.mallory,
].map(key) as [SecretKey, SecretKey, SecretKey, SecretKey];
const [alice, bob] = [aliceKey, bobKey].map(pseudonymOf) as [PseudonymId, PseudonymId];

let hub: TestHub;
let device: Device;

beforeAll(async () => {
  hub = await startTestHub();
  device = await openDevice({
    pseudonyms: [bobKey, carolKey].map((secretKey, i) => ({
      id: pseudonymOf(secretKey),
      name: `p${i}`,
      hubs: [hub.url],
      createdAt: i,
      secretKey,
    })),
  });
  device.net.down = true; // only the pulls below reach the hub
  await device.api.setOnline(false);
});
afterAll(async () => {
  await device?.close();
  await hub?.stop();
});

async function pull(owner: PseudonymId, catchUpOwn?: (owner: PseudonymId) => Promise<unknown>) {
  // The pull's own hub client over the real fetch: the device's network stays down, so nothing else runs.
  const verify = await pickVerify();
  return pullInbox(
    {
      store: new IdbCoreStore(device.db),
      keys: keyringSource(device.db),
      now: Date.now,
      locks: new KeyedLock(),
      verify,
      random: (a) => crypto.getRandomValues(a),
      hub: (o) => createHubClient(o, fetch),
      ...(catchUpOwn && { catchUpOwn }),
    },
    owner,
  );
}

async function notify(from: SecretKey, to: PseudonymId, kind: NoticeKind, ids: ObjectId[], blobs: Uint8Array[]) {
  for (const bytes of blobs) expect((await putBlob(hub.url, hashBytes(bytes), bytes, from)).status).toBeLessThan(300);
  const notice = buildNotice(from, { to, kind, ids, ts: Date.now() });
  expect((await fetch(`${hub.url}/v1/inbox/${to}`, { method: 'POST', body: notice.bytes as BodyInit })).status).toBe(
    201,
  );
}

describe('DM vectors through a real inbox', () => {
  for (const c of vectors.invalid) {
    test(`drops ${c.comment} as ${c.error}`, async () => {
      const recipient = pseudonymOf(key(c.recipient));
      const bytes = fromHex(c.hex);
      // Every notice here is alice's (the WrongSender case holds mallory's message).
      await notify(aliceKey, recipient, 'dm', [hashBytes(bytes)], [bytes]);
      const result = await pull(recipient);
      expect(result).toEqual({ notifications: 0, messages: 0, dropped: [c.error] });
      expect(await device.api.listConversations(recipient)).toEqual([]);
    });
  }
});

describe('notices that claim more than their objects', () => {
  test("a reply notice naming another's commit, a post replying to none of bob's, or bytes the hub lacks", async () => {
    const bobPost = buildPost({ author: bob, body: "bob's post", ts: 1 });
    const post = buildPost({ author: alice, body: 'not a reply', ts: 2 });
    const commit = buildCommit(aliceKey, { parents: [], seq: 1, ts: 2, ops: [{ type: 'post', object: post.id }] });
    // Mallory points at alice's commit as if it were hers.
    await notify(malloryKey, bob, 'reply', [commit.id, post.id], [commit.bytes, post.bytes]);
    // Alice's own notice, but her post replies to nothing.
    await notify(aliceKey, bob, 'reply', [commit.id, post.id], []);
    // A reaction notice whose commit reacts to a post bob does not hold as his.
    const react = buildCommit(aliceKey, {
      parents: [],
      seq: 1,
      ts: 3,
      ops: [{ type: 'react', target: bobPost.id, emoji: '🎉' }],
    });
    await notify(aliceKey, bob, 'react', [react.id], [react.bytes]);
    // A notice naming bytes no hub holds.
    await notify(aliceKey, bob, 'mention', [hashBytes(new Uint8Array([1])), post.id], []);
    const result = await pull(bob);
    expect(result).toEqual({
      notifications: 0,
      messages: 0,
      dropped: ['Unverified', 'Unverified', 'SubjectUnknown', 'NotFound'],
    });
    expect(await device.api.listNotifications(bob, { limit: 10 })).toEqual([]);
  });
});

describe('a notice about one of your posts this device does not hold yet', () => {
  test('the pull catches up your own feed once, then checks again: kept if the post is yours', async () => {
    // Bob posted from another device (or his agent did); this device has not pulled that commit yet.
    const elsewhere = buildPost({ author: bob, body: 'from the other device', ts: 10 });
    const commit = buildCommit(bobKey, { parents: [], seq: 1, ts: 10, ops: [{ type: 'post', object: elsewhere.id }] });
    const reacts = (target: ObjectId, ts: number) =>
      buildCommit(aliceKey, { parents: [], seq: 1, ts, ops: [{ type: 'react', target, emoji: '🎉' }] });
    const [toBob, toNothing] = [reacts(elsewhere.id, 11), reacts(hashBytes(new Uint8Array([7])), 12)];
    await notify(aliceKey, bob, 'react', [toBob.id], [toBob.bytes]);
    await notify(aliceKey, bob, 'react', [toNothing.id], [toNothing.bytes]);
    const caughtUp: PseudonymId[] = [];
    const result = await pull(bob, async (owner) => {
      caughtUp.push(owner);
      await applyCommits(device.db, [{ signed: commit, blobs: [elsewhere], posts: [elsewhere] }]);
    });
    // Once per pull however many notices wait on it; a post no feed of bob's holds is still dropped, by name.
    expect([result, caughtUp]).toEqual([{ notifications: 1, messages: 0, dropped: ['SubjectUnknown'] }, [bob]]);
    const shown = await device.api.listNotifications(bob, { limit: 10 });
    expect(shown.map((n) => [n.kind, n.from, n.subject])).toEqual([['react', alice, elsewhere.id]]);
  });
});

describe('follow notices', () => {
  test("a follow notice is kept only when its commit follows the owner; the sender's hubs become a hint", async () => {
    const carol = pseudonymOf(carolKey);
    const follows = (target: PseudonymId, ts: number) =>
      buildCommit(aliceKey, { parents: [], seq: 1, ts, ops: [{ type: 'follow', target, hubs: [] }] });
    const [ofCarol, ofBob] = [follows(carol, 20), follows(bob, 21)];
    await notify(aliceKey, bob, 'follow', [ofCarol.id], [ofCarol.bytes]); // follows someone else: refused
    await notify(malloryKey, bob, 'follow', [ofBob.id], [ofBob.bytes]); // alice's commit, mallory's notice: refused
    const hint = 'https://alice-home.example';
    const notice = buildNotice(aliceKey, { to: bob, kind: 'follow', ids: [ofBob.id], ts: Date.now(), hubs: [hint] });
    expect((await fetch(`${hub.url}/v1/inbox/${bob}`, { method: 'POST', body: notice.bytes as BodyInit })).status).toBe(
      201,
    );
    const result = await pull(bob);
    expect(result).toEqual({ notifications: 1, messages: 0, dropped: ['Unverified', 'Unverified'] });
    const shown = await device.api.listNotifications(bob, { limit: 10 });
    expect(shown.filter((n) => n.kind === 'follow').map((n) => n.from)).toEqual([alice]);
    expect((await new IdbCoreStore(device.db).findContact(bob, alice))?.hubs).toEqual([hint]);
  });
});

describe("an agent's notices", () => {
  test('a notice signed by the agent that made the commit names its owner; another key is refused', async () => {
    const agentKey = secretKeyFrom(new Uint8Array(32).fill(41));
    const delegation = buildDelegation(aliceKey, {
      agent: pseudonymOf(agentKey),
      scope: ['follow'],
      expires: Date.now() + 86_400_000,
      name: 'scout',
    });
    const follows = buildCommit(agentKey, {
      parents: [],
      seq: 1,
      ts: 40,
      ops: [{ type: 'follow', target: bob, hubs: [] }],
      agent: { id: pseudonymOf(agentKey), model: 'm-1', delegation },
    });
    expect(follows.commit.author).toBe(alice);
    await notify(malloryKey, bob, 'follow', [follows.id], [follows.bytes]); // not its agent: refused
    await notify(agentKey, bob, 'follow', [follows.id], [follows.bytes]);
    expect(await pull(bob)).toEqual({ notifications: 1, messages: 0, dropped: ['Unverified'] });
    const shown = await device.api.listNotifications(bob, { limit: 10 });
    expect(shown.filter((n) => n.object === follows.id).map((n) => [n.kind, n.from])).toEqual([['follow', alice]]);
  });
});

describe("a hive's announcements", () => {
  test("a hive notice in a person's inbox is dropped by name (it belongs on a board), nothing notified", async () => {
    const carol = pseudonymOf(carolKey);
    const joins = buildCommit(aliceKey, {
      parents: [],
      seq: 1,
      ts: 30,
      ops: [{ type: 'hive_member', hive: carol, member: alice, action: 'join' }],
    });
    await notify(aliceKey, carol, 'hive', [joins.id], [joins.bytes]);
    expect(await pull(carol)).toEqual({ notifications: 0, messages: 0, dropped: ['NotForPerson'] });
    expect(await device.api.listNotifications(carol, { limit: 10 })).toEqual([]);
  });
});
