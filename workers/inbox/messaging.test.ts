/**
 * DMs and notifications between devices on two real hubs: sealed messages
 * queued offline and delivered once, answers back, the hub's files never
 * holding the text, and notifications from someone the recipient does not
 * follow, per pseudonym.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type Device, openDevice, waitSynced } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';
import { ok } from '../testing/ok.ts';

let hubA: TestHub;
let hubB: TestHub;
let a: Device;
let b: Device;
let alice: PseudonymId;
let bob: PseudonymId;

async function filesOf(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return out;
}

beforeAll(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
  [a, b] = await Promise.all([
    openDevice({ deps: { inboxPollMs: 60_000 } }),
    openDevice({ deps: { inboxPollMs: 60_000 } }),
  ]);
  alice = (await a.api.createPseudonym({ name: 'Alice', homeHub: hubA.url })).id;
  bob = (await b.api.createPseudonym({ name: 'Bob', homeHub: hubB.url })).id;
  ok(await a.api.claimHandle(alice, 'alice'));
  ok(await b.api.claimHandle(bob, 'bob'));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await Promise.all([hubA?.stop(), hubB?.stop()]);
});

test('a DM to someone who has not published a key is refused by name and stores nothing', async () => {
  const opened = await a.api.openConversation(alice, `bob@${hubB.host}`);
  expect(opened).toMatchObject({ ok: false, error: 'NoDmKey' });
  expect(await a.api.listConversations(alice)).toEqual([]);
});

test('a DM queued offline is delivered once to the other hub, opened there, and answered back', async () => {
  ok(await b.api.enableMessages(bob));
  expect(ok(await b.api.enableMessages(bob))).toEqual({ published: false }); // once only
  await waitSynced(b, bob);
  const { peer } = ok(await a.api.openConversation(alice, `bob@${hubB.host}`));
  expect(peer).toBe(bob);
  ok(await a.api.enableMessages(alice));

  a.net.down = true;
  await a.api.setOnline(false);
  const body = 'the plaintext that no hub may ever store: marmalade 7731';
  const { id } = ok(await a.api.sendMessage(alice, bob, body));
  expect(await a.api.listMessages(alice, bob)).toEqual([
    expect.objectContaining({ id, body, direction: 'out', state: 'queued' }),
  ]);
  expect((await a.api.listConversations(alice))[0]).toMatchObject({
    peer: bob,
    peerHandle: `bob@${hubB.host}`,
    last: { body },
  });

  a.net.down = false;
  await a.api.setOnline(true);
  await waitFor(
    'sent',
    () => a.api.listMessages(alice, bob),
    (m) => m[0]?.state === 'sent',
  );
  await a.api.syncNow(alice); // a second pass finds nothing queued
  expect(a.net.log.filter((l) => l === `POST /v1/inbox/${bob}`)).toHaveLength(1);

  ok(await b.api.refreshInbox(bob));
  ok(await b.api.refreshInbox(bob)); // pulling again adds nothing
  const received = await b.api.listMessages(bob, alice);
  expect(received).toEqual([expect.objectContaining({ id, body, direction: 'in', state: 'received' })]);
  expect((await b.api.listConversations(bob))[0]).toMatchObject({ peer: alice, unread: 1 });
  await b.api.markConversationRead(bob, alice);
  expect((await b.api.listConversations(bob))[0]).toMatchObject({ unread: 0 });

  // Bob answers with what the message itself told him (Alice's DM key and hub): no lookup, no follow.
  ok(await b.api.sendMessage(bob, alice, 'got it'));
  await waitFor(
    'answer sent',
    () => b.api.listMessages(bob, alice),
    (m) => m.at(-1)?.state === 'sent',
  );
  ok(await a.api.refreshInbox(alice));
  expect((await a.api.listMessages(alice, bob)).map((m) => [m.direction, m.body])).toEqual([
    ['out', body],
    ['in', 'got it'],
  ]);

  for (const bytes of [...(await filesOf(hubB.dataDir)), ...(await filesOf(hubA.dataDir))]) {
    expect(bytes.includes('marmalade 7731')).toBe(false);
    expect(bytes.includes('got it')).toBe(false);
  }
});

test('a reply and a reaction from one alice does not follow: her notifications, unread, per pseudonym', async () => {
  const post = ok(await a.api.post(alice, 'a post worth answering'));
  await waitSynced(a, alice);
  ok(await b.api.follow(bob, `alice@${hubA.host}`)); // bob follows alice; alice does not follow bob
  await waitFor(
    'bob holds the post',
    () => b.api.listTimeline(bob, { limit: 10 }),
    (items) => items.some((i) => i.id === post.id),
  );
  const reply = ok(await b.api.post(bob, `a reply, @alice@${hubA.host}`, { replyTo: post.id }));
  ok(await b.api.react(bob, post.id, '🎉'));
  await waitFor(
    'notices delivered',
    () => b.db.count('deliveries'),
    (n) => n === 0,
  );

  ok(await a.api.refreshInbox(alice));
  const items = await a.api.listNotifications(alice, { limit: 20 });
  expect(items.map((n) => n.kind).sort()).toEqual(['follow', 'mention', 'react', 'reply']); // bob followed her
  expect(items.find((n) => n.kind === 'reply')).toMatchObject({
    from: bob,
    subject: post.id,
    object: reply.id,
    body: `a reply, @alice@${hubA.host}`,
    read: false,
  });
  expect(items.find((n) => n.kind === 'react')).toMatchObject({ from: bob, subject: post.id, emoji: '🎉' });
  expect(await a.api.countUnreadNotifications(alice)).toBe(4);

  const other = await a.api.createPseudonym({ name: 'Alt', homeHub: hubA.url });
  expect(await a.api.listNotifications(other.id, { limit: 20 })).toEqual([]);
  expect(await a.api.countUnreadNotifications(other.id)).toBe(0);

  await a.api.markNotificationsRead(alice, [items[0]!.id]);
  expect(await a.api.countUnreadNotifications(alice)).toBe(3);
  await a.api.markNotificationsRead(alice);
  expect(await a.api.countUnreadNotifications(alice)).toBe(0);
  ok(await a.api.refreshInbox(alice));
  expect(await a.api.listNotifications(alice, { limit: 20 })).toHaveLength(4); // pulled again: kept once, still read
  expect(await a.api.countUnreadNotifications(alice)).toBe(0);
});

test('a quote and a repost by someone alice does not follow become her notifications too', async () => {
  const post = ok(await a.api.post(alice, 'quotable'));
  await waitSynced(a, alice);
  ok(await b.api.follow(bob, `alice@${hubA.host}`));
  await waitFor(
    'bob holds the post',
    () => b.api.listTimeline(bob, { limit: 10 }),
    (items) => items.some((i) => i.id === post.id),
  );
  const quote = ok(await b.api.post(bob, 'worth reading', { quoteOf: post.id }));
  ok(await b.api.repost(bob, post.id));
  await waitFor(
    'notices delivered',
    () => b.db.count('deliveries'),
    (n) => n === 0,
  );

  ok(await a.api.refreshInbox(alice));
  const items = (await a.api.listNotifications(alice, { limit: 20 })).filter((n) => n.subject === post.id);
  expect(items.map((n) => n.kind).sort()).toEqual(['quote', 'repost']);
  expect(items.find((n) => n.kind === 'quote')).toMatchObject({
    from: bob,
    subject: post.id,
    object: quote.id,
    body: 'worth reading',
  });
  expect(items.find((n) => n.kind === 'repost')).toMatchObject({ from: bob, subject: post.id });
});
