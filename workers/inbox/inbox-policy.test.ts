/**
 * A pseudonym's inbox mode, from its private settings to its hub and back:
 * setting it and syncing puts a signed policy on the hub, which then refuses
 * a stranger's notice (InboxClosed) while a followed or named sender's gets
 * through; the client drops, as InboxClosed too, a stranger's notice its hub
 * took before the policy was there; and a second device of the pseudonym
 * learns the mode with the rest of the private state.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type TestHub, putBlob, signedNotice, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { dmPublicKeyOf, sealDm } from '../../src/protocol/dm.ts';
import { buildNotice } from '../../src/protocol/notices.ts';
import { createHubClient } from '../../src/hub-client/client.ts';
import { admitsSender, decodeInboxPolicy } from '../../src/protocol/inbox-policy.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import type { PseudonymRow } from '../store/db.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { policySays, wantedPolicy } from './inbox-policy-sync.ts';

const keyOf = () => secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
const [meKey, friendKey, strangerKey] = [keyOf(), keyOf(), keyOf()];
const [me, friend, stranger] = [meKey, friendKey, strangerKey].map(pseudonymOf) as [
  PseudonymId,
  PseudonymId,
  PseudonymId,
];
/** Passes run when a test says (syncNow), never on a timer. */
const MANUAL = { pollMs: 600_000, pushDelayMs: 600_000 };

let hub: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

async function device(): Promise<Device> {
  const row: PseudonymRow = { id: me, name: 'Me', hubs: [hub.url], createdAt: 1, secretKey: meKey };
  const d = await openDevice({ pseudonyms: [row], deps: { privateSync: MANUAL } });
  devices.push(d);
  return d;
}

const send = (from: SecretKey) =>
  fetch(`${hub.url}/v1/inbox/${me}`, {
    method: 'POST',
    body: signedNotice(from, me, { kind: 'dm' }).bytes as BodyInit,
  });
/** A real sealed DM from `from` to me, its blob and notice on the hub. */
async function sendDm(from: SecretKey, body: string): Promise<void> {
  const random = {
    ephemeral: crypto.getRandomValues(new Uint8Array(32)),
    nonce: crypto.getRandomValues(new Uint8Array(24)),
  };
  const sealed = sealDm(from, { to: me, toKey: dmPublicKeyOf(meKey), body, ts: Date.now(), hubs: [hub.url] }, random);
  expect((await putBlob(hub.url, sealed.id, sealed.bytes, from)).status).toBe(201);
  const notice = buildNotice(from, { to: me, kind: 'dm', ids: [sealed.id], ts: Date.now() });
  expect((await fetch(`${hub.url}/v1/inbox/${me}`, { method: 'POST', body: notice.bytes as BodyInit })).status).toBe(
    201,
  );
}

const heldPolicy = async () => {
  const bytes = await createHubClient(hub.url, fetch).findInboxPolicy(me);
  return bytes && decodeInboxPolicy(bytes).policy;
};

describe('inbox mode', () => {
  test('an allowlist inbox, once synced, has its hub refuse a stranger and take a named sender', async () => {
    const d = await device();
    ok(await d.api.setInboxAllow(me, friend, true));
    const settings = ok(await d.api.setInboxMode(me, 'allowlist'));
    expect([settings.inboxMode, settings.inboxAllow.map((e) => e.value)]).toEqual(['allowlist', [friend]]);
    expect(await heldPolicy()).toBeUndefined(); // nothing is sent before the pass
    await d.api.syncNow(me);
    const held = (await heldPolicy())!;
    expect([held.mode, admitsSender(held, friend), admitsSender(held, stranger)]).toEqual(['allowlist', true, false]);
    expect((await send(strangerKey)).status).toBe(403);
    expect((await send(friendKey)).status).toBe(201);
  });

  test('a second pass puts nothing new; changing the list puts a policy with a greater seq', async () => {
    const d = await device();
    ok(await d.api.setInboxMode(me, 'allowlist'));
    await d.api.syncNow(me);
    const first = (await heldPolicy())!;
    await d.api.syncNow(me);
    expect((await heldPolicy())!.seq).toBe(first.seq);
    ok(await d.api.setInboxAllow(me, stranger, true));
    await d.api.syncNow(me);
    const second = (await heldPolicy())!;
    expect([second.seq > first.seq, admitsSender(second, stranger)]).toEqual([true, true]);
  });

  test('the client drops a message its own settings refuse, even when the hub took it', async () => {
    const d = await device();
    await sendDm(strangerKey, 'before the inbox closed'); // no policy yet: the hub takes it
    ok(await d.api.setInboxMode(me, 'closed'));
    expect(ok(await d.api.refreshInbox(me))).toEqual({ notifications: 0, messages: 0 });
    expect(await d.api.listConversations(me)).toEqual([]);
    // The control: the same kind of message, once the inbox is open again, is kept.
    ok(await d.api.setInboxMode(me, 'open'));
    await sendDm(strangerKey, 'after it opened');
    expect(ok(await d.api.refreshInbox(me))).toEqual({ notifications: 0, messages: 1 });
  });

  test('another device of the pseudonym learns the mode and keeps the hub’s policy as it is', async () => {
    const one = await device();
    ok(await one.api.setInboxMode(me, 'closed'));
    await one.api.syncNow(me);
    const held = (await heldPolicy())!;
    const two = await device();
    await two.api.syncNow(me);
    expect((await two.api.getPrivateSettings(me)).inboxMode).toBe('closed');
    expect((await heldPolicy())!.seq).toBe(held.seq);
  });
});

describe('wantedPolicy', () => {
  const settings = (inboxMode: 'closed' | 'allowlist' | 'open' | 'public') => ({
    inboxMode,
    inboxAllow: [{ value: friend }, { value: me }],
  });
  test('closed admits the public follows, allowlist the named, never listing the owner', () => {
    expect(wantedPolicy(me, settings('closed'), [stranger, me, stranger]).senders).toEqual([stranger]);
    expect(wantedPolicy(me, settings('allowlist'), [stranger]).senders).toEqual([friend]);
    expect(wantedPolicy(me, settings('open'), [stranger]).senders).toEqual([]);
  });
  test('policySays tells a held policy that admits someone else from the wanted one', () => {
    const held = { type: 'inbox_policy', author: me, mode: 'open', seq: 1, ts: 1 } as const;
    expect(policySays(held, { mode: 'open', senders: [] })).toBe(true);
    expect(policySays(held, { mode: 'public', senders: [] })).toBe(false);
  });
});
