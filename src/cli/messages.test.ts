/**
 * `dm`, `dms` and `notifications` as real processes (the built bundle) against real hub processes: two homes
 * write to each other and each reads the other's words decrypted; a reply, a reaction and a repost reach the
 * author's notifications with who did it; a DM written while the peer's hub is down waits on disk and goes out
 * once with `sync`.
 */
import { expect, test } from 'vitest';
import type { ConversationLine, NotificationLine } from './words/message-words.ts';
import { murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

interface Thread {
  readonly peer: string;
  readonly handle: string;
  readonly messages: { direction: 'in' | 'out'; body: string; state: string }[];
}

test(
  'two homes exchange DMs both ways and each reads them with dms, by handle; an unknown handle is NotFound',
  async () => {
    const ann = await world.initUser('ann', world.hub);
    const ben = await world.initUser('ben', world.hub);
    // Opening one's messages publishes one's key for them, as the app's Messages does: now ann can write.
    expect(await world.answer(ben.user, ['dms'])).toEqual({ conversations: [] });
    const hello = await world.answer(ann.user, ['dm', ben.handle, 'hello ben']);
    expect(hello).toEqual({ id: expect.any(String), to: ben.id, handle: ben.handle, sent: true, queued: 0 });
    // ben answers by handle: ann's key came with her first message's commit, fetched from her feed.
    expect(await world.answer(ben.user, ['dm', ann.handle, 'hi ann'])).toMatchObject({ to: ann.id, sent: true });

    const list = (await world.answer<{ conversations: ConversationLine[] }>(ben.user, ['dms'])).conversations;
    expect(list).toEqual([
      expect.objectContaining({
        peer: ann.id,
        handle: ann.handle,
        unread: 1,
        last: expect.objectContaining({ direction: 'out', body: 'hi ann', state: 'sent' }),
      }),
    ]);
    const benReads = await world.answer<Thread>(ben.user, ['dms', ann.handle]);
    expect(benReads).toMatchObject({ peer: ann.id, handle: ann.handle });
    expect(benReads.messages.map((m) => [m.direction, m.body])).toEqual([
      ['in', 'hello ben'],
      ['out', 'hi ann'],
    ]);
    expect((await world.answer<{ conversations: ConversationLine[] }>(ben.user, ['dms'])).conversations).toEqual([
      expect.objectContaining({ unread: 0 }),
    ]);
    const annReads = await world.answer<Thread>(ann.user, ['dms', ben.handle]);
    expect(annReads.messages.map((m) => [m.direction, m.body, m.state])).toEqual([
      ['out', 'hello ben', 'sent'],
      ['in', 'hi ann', 'received'],
    ]);

    // In words: aligned, by handle, with how long ago; never the key.
    const words = await murmur(world.cli, ann.user, ['dms']);
    expect(words).toMatchObject({ code: 0, stderr: '' });
    expect(words.stdout).toMatch(new RegExp(`^${ben.handle.replaceAll('.', '\\.')}  \\d+[smh] ago  .*hi ann`));
    expect(words.stdout).not.toContain(ben.id.slice(0, 12));

    const nobody = `nobody@${new URL(world.hub.url).host}`;
    expect(await world.answer(ann.user, ['dm', nobody, 'anyone?'], 5)).toMatchObject({ error: 'NotFound' });
    expect(await world.answer(ann.user, ['dm', ann.handle, 'me?'], 2)).toMatchObject({ error: 'InvalidField' });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  "a reply, a reaction and a repost show in the author's notifications, newest first, by handle; then read",
  async () => {
    const cat = await world.initUser('cat', world.hub);
    const dan = await world.initUser('dan', world.hub);
    const post = await world.answer<{ id: string }>(cat.user, ['post', 'a post to answer']);
    await world.answer(dan.user, ['follow', cat.handle]);
    await world.answer(cat.user, ['follow', dan.handle]);
    await world.answer(dan.user, ['react', post.id, '👍']);
    const reply = await world.answer<{ id: string }>(dan.user, ['post', 'well put', '--reply', post.id]);
    await world.answer(dan.user, ['repost', post.id]);

    const seen = (await world.answer<{ notifications: NotificationLine[] }>(cat.user, ['notifications'])).notifications;
    expect(seen.map((n) => [n.kind, n.from, n.handle, n.subject, n.read])).toEqual([
      ['repost', dan.id, dan.handle, post.id, false],
      ['reply', dan.id, dan.handle, post.id, false],
      ['react', dan.id, dan.handle, post.id, false],
      ['follow', dan.id, dan.handle, null, false], // his follow tells her too
    ]);
    expect(seen[1]).toMatchObject({ object: reply.id, body: 'well put' });
    expect(seen[2]).toMatchObject({ emoji: '👍' });
    // Listed once: read from then on. The other way, dan has only her follow.
    const again = (await world.answer<{ notifications: NotificationLine[] }>(cat.user, ['notifications']))
      .notifications;
    expect(again.map((n) => n.read)).toEqual([true, true, true, true]);
    const atDan = (await world.answer<{ notifications: NotificationLine[] }>(dan.user, ['notifications']))
      .notifications;
    expect(atDan.map((n) => [n.kind, n.from])).toEqual([['follow', cat.id]]);

    const words = await murmur(world.cli, cat.user, ['notifications', '--limit', '2']);
    expect(words).toMatchObject({ code: 0, stderr: '' });
    const lines = words.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/dan@\S+ +\d+[smh] ago +reposted your post$/);
    expect(lines[1]).toMatch(/dan@\S+ +\d+[smh] ago +replied "well put"$/);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  "a DM while the peer's hub is down is queued on disk (exit 0) and sent once by sync; the peer reads it once",
  async () => {
    const dir = await world.tempDir('murmur-cli-hub-');
    let hubB = await world.hubProcess({ dataDir: dir });
    const eve = await world.initUser('eve', hubB);
    const fay = await world.initUser('fay', world.hub);
    await world.answer(eve.user, ['dms']); // publishes eve's key
    await world.answer(fay.user, ['follow', eve.handle]); // fay holds eve's feed, her key and her hub

    await hubB.stop();
    const queued = await world.answer(fay.user, ['dm', eve.handle, 'while you were away']);
    expect(queued).toMatchObject({ to: eve.id, sent: false, queued: 1, reason: expect.any(String) });
    const waiting = await world.answer<Thread>(fay.user, ['dms', eve.handle]);
    expect(waiting.messages).toEqual([expect.objectContaining({ body: 'while you were away', state: 'queued' })]);

    hubB = await world.hubProcess({ dataDir: dir, port: hubB.port });
    expect(await world.answer(fay.user, ['sync'])).toMatchObject({ deliveries: 0 });
    expect(await world.answer(fay.user, ['sync'])).toMatchObject({ deliveries: 0 });
    const read = await world.answer<Thread>(eve.user, ['dms', fay.handle]);
    expect(read.messages.map((m) => [m.direction, m.body])).toEqual([['in', 'while you were away']]);
    const sent = await world.answer<Thread>(fay.user, ['dms', eve.handle]);
    expect(sent.messages).toEqual([expect.objectContaining({ state: 'sent' })]);
  },
  CLI_TEST_TIMEOUT_MS,
);
