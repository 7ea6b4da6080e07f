/**
 * `murmur agent devlog` as real processes against a real hub, on a real git repository with fixed dates: it
 * posts once for a day with commits, across a kill between its commit and its send and a restart, and not at
 * all for a day without; the next post covers only the commits since. The kill is real (SIGKILL), placed by a
 * proxy in front of the hub that holds the first upload (testing/holding-proxy.ts): the post is committed,
 * nothing of it has reached the hub.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHubClient } from '../../hub-client/client.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { TimelinePost } from '../read/timeline.ts';
import { type CliWorld, cliWorld, runLong } from '../testing/cli-world.ts';
import type { CliUser } from '../testing/cli-process.ts';
import { gitRepo } from '../../testing/git-repo.ts';
import { type HoldingProxy, startHoldingProxy } from '../testing/holding-proxy.ts';

/** A bound, not a guess: a dozen node processes (each unlocking a key with scrypt) on a machine shared with others. */
const TEST_TIMEOUT_MS = 300_000;

let world: CliWorld;
let proxy: HoldingProxy;
beforeAll(async () => {
  [world, proxy] = await Promise.all([cliWorld(), startHoldingProxy()]);
}, TEST_TIMEOUT_MS);
afterAll(async () => {
  await proxy?.close();
  await world?.close();
});

async function headAt(url: string, id: PseudonymId) {
  return (await createHubClient(url, fetch).getHeads([id]))[id];
}

async function devlogPosts(user: CliUser): Promise<TimelinePost[]> {
  const { posts } = await world.answer<{ posts: TimelinePost[] }>(user, ['timeline', '--limit', '500']);
  return posts.filter((p) => p.tags.includes('devlog'));
}

test(
  'the devlog posts once for a day with commits, across a kill and a restart, and not at all for a day without',
  async () => {
    const hub = await world.hubProcess({ env: { MURMUR_PUBLIC_HOSTS: proxy.host } });
    proxy.forwardTo(hub.url);
    const bot = await world.initUser('devbot', { ...hub, url: proxy.url });
    const repo = gitRepo(await world.tempDir('murmur-devlog-repo-'));
    repo.commit('before the first day', { author: 'Old', date: '2026-11-30T12:00:00Z' }, { 'old.txt': 'old\n' });
    repo.commit(
      'start',
      { author: 'Ada', date: '2026-12-01T10:00:00Z' },
      {
        'src/a file.ts': 'one\ntwo\nthree\n',
        'logo.png': new Uint8Array([0, 1, 2, 3]),
      },
    );
    repo.commit('docs', { author: 'Grace', date: '2026-12-01T11:00:00Z' }, { 'docs/read me.md': '# hi\nthere\n' });
    const day1Head = repo.commit(
      'fix',
      { author: 'Ada', date: '2026-12-01T12:00:00Z' },
      {
        'src/a file.ts': 'one\n2\nthree\nfour\n',
      },
    );
    const args = (day: string) => ['agent', 'devlog', '--repo', repo.dir, '--date', day];
    const devlog = <T = Record<string, unknown>>(day: string) => world.answer<T>(bot.user, args(day));

    // Day 1, first run: killed once its post is committed, while the hub has yet to receive any of it.
    const upload = proxy.hold((method) => method === 'PUT');
    const killed = runLong(world.cli, bot.user, ['--json', ...args('2026-12-01')]);
    expect(await upload).toMatch(/^PUT \/v1\//);
    expect(await killed.stop('SIGKILL')).toBeNull();
    expect(killed.lines()).toEqual([]); // it never answered
    proxy.release();
    expect(await headAt(hub.url, bot.id)).toMatchObject({ seq: 1 }); // only init's commit (name, messages key)

    // The restart sends the post the killed run committed, and posts nothing new; nor does a later run that day.
    const restarted = await devlog<{ id: string }>('2026-12-01');
    expect(restarted).toEqual({
      posted: false,
      reason: 'already posted today',
      day: '2026-12-01',
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      sent: true,
      queued: 0,
    });
    expect(await headAt(hub.url, bot.id)).toMatchObject({ seq: 2 });
    expect(await devlog('2026-12-01')).toMatchObject({
      posted: false,
      reason: 'already posted today',
      id: restarted.id,
    });
    const [day1, ...others] = await devlogPosts(bot.user);
    expect(others).toEqual([]);
    expect(day1).toMatchObject({
      id: restarted.id,
      author: bot.id,
      // The first post covers its day: not the commit of the day before.
      body:
        '3 commits by Ada, Grace since 2026-12-01: most changed: ' +
        'src/a file.ts (+5 −1), docs/read me.md (+2 −0), logo.png (binary)',
      tags: ['devlog', 'devlog-day:2026-12-01', `devlog-head:${day1Head}`],
    });

    // Day 2 has no commits: nothing.
    expect(await devlog('2026-12-02')).toEqual({
      posted: false,
      reason: 'no commits',
      day: '2026-12-02',
      sent: true,
      queued: 0,
    });

    // Day 3 has two: one post, covering only those, once.
    repo.commit(
      'more docs',
      { author: 'Lin', date: '2026-12-03T09:00:00Z' },
      { 'docs/read me.md': '# hi\nthere\n!\n' },
    );
    const day3Head = repo.commit('notes', { author: 'Lin', date: '2026-12-03T10:00:00Z' }, { 'notes.txt': 'n\n' });
    const day3 = await devlog<{ id: string }>('2026-12-03');
    expect(day3).toMatchObject({
      posted: true,
      day: '2026-12-03',
      since: '2026-12-01',
      head: day3Head,
      commits: 2,
      merges: 0,
      authors: [{ name: 'Lin', commits: 2 }],
      sent: true,
      queued: 0,
    });
    expect(await devlog('2026-12-03')).toMatchObject({ posted: false, reason: 'already posted today', id: day3.id });
    expect((await devlogPosts(bot.user)).map((p) => [p.id, p.body])).toEqual([
      [day3.id, '2 commits by Lin since 2026-12-01: most changed: docs/read me.md (+1 −0), notes.txt (+1 −0)'],
      [day1!.id, day1!.body],
    ]);
    expect(await headAt(hub.url, bot.id)).toMatchObject({ seq: 3 });
  },
  TEST_TIMEOUT_MS,
);

test(
  'no repository there is NotFound (5); an empty one has no commits; a day that is none is a usage error',
  async () => {
    const hub = await world.hubProcess();
    const bot = await world.initUser('emptybot', hub);
    const empty = gitRepo(await world.tempDir('murmur-devlog-empty-'));
    const plain = await world.tempDir('murmur-devlog-plain-');
    expect(await world.answer(bot.user, ['agent', 'devlog', '--repo', plain], 5)).toMatchObject({ error: 'NotFound' });
    expect(await world.answer(bot.user, ['agent', 'devlog', '--repo', empty.dir])).toMatchObject({
      posted: false,
      reason: 'no commits',
    });
    const bad = ['agent', 'devlog', '--repo', empty.dir, '--date', '2026-02-30'];
    expect(await world.answer(bot.user, bad, 2)).toMatchObject({ error: 'Usage' });
    expect(await headAt(hub.url, bot.id)).toMatchObject({ seq: 1 }); // nothing posted after init's commit
  },
  TEST_TIMEOUT_MS,
);
