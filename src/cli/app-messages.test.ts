/**
 * The command line and the app speak the same messages: the app's core (the worker's code over fake
 * IndexedDB, in this process) and `murmur` (the built bundle, as processes) on one real hub process. A DM
 * from the command line is read in the app, the app's answer is read by `dms`, and a reaction made on the
 * command line reaches the app's notifications.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PseudonymId } from '../protocol/ids.ts';
import { type Device, openDevice } from '../../workers/testing/device.ts';
import { waitFor } from '../../workers/testing/wait.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';
import { ok } from '../../workers/testing/ok.ts';

const world = cliWorldForFile();
let app: Device;
beforeAll(async () => {
  app = await openDevice({ deps: { inboxPollMs: 60_000 } });
}, CLI_TEST_TIMEOUT_MS);
afterAll(() => app?.close());

const synced = (p: PseudonymId) =>
  waitFor(
    'synced',
    () => app.api.getSyncStatus(p),
    (s) => s.state === 'synced',
  );

test(
  'a DM from murmur is read in the app, the answer in murmur; a reaction in murmur is an app notification',
  async () => {
    const host = new URL(world.hub.url).host;
    const amy = (await app.api.createPseudonym({ name: 'Amy', homeHub: world.hub.url })).id;
    ok(await app.api.claimHandle(amy, 'amy'));
    ok(await app.api.enableMessages(amy));
    const post = ok(await app.api.post(amy, 'posted in the app'));
    await synced(amy);
    const bo = await world.initUser('bo', world.hub);

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
      expect.objectContaining({ kind: 'follow', from: bo.id }), // a follow from murmur reaches the app too
    ]);
  },
  CLI_TEST_TIMEOUT_MS,
);
