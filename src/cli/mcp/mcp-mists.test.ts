/**
 * The mist tools of `murmur mcp` as a real process (the built bundle), called by the MCP SDK's own client, against
 * a real hub process (issue 20 point 7): an agent shares an artifact in one call and its owner's follower sees it
 * with the agent's provenance; the tools answer what `murmur --json mist ...` prints.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { MistView } from '../../../workers/read/mists.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from '../testing/cli-world.ts';
import { call, connect } from './testing/mcp-client.ts';

const world = cliWorldForFile();

const SCRIPT = 'export function greet(name: string) {\n  return "hi " + name;\n}\n';

test(
  'an agent shares a mist in one call; a follower sees it as the agent’s for its owner, and reads it back',
  async () => {
    const ivy = await world.initUser('ivy', world.hub);
    const jon = await world.initUser('jon', world.hub);
    await world.answer(jon.user, ['follow', ivy.handle]);
    const dir = await world.tempDir('murmur-mcp-mist-agent-');
    const file = join(dir, 'scribe.json');
    const scope = ['--scope', 'post,mists', '--out', file];
    const made = await world.answer<{ id: string }>(ivy.user, ['agent', 'add', 'scribe', '--model', 'm-3', ...scope]);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      MURMUR_AGENT_KEY: file,
      MURMUR_PASSPHRASE: ivy.user.passphrase,
    };
    const agent = await connect(world.cli, ivy.user, env);
    let shared: { id: string; existing: boolean; sent: boolean };
    try {
      const args = { name: 'greet.ts', content: SCRIPT, title: 'A greeting', tags: ['TypeScript'] };
      shared = await call(agent.client, 'mist-create', args);
      expect(shared).toMatchObject({ existing: false, sent: true });
      expect(await call(agent.client, 'mist-create', args)).toMatchObject({ id: shared.id, existing: true });
      // A mist no held feed shows is named as not found.
      const refused = await call<{ error: string }>(agent.client, 'mist-fork', { id: '0123456789abcdef' }, true);
      expect(refused.error).toBe('NotFound');
    } finally {
      await agent.client.close();
    }

    const { mists } = await world.answer<{ mists: MistView[] }>(jon.user, ['mist', 'list']);
    expect(mists).toEqual([
      expect.objectContaining({
        id: shared.id,
        author: ivy.id,
        name: 'greet.ts',
        artifact: 'code',
        language: 'typescript',
        tags: ['typescript'],
        agent: { id: made.id, model: 'm-3', name: 'scribe' },
      }),
    ]);
    const own = await connect(world.cli, jon.user);
    try {
      const read = await call<MistView & { text: string; anchors: string[] }>(own.client, 'mist-read', {
        id: shared.id,
      });
      expect(read).toEqual(await world.answer(jon.user, ['mist', 'read', shared.id]));
      expect(read).toMatchObject({ text: SCRIPT, anchors: ['greet.ts::greet'] });
      const forked = await call<{ id: string }>(own.client, 'mist-fork', { id: shared.id });
      const updated = await call<{ id: string }>(own.client, 'mist-update', {
        id: forked.id,
        content: `${SCRIPT}// v2\n`,
      });
      expect(updated.id).toBe(forked.id);
      const mine = await call<{ mists: MistView[] }>(own.client, 'mist-list', { mine: true });
      expect(mine.mists).toEqual([
        expect.objectContaining({
          id: forked.id,
          name: 'greet.ts',
          versions: 2,
          forkOf: expect.objectContaining({ depth: 1 }),
        }),
      ]);
    } finally {
      await own.client.close();
    }
  },
  CLI_TEST_TIMEOUT_MS,
);
