/**
 * A message sent from one device of a pseudonym shows on its other devices
 * (through the sealed private document, since the DM itself is sealed to the
 * recipient), as sent, once, and is delivered to the recipient once.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import type { Change } from '../api/api-types.ts';
import { recordSent, sentOf } from '../private/sent.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

let hubA: TestHub;
let hubB: TestHub;
let phone: Device;
let laptop: Device;
let b: Device;
let bob: PseudonymId;
const secretKey = secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
const alice = pseudonymOf(secretKey);

// Long timers: the test drives private sync with syncNow.
const deps = { inboxPollMs: 600_000, privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } };

beforeAll(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
  const row = { id: alice, name: 'Alice', hubs: [hubA.url], createdAt: 1, secretKey };
  [phone, laptop, b] = await Promise.all([
    openDevice({ pseudonyms: [row], deps }),
    openDevice({ pseudonyms: [row], deps }),
    openDevice({ deps }),
  ]);
  bob = (await b.api.createPseudonym({ name: 'Bob', homeHub: hubB.url })).id;
  ok(await b.api.claimHandle(bob, 'bob'));
  ok(await b.api.enableMessages(bob));
  await waitFor(
    'bob synced',
    () => b.api.getSyncStatus(bob),
    (s) => s.state === 'synced',
  );
});
afterAll(async () => {
  await Promise.all([phone?.close(), laptop?.close(), b?.close()]);
  await Promise.all([hubA?.stop(), hubB?.stop()]);
});

test('a message sent on the phone shows on the laptop as sent, once, and reaches Bob once', async () => {
  ok(await phone.api.openConversation(alice, `bob@${hubB.host}`));
  const body = 'sent from my phone';
  const { id } = ok(await phone.api.sendMessage(alice, bob, body));
  await waitFor(
    'delivered',
    () => phone.api.listMessages(alice, bob),
    (m) => m[0]?.state === 'sent',
  );

  const seen: Change[] = [];
  const unsubscribe = await laptop.api.subscribe((c) => seen.push(c));
  expect(await laptop.api.listMessages(alice, bob)).toEqual([]);
  await phone.api.syncNow(alice);
  await laptop.api.syncNow(alice);
  await waitFor(
    'on the laptop',
    () => laptop.api.listMessages(alice, bob),
    (m) => m.length === 1,
  );
  expect(await laptop.api.listMessages(alice, bob)).toEqual([
    expect.objectContaining({ id, body, direction: 'out', state: 'sent' }),
  ]);
  expect((await laptop.api.listConversations(alice))[0]).toMatchObject({ peer: bob, last: { id, body } });
  expect(seen).toContainEqual({ kind: 'messages', pseudonym: alice });
  unsubscribe();

  // Syncing again adopts nothing twice, and the laptop delivers nothing: Bob has the message once.
  await phone.api.syncNow(alice);
  await laptop.api.syncNow(alice);
  expect(await laptop.api.listMessages(alice, bob)).toHaveLength(1);
  ok(await b.api.refreshInbox(bob));
  ok(await b.api.refreshInbox(bob));
  expect((await b.api.listMessages(bob, alice)).map((m) => [m.body, m.direction])).toEqual([[body, 'in']]);
});

test('entries of the sent list that are not well formed are left out', () => {
  const doc = new Y.Doc();
  const good = { id: 'ab'.repeat(32) as never, peer: 'cd'.repeat(32) as never, body: 'hi', ts: 5 };
  recordSent(doc, good);
  recordSent(doc, { ...good, body: 'a second write under the same id changes nothing' });
  const map = doc.getMap<unknown>('sentMessages');
  map.set('not-an-id', { peer: good.peer, body: 'x', ts: 1 });
  map.set('ef'.repeat(32), { peer: 'someone', body: 'x', ts: 1 });
  map.set('01'.repeat(32), { peer: good.peer, body: 42, ts: 1 });
  map.set('02'.repeat(32), { peer: good.peer, body: 'x', ts: 1.5 });
  map.set('03'.repeat(32), 'just text');
  expect(sentOf(doc)).toEqual([good]);
});
