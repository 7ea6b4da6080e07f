/**
 * Agents on the command line as real processes against a real hub process: `agent add` writes a credential; a
 * process holding only that credential and its passphrase posts, replies and reacts for its owner, signing as the
 * agent; the owner and a follower see those posts with their provenance; `agent revoke` stops the agent's next
 * post (AgentRevoked) while the earlier ones still show.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { ThreadPost } from './read/thread.ts';
import type { TimelinePost } from './read/timeline.ts';
import type { CliUser } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

async function timelineOf(user: CliUser): Promise<TimelinePost[]> {
  return (await world.answer<{ posts: TimelinePost[] }>(user, ['timeline', '--limit', '500'])).posts;
}

test(
  'an agent process with only its credential posts for its owner; revoked, it is refused and its past stays',
  async () => {
    const ada = await world.initUser('ada', world.hub);
    const bob = await world.initUser('bob', world.hub);
    await world.answer(bob.user, ['follow', ada.handle]);
    const first = await world.answer<{ id: string }>(ada.user, ['post', 'ada writes first']);

    const dir = await world.tempDir('murmur-agent-');
    const file = join(dir, 'scribe.json');
    const made = await world.answer<{ id: string; scope: string[]; file: string }>(ada.user, [
      'agent',
      'add',
      'scribe',
      '--model',
      'model-1',
      '--out',
      file,
    ]);
    expect(made).toMatchObject({ file, scope: ['post', 'react', 'unreact'] });

    // The agent process: no MURMUR_HOME, no owner key; its home goes beside the credential.
    const scribe: CliUser = {
      home: join(dir, 'scribe-home'),
      passphrase: ada.user.passphrase,
      env: { PATH: process.env.PATH, HOME: dir, MURMUR_AGENT_KEY: file, MURMUR_PASSPHRASE: ada.user.passphrase },
    };
    const posted = await world.answer<{ id: string; sent: boolean }>(scribe, ['post', 'written by the agent']);
    expect(posted.sent).toBe(true);
    const reply = await world.answer<{ id: string }>(scribe, ['post', 'the agent replies', '--reply', first.id]);
    expect(await world.answer(scribe, ['react', first.id, '👍'])).toMatchObject({ on: true, sent: true });
    expect(await world.answer(scribe, ['edit', first.id, 'not allowed'], 4)).toMatchObject({ error: 'OutOfScope' });
    const wrong: CliUser = { ...scribe, env: { ...scribe.env, MURMUR_PASSPHRASE: 'not the passphrase' } };
    expect(await world.answer(wrong, ['post', 'no'], 4)).toMatchObject({ error: 'WrongPassphrase' });
    const missing: CliUser = { ...scribe, env: { ...scribe.env, MURMUR_AGENT_KEY: join(dir, 'nope.json') } };
    expect(await world.answer(missing, ['timeline'], 5)).toMatchObject({ error: 'NotFound' });
    expect(await world.answer(scribe, ['agent', 'add', 'again', '--model', 'x'], 4)).toMatchObject({
      error: 'Forbidden',
    });
    const inOwnersHome: CliUser = { ...scribe, env: { ...scribe.env, MURMUR_HOME: ada.user.home } };
    expect(await world.answer(inOwnersHome, ['timeline'], 2)).toMatchObject({ error: 'Usage' });
    const again = ['agent', 'add', 'scribe', '--model', 'x', '--out', join(dir, 'x.json')];
    expect(await world.answer(ada.user, again, 4)).toMatchObject({ error: 'NameTaken' });
    expect((await timelineOf(scribe)).map((p) => p.body)).toEqual([
      'the agent replies',
      'written by the agent',
      'ada writes first',
    ]);

    const provenance = { id: made.id, model: 'model-1', name: 'scribe' };
    for (const reader of [ada.user, bob.user]) {
      await world.answer(reader, ['sync']);
      const posts = await timelineOf(reader);
      expect(posts.find((p) => p.id === posted.id)).toMatchObject({ author: ada.id, agent: provenance });
      expect(posts.find((p) => p.id === first.id)).toMatchObject({ agent: null });
    }
    const thread = (await world.answer<{ posts: ThreadPost[] }>(bob.user, ['thread', first.id])).posts;
    expect(thread.map((p) => [p.id, p.reactions])).toEqual([
      [first.id, { '👍': [ada.id] }],
      [reply.id, {}],
    ]);
    expect(await world.answer(ada.user, ['agent', 'list'])).toEqual({
      agents: [
        {
          name: 'scribe',
          id: made.id,
          model: 'model-1',
          scope: made.scope,
          expires: expect.any(Number),
          revoked: false,
        },
      ],
    });

    expect(await world.answer(ada.user, ['agent', 'revoke', 'scribe'])).toMatchObject({ id: made.id, sent: true });
    expect(await world.answer(scribe, ['post', 'after the revocation'], 4)).toMatchObject({ error: 'AgentRevoked' });
    expect(await world.answer(ada.user, ['agent', 'list'])).toMatchObject({ agents: [{ id: made.id, revoked: true }] });
    for (const reader of [ada.user, bob.user]) {
      const bodies = (await timelineOf(reader)).map((p) => p.body);
      expect(bodies).toContain('written by the agent');
      expect(bodies).not.toContain('after the revocation');
    }
    expect((await world.answer<{ agents: unknown[] }>(bob.user, ['profile', ada.handle])).agents).toEqual([
      { id: made.id, name: 'scribe', model: 'model-1', revoked: true },
    ]);
  },
  CLI_TEST_TIMEOUT_MS,
);
