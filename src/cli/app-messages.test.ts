/**
 * The command line and the app speak the same messages: the app's core (the worker's code over fake
 * IndexedDB, in this process) and `murmur` (the built bundle, as processes) on one real hub process. A DM
 * from the command line is read in the app, the app's answer is read by `dms`, and a reaction made on the
 * command line reaches the app's notifications.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PseudonymId } from '../protocol/ids.ts';
import type { HubProcess } from '../hub/testing/hub-process.ts';
import { type Device, openDevice } from '../../workers/testing/device.ts';
import { waitFor } from '../../workers/testing/wait.ts';
import { type CliWorld, cliWorld } from './testing/cli-world.ts';
import { ok } from '../../workers/testing/ok.ts';

/** A bound, not a guess: as in cli.test.ts, node processes on a machine that may be busy. */
const TEST_TIMEOUT_MS = 300_000;

let world: CliWorld;
let hub: HubProcess;
let app: Device;
beforeAll(async () => {
  world = await cliWorld();
  hub = await world.hubProcess();
  app = await openDevice({ deps: { inboxPollMs: 60_000 } });
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await app?.close();
  await world?.close();
});

const synced = (p: PseudonymId) =>
  waitFor(
    'synced',
    () => app.api.getSyncStatus(p),
    (s) => s.state === 'synced',
  );

test(
  'a DM from murmur is read in the app, the answer in murmur; a reaction in murmur is an app notification',
  async () => {
    const host = new URL(hub.url).host;
    const amy = (await app.api.createPseudonym({ name: 'Amy', homeHub: hub.url })).id;
    ok(await app.api.claimHandle(amy, 'amy'));
    ok(await app.api.enableMessages(amy));
    const post = ok(await app.api.post(amy, 'posted in the app'));
    await synced(amy);
    const bo = await world.initUser('bo', hub);

    expect(await world.answer(bo.user, ['dm', `amy@${host}`, 'from the shell'])).toMatchObject({ sent: true });
    ok(await app.api.refreshInbox(amy));
    expect(await app.api.listConversations(amy)).toEqual([
      expect.objectContaining({ peer: bo.id, unread: 1, last: expect.objectContaining({ body: 'from the shell' }) }),
    ]);

    expect(ok(await app.api.openConversation(amy, bo.handle))).toEqual({ peer: bo.id });
    ok(await app.api.sendMessage(amy, bo.id, 'from the app'));
    await waitFor(
      'the answer delivered',
      () => app.db.count('deliveries'),
      (n) => n === 0,
    );
    const thread = await world.answer<{ messages: { direction: string; body: string }[] }>(bo.user, [
      'dms',
      `amy@${host}`,
    ]);
    expect(thread.messages.map((m) => [m.direction, m.body])).toEqual([
      ['out', 'from the shell'],
      ['in', 'from the app'],
    ]);

    await world.answer(bo.user, ['follow', `amy@${host}`]);
    await world.answer(bo.user, ['react', post.id, '🎉']);
    ok(await app.api.refreshInbox(amy));
    expect(await app.api.listNotifications(amy, { limit: 10 })).toEqual([
      expect.objectContaining({ kind: 'react', from: bo.id, subject: post.id, emoji: '🎉' }),
    ]);
  },
  TEST_TIMEOUT_MS,
);
