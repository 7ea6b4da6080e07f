/**
 * `murmur search` as real processes (the built bundle) against a real hub process: each form of the app's
 * query language finds what it should among what the home holds and nothing else; an edit is found by its new
 * words only, a delete never, a muted author no more; pages follow the cursor; `--json` gives timeline's posts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { TimelinePost } from './read/timeline.ts';
import { type CliUser, murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

interface Found {
  readonly posts: TimelinePost[];
  readonly cursor: string | null;
}

/** The UTC day of `ts`, moved by `days`, as since:/until: take it. */
function dayOf(ts: number, days = 0): string {
  return new Date(ts + days * 86_400_000).toISOString().slice(0, 10);
}

test(
  'every query form finds what it should and nothing else; edits by their new words, deletes and mutes never',
  async () => {
    const alice = await world.initUser('alice', world.hub);
    const bob = await world.initUser('bob', world.hub);
    const carol = await world.initUser('carol', world.hub);
    const dave = await world.initUser('dave', world.hub);
    const image = join(await world.tempDir('murmur-search-'), 'photo.png');
    writeFileSync(image, Buffer.from('not really a png, but bytes all the same'));
    const say = async (who: { user: CliUser }, ...args: string[]) =>
      (await world.answer<{ id: string }>(who.user, ['post', ...args])).id;
    const valley = await say(alice, 'rain in the valley #weather');
    const photo = await say(alice, 'a photo of the rainbow', '--media', image, '--tag', 'pics');
    const thought = await say(alice, 'first draft of a thought');
    const soup = await say(alice, 'rutabaga soup recipe');
    const roof = await say(carol, "rain over carol's roof");
    const umbrella = await say(dave, 'umbrella day from dave', '--tag', 'weather');
    await say(dave, 'rain from a stranger'); // dave is followed by no one bob follows: never found
    const own = await say(bob, 'my own rain story');
    await world.answer(alice.user, ['edit', thought, 'final wording of a thought']);
    await world.answer(alice.user, ['delete', soup]);
    await world.answer(alice.user, ['follow', dave.handle]);
    await world.answer(alice.user, ['repost', umbrella]);
    await world.answer(bob.user, ['follow', alice.handle]);
    await world.answer(bob.user, ['follow', carol.handle]);

    const search = (...args: string[]) => world.answer<Found>(bob.user, ['search', ...args]);
    const ids = async (...args: string[]) => (await search(...args)).posts.map((p) => p.id);
    const first = (await search('valley')).posts[0]!;
    const cases: [string[], string[]][] = [
      // The last word is a prefix (rain finds rainbow); a trailing space, or a word not last, is whole.
      [['rain'], [own, roof, photo, valley]],
      [['rain '], [own, roof, valley]],
      [['rain', 'valley'], [valley]],
      [['rai', 'valley'], []],
      [['rai*', 'valley'], [valley]],
      [['RAIN', 'Valley'], [valley]],
      // #tag is a tag of the post or a #word of its text; a plain word is a word of the text only.
      [['#weather'], [umbrella, valley]],
      [['#pics'], [photo]],
      [['weather'], [valley]],
      [['has:media'], [photo]],
      [['from:alice'], [thought, photo, valley]],
      [
        [`from:${alice.handle}`, 'rain'],
        [photo, valley],
      ],
      [['from:nobody'], []],
      [['from:dave'], []], // dave is not followed: his post shows as alice's repost, not as someone named
      [['umbrella'], [umbrella]],
      [['stranger'], []],
      // An edit is found by its new words, never its old ones; a deleted post never.
      [['draft'], []],
      [['first '], []],
      [['wording'], [thought]],
      [['rutabaga'], []],
      [['soup', 'recipe'], []],
      [
        [`since:${dayOf(first.ts)}`, 'rain '],
        [own, roof, valley],
      ],
      [[`until:${dayOf(first.ts, -1)}`], []],
      [['since:1h', 'from:carol'], [roof]],
      [['until:1h', 'rain'], []],
      [['my', 'own'], [own]],
    ];
    for (const [args, want] of cases) expect({ args, found: await ids(...args) }).toEqual({ args, found: want });

    // What timeline shows, search shows alike: the shown version, the repost mark, people by handle.
    const timeline = (await world.answer<{ posts: TimelinePost[] }>(bob.user, ['timeline'])).posts;
    const shown = new Map(timeline.map((p) => [p.id, p]));
    for (const q of ['wording', 'umbrella', 'has:media', 'from:carol'])
      for (const p of (await search(q)).posts) expect(p).toEqual(shown.get(p.id));
    expect((await search('wording')).posts[0]).toMatchObject({ body: 'final wording of a thought', edited: true });
    expect((await search('umbrella')).posts[0]).toMatchObject({ author: dave.id, repost: { by: alice.id } });

    // A muted author is not found, by words or by name.
    await world.answer(bob.user, ['mute', 'user', carol.handle]);
    expect(await ids('rain ')).toEqual([own, valley]);
    expect(await ids('from:carol')).toEqual([]);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  '--json is { posts, cursor }; a full page gives the cursor of the next; words by default; bad input is Usage',
  async () => {
    const erin = await world.initUser('erin', world.hub);
    const posted: string[] = [];
    for (const text of ['snow one', 'snow two', 'snow three'])
      posted.unshift((await world.answer<{ id: string }>(erin.user, ['post', text])).id);
    const search = (...args: string[]) => world.answer<Found>(erin.user, ['search', ...args]);

    const all = await search('snow');
    expect(Object.keys(all).sort()).toEqual(['cursor', 'posts']);
    expect({ ids: all.posts.map((p) => p.id), cursor: all.cursor }).toEqual({ ids: posted, cursor: null });
    const page1 = await search('snow', '--limit', '2');
    expect(page1.posts.map((p) => p.id)).toEqual(posted.slice(0, 2));
    expect(page1.cursor).toMatch(/^\d+\.[0-9a-f]{64}$/);
    const page2 = await search('snow', '--limit', '2', '--before', page1.cursor!);
    expect({ ids: page2.posts.map((p) => p.id), cursor: page2.cursor }).toEqual({
      ids: posted.slice(2),
      cursor: null,
    });
    expect(await search('')).toEqual({ posts: [], cursor: null }); // a query asking nothing finds nothing

    // Words for people: the author by handle, the text, the id, and how to get the next page.
    const words = await murmur(world.cli, erin.user, ['search', 'snow', '--limit', '2']);
    expect({ code: words.code, stderr: words.stderr }).toEqual({ code: 0, stderr: '' });
    expect(words.stdout).toContain(`${erin.handle}  `);
    expect(words.stdout).toContain('  snow three\n');
    expect(words.stdout).toContain(posted[0]);
    expect(words.stdout).toContain(`More: murmur search "snow" --before ${page1.cursor}`);

    for (const bad of [['--before', 'yesterday'], ['--limit', '0'], []]) {
      const ran = await murmur(world.cli, erin.user, ['--json', 'search', ...(bad.length > 0 ? ['snow'] : []), ...bad]);
      expect({ bad, code: ran.code, error: ran.json<{ error: string }>().error }).toEqual({
        bad,
        code: 2,
        error: 'Usage',
      });
    }
  },
  CLI_TEST_TIMEOUT_MS,
);
