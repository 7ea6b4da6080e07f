/**
 * `murmur hive ...` as real processes on two real hubs (issue 21 point 5):
 * Olive makes a hive and a moderator, then her home is never used again; Ben
 * (hub B) and Mia (hub A) join, post, comment two deep and vote; Eve posts
 * without joining; Dave only reads. Every reader's JSON is the same view; the
 * moderator removes a post with a reason and bans a member, and the log says
 * so. A vote that is not up, down or none is a usage error.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { CliUser } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

interface Shown {
  readonly name: string;
  readonly posts: { id: string; title: string; ups: number; downs: number; comments: number; authorName: string }[];
  readonly comments?: { body: string; replies: { body: string }[] }[];
  readonly log: { action: string; reason?: string; by: string; byName: string }[];
  readonly members: { id: string; admitted: boolean }[];
}

test(
  'make, join, post, comment two deep, vote, moderate: every reader sees the same, the owner gone after the start',
  async () => {
    const hubB = await world.hubProcess();
    const olive = await world.initUser('olive', world.hub);
    const mia = await world.initUser('mia', world.hub);
    const ben = await world.initUser('ben', hubB);
    const eve = await world.initUser('eve', hubB);
    const dave = await world.initUser('dave', hubB);
    const made = await world.answer<{ hive: string; link: string; sent: boolean }>(olive.user, [
      ...['hive', 'create', 'Herons', '--rules', 'Be kind to birds'],
    ]);
    expect(made).toMatchObject({
      sent: true,
      link: `${world.hub.url}/#/hives/${made.hive}?hub=${encodeURIComponent(world.hub.url)}`,
    });
    await world.answer(olive.user, ['hive', 'mod', made.link, 'add-mod', mia.handle]);
    // Olive's home is not used again for this hive.

    const { link } = made;
    await world.answer(ben.user, ['hive', 'join', link]);
    await world.answer(mia.user, ['hive', 'join', link]);
    const post = await world.answer<{ id: string }>(ben.user, [
      'hive',
      'post',
      link,
      '--title',
      'A heron',
      '--body',
      'at dawn',
    ]);
    await world.answer(eve.user, [
      'hive',
      'post',
      link,
      '--title',
      'Cheap feathers',
      '--link',
      'https://spam.example/',
    ]);
    const top = await world.answer<{ id: string }>(mia.user, ['hive', 'comment', link, post.id, 'Lovely']);
    await world.answer(ben.user, ['hive', 'comment', link, post.id, 'Thanks!', '--parent', top.id]);
    for (const vote of ['down', 'up']) await world.answer(mia.user, ['hive', 'vote', link, post.id, vote]);
    await world.answer(ben.user, ['hive', 'vote', link, top.id, 'up']);
    await world.answer(ben.user, ['hive', 'vote', link, top.id, 'none']);

    const seen = await world.answer<Shown>(dave.user, ['hive', 'show', link, '--post', post.id]);
    expect(seen.name).toBe('Herons');
    // Dave follows nobody: Ben is named by the profile his feed publishes, fetched to name him.
    expect(seen.posts).toEqual([
      expect.objectContaining({ id: post.id, title: 'A heron', ups: 1, downs: 0, comments: 2, authorName: 'ben' }),
    ]);
    expect(seen.comments).toMatchObject([{ body: 'Lovely', replies: [{ body: 'Thanks!', replies: [] }] }]);
    // Who is named how depends on whom each device knows; the rest is one view.
    const unnamed = (shown: Shown) =>
      JSON.stringify({ ...shown, members: shown.members.length }, (key, value) =>
        key === 'authorName' || key === 'byName' ? undefined : value,
      );
    for (const reader of [ben, mia, eve])
      expect(unnamed(await world.answer<Shown>(reader.user, ['hive', 'show', link, '--post', post.id]))).toBe(
        unnamed(seen),
      );
    const top3 = await world.answer<Shown>(dave.user, [
      'hive',
      'show',
      made.hive,
      '--hub',
      world.hub.url,
      '--sort',
      'top',
      '--window',
      'day',
    ]);
    expect(top3.posts.map((p) => p.title)).toEqual(['A heron']);

    // Mia moderates through an agent holding a delegated key for hive ops, not her own key.
    const dir = await world.tempDir('murmur-hive-agent-');
    const file = join(dir, 'modbot.json');
    await world.answer(mia.user, ['agent', 'add', 'modbot', '--model', 'm-1', '--scope', 'hives', '--out', file]);
    const modbot: CliUser = {
      home: join(dir, 'modbot-home'),
      passphrase: mia.user.passphrase,
      env: { PATH: process.env.PATH, HOME: dir, MURMUR_AGENT_KEY: file, MURMUR_PASSPHRASE: mia.user.passphrase },
    };
    await world.answer(modbot, ['hive', 'mod', link, 'remove', post.id, '--reason', 'off topic']);
    await world.answer(mia.user, ['hive', 'mod', link, 'ban', ben.handle]);
    const after = await world.answer<Shown>(dave.user, ['hive', 'show', link]);
    expect(after.posts).toEqual([]);
    // The owner's word is the hive's own key; the agent's removal is Mia's.
    expect(after.log.map((l) => [l.action, l.by, l.reason])).toEqual([
      ['charter', made.hive, undefined],
      ['mod_add', made.hive, undefined],
      ['remove', mia.id, 'off topic'],
      ['ban', mia.id, undefined],
    ]);
    expect(after.members.find((m) => m.id === ben.id)).toMatchObject({ admitted: false });

    const listed = await world.answer<{ hives: { hive: string; name?: string }[] }>(ben.user, ['hive', 'list']);
    expect(listed.hives).toMatchObject([{ hive: made.hive, name: 'Herons' }]);
    await world.answer(dave.user, ['hive', 'vote', link, post.id, 'sideways'], 2);
    // Listed: found in the directory of a reader on its hub, by the handle its key claimed there.
    const birds = await world.answer<{ hive: string }>(olive.user, ['hive', 'create', 'Birds', '--listed']);
    const { hives } = await world.answer<{ hives: { hive: string; handle: string }[] }>(mia.user, ['hive', 'discover']);
    expect(hives).toEqual([
      expect.objectContaining({ hive: birds.hive, handle: `birds@${new URL(world.hub.url).host}` }),
    ]);
  },
  CLI_TEST_TIMEOUT_MS,
);
