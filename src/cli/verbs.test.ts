/**
 * The social verbs of `murmur` as real processes (the built bundle) against a real hub process: each effect
 * checked as another command-line user sees it (a follower's timeline, a thread, a live stream), never by the
 * clock: a running `timeline --follow` is waited on line by line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createHubClient } from '../hub-client/client.ts';
import { hashBytes } from '../protocol/ids.ts';
import type { ProfileAnswer } from './commands/profile.ts';
import type { ThreadPost } from './read/thread.ts';
import type { TimelinePost } from './read/timeline.ts';
import type { CliUser } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile, runLong } from './testing/cli-world.ts';

const world = cliWorldForFile();

async function timelineOf(user: CliUser, ...options: string[]): Promise<TimelinePost[]> {
  return (await world.answer<{ posts: TimelinePost[] }>(user, ['timeline', '--limit', '500', ...options])).posts;
}

test(
  'timeline --follow prints, as NDJSON, a post another user makes while it runs; the home stays usable; ^C ends it',
  async () => {
    const alice = await world.initUser('alice', world.hub);
    const bob = await world.initUser('bob', world.hub);
    const before = await world.answer<{ id: string }>(alice.user, ['post', 'before the stream']);
    await world.answer(bob.user, ['follow', alice.handle]);

    const live = runLong(world.cli, bob.user, ['--json', 'timeline', '--follow']);
    try {
      await live.waitFor((line) => line.includes(before.id));
      await live.waitFor((text) => text.includes('Live: streaming 2 feeds.'), 'stderr');
      const during = await world.answer<{ id: string }>(alice.user, ['post', 'during the stream']);
      const line = await live.waitFor((l) => l.includes(during.id));
      expect(JSON.parse(line)).toMatchObject({ id: during.id, author: alice.id, handle: alice.handle, repost: null });

      // The stream holds no lock between events: bob's own post, from the same home, goes out and streams too.
      const mine = await world.answer<{ id: string }>(bob.user, ['post', 'mine, while following']);
      expect(mine).toMatchObject({ sent: true });
      await live.waitFor((l) => l.includes(mine.id));
    } finally {
      expect(await live.stop('SIGINT')).toBe(0);
    }
    const posts = live.lines().map((l) => JSON.parse(l) as TimelinePost);
    expect(posts.map((p) => p.body)).toEqual(['before the stream', 'during the stream', 'mine, while following']);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'timeline options: --handle, --since, --reverse, --limit, --has-media select and order; a bad span is Usage',
  async () => {
    const carol = await world.initUser('carol', world.hub);
    const dan = await world.initUser('dan', world.hub);
    await world.answer(dan.user, ['post', 'dan speaks']);
    for (const text of ['one', 'two', 'three']) await world.answer(carol.user, ['post', text]);
    await world.answer(dan.user, ['follow', carol.handle]);

    expect((await timelineOf(dan.user)).map((p) => p.body)).toEqual(['three', 'two', 'one', 'dan speaks']);
    expect((await timelineOf(dan.user, '--handle', 'carol')).map((p) => p.body)).toEqual(['three', 'two', 'one']);
    expect((await timelineOf(dan.user, '--handle', dan.handle)).map((p) => p.body)).toEqual(['dan speaks']);
    expect((await timelineOf(dan.user, '--reverse', '--limit', '2')).map((p) => p.body)).toEqual(['two', 'three']);
    expect(await timelineOf(dan.user, '--since', '1d')).toHaveLength(4);
    expect(await timelineOf(dan.user, '--has-media')).toEqual([]);
    expect(await world.answer(dan.user, ['timeline', '--since', 'yesterday'], 2)).toMatchObject({ error: 'Usage' });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'react, repost, reply, edit, delete, unfollow: each seen by the other users; misuse is named',
  async () => {
    const erin = await world.initUser('erin', world.hub);
    const finn = await world.initUser('finn', world.hub);
    const gail = await world.initUser('gail', world.hub);
    const first = await world.answer<{ id: string }>(erin.user, ['post', 'first words']);
    await world.answer(finn.user, ['follow', erin.handle]);
    await world.answer(erin.user, ['follow', finn.handle]);
    await world.answer(gail.user, ['follow', finn.handle]); // gail follows finn only

    expect(await world.answer(finn.user, ['react', first.id, '👍'])).toMatchObject({ on: true, sent: true });
    const reply = await world.answer<{ id: string }>(finn.user, ['post', 'well said', '--reply', first.id]);
    await world.answer(finn.user, ['repost', first.id]);
    // erin's thread shows finn's reaction and reply.
    const thread = (await world.answer<{ posts: ThreadPost[] }>(erin.user, ['thread', reply.id])).posts;
    expect(thread.map((p) => [p.id, p.depth, p.reactions])).toEqual([
      [first.id, 0, { '👍': [finn.id] }],
      [reply.id, 1, {}],
    ]);
    // gail, who follows finn only, sees erin's post as finn's repost.
    const shared = (await timelineOf(gail.user)).find((p) => p.id === first.id);
    expect(shared).toMatchObject({ author: erin.id, body: 'first words', repost: { by: finn.id } });

    await world.answer(finn.user, ['unreact', first.id, '👍']);
    expect((await world.answer<{ posts: ThreadPost[] }>(erin.user, ['thread', first.id])).posts[0]!.reactions).toEqual(
      {},
    );
    expect(await world.answer(erin.user, ['edit', first.id, 'better words'])).toMatchObject({ sent: true });
    expect((await timelineOf(finn.user)).find((p) => p.id === first.id)).toMatchObject({
      body: 'better words',
      edited: true,
    });
    expect(await world.answer(finn.user, ['edit', first.id, 'not mine'], 4)).toMatchObject({ error: 'Forbidden' });
    expect(await world.answer(finn.user, ['react', 'f'.repeat(64), '👍'], 5)).toMatchObject({ error: 'NotFound' });
    expect(await world.answer(finn.user, ['delete', 'nope'], 2)).toMatchObject({ error: 'MalformedId' });

    await world.answer(erin.user, ['delete', first.id]);
    expect((await timelineOf(finn.user)).map((p) => p.id)).not.toContain(first.id);
    // finn's own repost of it goes too: its author's feed, which finn holds, deleted it.
    expect((await timelineOf(finn.user)).filter((p) => p.repost !== null)).toEqual([]);

    expect(await world.answer(finn.user, ['unfollow', erin.handle])).toMatchObject({ target: erin.id, sent: true });
    const second = await world.answer<{ id: string }>(erin.user, ['post', 'after the unfollow']);
    expect((await timelineOf(finn.user)).map((p) => p.id)).not.toContain(second.id);
    expect(await world.answer(finn.user, ['unfollow', erin.handle], 5)).toMatchObject({ error: 'NotFound' });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a post the hub refuses exits 4 with its named error, and stays queued; hubs shows what each hub holds',
  async () => {
    const small = await world.hubProcess({ args: ['--blob-limit', '2000'] });
    const hal = await world.initUser('hal', small);
    const refused = await world.answer(hal.user, ['post', 'x'.repeat(3000)], 4);
    expect(refused).toMatchObject({ id: expect.any(String), sent: false, queued: 1, error: 'TooLarge' });
    expect(await world.answer(hal.user, ['status'])).toMatchObject({ queued: 1 });
    // hubs: the home hub holds the feed up to init's commit, not the refused post (seq 1 of 2); stopped, it is
    // unreachable.
    expect(await world.answer(hal.user, ['hubs'])).toEqual({
      seq: 2,
      hubs: [{ url: small.url, home: true, reachable: true, seq: 1 }],
    });
    await small.stop();
    expect(await world.answer(hal.user, ['hubs'])).toEqual({
      seq: 2,
      hubs: [{ url: small.url, home: true, reachable: false, seq: null, error: 'Offline' }],
    });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  "profile set (name, bio, avatar) is read by another user; --quote and --media show in a follower's timeline",
  async () => {
    const ivy = await world.initUser('ivy', world.hub);
    const jon = await world.initUser('jon', world.hub);
    const dir = await world.tempDir('murmur-cli-media-');
    const picture = join(dir, 'picture.png');
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    writeFileSync(picture, bytes);
    const set = [
      'profile',
      'set',
      '--name',
      'Ivy',
      '--bio',
      'makes things',
      '--topics',
      'Wood, #craft',
      '--avatar',
      picture,
    ];
    expect(await world.answer(ivy.user, set)).toMatchObject({ id: ivy.id, sent: true });
    // jon does not follow ivy: her feed is fetched by handle; the avatar's bytes are on the hub.
    const seen = await world.answer<ProfileAnswer>(jon.user, ['profile', ivy.handle]);
    expect(seen).toEqual({
      id: ivy.id,
      handle: ivy.handle,
      name: 'Ivy',
      bio: 'makes things',
      links: [],
      topics: ['craft', 'wood'],
      avatar: hashBytes(bytes),
      posts: 0,
      following: 0,
      agents: [],
    });
    expect(new Uint8Array(await createHubClient(world.hub.url, fetch).getBlob(seen.avatar!))).toEqual(bytes);

    const quoted = await world.answer<{ id: string }>(ivy.user, ['post', 'the original']);
    const look = await world.answer<{ id: string }>(ivy.user, [
      'post',
      'look',
      '--quote',
      quoted.id,
      '--media',
      picture,
    ]);
    await world.answer(jon.user, ['follow', ivy.handle]);
    expect(await timelineOf(jon.user, '--has-media')).toEqual([
      expect.objectContaining({ id: look.id, body: 'look', quoteOf: quoted.id, media: [hashBytes(bytes)] }),
    ]);
    const missing = ['post', 'lost', '--media', join(dir, 'missing.png')];
    expect(await world.answer(ivy.user, missing, 5)).toMatchObject({ error: 'NotFound' });
    expect(await world.answer(ivy.user, ['profile'])).toMatchObject({ name: 'Ivy', posts: 2 });
    expect(await world.answer(ivy.user, ['profile', 'set'], 2)).toMatchObject({ error: 'InvalidField' });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'mute (word, tag, user) and block hide posts until taken back; a published draft reaches a follower once',
  async () => {
    const kim = await world.initUser('kim', world.hub);
    const lee = await world.initUser('lee', world.hub);
    await world.answer(kim.user, ['post', 'a cat picture', '--tag', 'Cats']);
    await world.answer(kim.user, ['post', 'the ending, SPOILERS ahead']);
    await world.answer(kim.user, ['post', 'plain words']);
    await world.answer(lee.user, ['follow', kim.handle]);
    const bodies = async () => (await timelineOf(lee.user)).map((p) => p.body);
    expect(await bodies()).toEqual(['plain words', 'the ending, SPOILERS ahead', 'a cat picture']);

    await world.answer(lee.user, ['mute', 'word', 'spoilers']);
    expect(await world.answer(lee.user, ['mute', 'tag', '#cats'])).toMatchObject({
      mutedWords: [expect.objectContaining({ value: 'spoilers' })],
      mutedTags: [expect.objectContaining({ value: 'cats' })],
    });
    expect(await bodies()).toEqual(['plain words']);
    await world.answer(lee.user, ['unmute', 'word', 'spoilers']);
    await world.answer(lee.user, ['unmute', 'tag', 'cats']);
    await world.answer(lee.user, ['mute', 'user', kim.handle]);
    expect(await bodies()).toEqual([]);
    await world.answer(lee.user, ['unmute', 'user', kim.handle]);
    expect(await world.answer(lee.user, ['block', kim.handle])).toMatchObject({ blocked: [{ value: kim.id }] });
    expect(await bodies()).toEqual([]);
    await world.answer(lee.user, ['unblock', kim.id]);
    expect(await world.answer(lee.user, ['mutes'])).toEqual({
      mutedUsers: [],
      mutedWords: [],
      mutedTags: [],
      blocked: [],
    });
    expect(await bodies()).toHaveLength(3);
    expect(await world.answer(lee.user, ['mute', 'colour', 'red'], 2)).toMatchObject({ error: 'InvalidField' });

    const saved = await world.answer<{ id: string; body: string }>(lee.user, ['draft', 'words for later']);
    expect(await world.answer(lee.user, ['drafts'])).toEqual({ drafts: [expect.objectContaining(saved)] });
    const posted = await world.answer<{ id: string }>(lee.user, ['publish', saved.id]);
    expect(posted).toMatchObject({ draft: saved.id, sent: true });
    expect(await world.answer(lee.user, ['drafts'])).toEqual({ drafts: [] });
    expect(await world.answer(lee.user, ['publish', saved.id], 5)).toMatchObject({ error: 'NotFound' });
    await world.answer(kim.user, ['follow', lee.handle]);
    expect((await timelineOf(kim.user)).filter((p) => p.author === lee.id)).toEqual([
      expect.objectContaining({ id: posted.id, body: 'words for later' }),
    ]);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a long answer piped to another process arrives whole (it waits for the pipe before it exits)',
  async () => {
    const { user } = await world.initUser('drafty', world.hub);
    // About 770 KB of JSON in all, far past a pipe's 64 KiB buffer (a draft holds at most 16,384 characters).
    const bodies = Array.from({ length: 48 }, (_, i) => `${i} ${'words for later '.repeat(1000)}`);
    for (const body of bodies) await world.answer(user, ['draft', body]);
    const { drafts } = await world.answer<{ drafts: { body: string }[] }>(user, ['drafts']);
    expect(drafts.map((d) => d.body).sort()).toEqual([...bodies].sort());
  },
  CLI_TEST_TIMEOUT_MS,
);
