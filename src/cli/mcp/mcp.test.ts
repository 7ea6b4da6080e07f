/**
 * `murmur mcp` as a real process (the built bundle) driven by the MCP SDK's own client over stdio, against a
 * real hub process: the tools an agent lists, and what it posts and reads through them, checked as the command
 * line sees it too; and, spoken to by hand, that stdout carries MCP's JSON-RPC and nothing else.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { expect, test } from 'vitest';
import type { ThreadPost } from '../read/thread.ts';
import type { TimelinePost } from '../read/timeline.ts';
import type { CliUser } from '../testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from '../testing/cli-world.ts';
import { call, connect as connectTo, envOf } from './testing/mcp-client.ts';

const world = cliWorldForFile();

/** An MCP client of `murmur mcp` run for `user` (or with `env` as it is); its stderr gathered. */
function connect(user: CliUser, env: Record<string, string> = envOf(user)) {
  return connectTo(world.cli, user, env);
}

test(
  'an MCP client lists the tools and their inputs, posts, replies and reacts through them, and reads it back',
  async () => {
    const alice = await world.initUser('alice', world.hub);
    const bob = await world.initUser('bob', world.hub);
    const fromBob = await world.answer<{ id: string }>(bob.user, ['post', 'hello from a shell']);
    const { client, stderrSays } = await connect(alice.user);
    try {
      const { tools } = await client.listTools();
      const byName = new Map(tools.map((t) => [t.name, t]));
      expect([...byName.keys()].sort()).toEqual(
        [
          'discover',
          'dm',
          'dms',
          'export-feed',
          'follow',
          'import-feed',
          'lens',
          'mist-create',
          'mist-delete',
          'mist-fork',
          'mist-list',
          'mist-read',
          'mist-update',
          'move-hub',
          'notifications',
          'post',
          'profile',
          'react',
          'reply',
          'search',
          'thread',
          'timeline',
          'unreact',
        ].sort(),
      );
      const inputs = Object.fromEntries(
        tools.map((t) => [
          t.name,
          { keys: Object.keys(t.inputSchema.properties ?? {}), required: t.inputSchema.required ?? [] },
        ]),
      );
      expect(inputs).toEqual({
        post: { keys: ['text', 'tags', 'quote', 'audience', 'readers'], required: ['text'] },
        reply: { keys: ['id', 'text'], required: ['id', 'text'] },
        react: { keys: ['id', 'emoji'], required: ['id', 'emoji'] },
        unreact: { keys: ['id', 'emoji'], required: ['id', 'emoji'] },
        follow: { keys: ['handle'], required: ['handle'] },
        timeline: { keys: ['limit', 'since', 'handle', 'hasMedia', 'reverse'], required: [] },
        search: { keys: ['query', 'limit', 'before'], required: ['query'] },
        discover: { keys: ['topic', 'q', 'cursor'], required: [] },
        lens: { keys: ['topics', 'adjacent', 'fresh'], required: [] },
        'export-feed': { keys: ['file', 'withKey'], required: ['file'] },
        'import-feed': { keys: ['file'], required: ['file'] },
        'move-hub': { keys: ['hub'], required: ['hub'] },
        thread: { keys: ['id'], required: ['id'] },
        profile: { keys: ['handle'], required: [] },
        dm: { keys: ['handle', 'text'], required: ['handle', 'text'] },
        dms: { keys: ['handle'], required: [] },
        notifications: { keys: ['limit'], required: [] },
        'mist-create': {
          keys: ['name', 'content', 'title', 'description', 'tags', 'secret'],
          required: ['name', 'content'],
        },
        'mist-list': { keys: ['type', 'mine'], required: [] },
        'mist-read': { keys: ['id'], required: ['id'] },
        'mist-update': {
          keys: ['id', 'name', 'content', 'title', 'description', 'tags'],
          required: ['id'],
        },
        'mist-delete': { keys: ['id'], required: ['id'] },
        'mist-fork': { keys: ['id'], required: ['id'] },
      });
      expect(byName.get('mist-read')!.annotations?.readOnlyHint).toBe(true);
      expect(byName.get('mist-create')!.annotations?.readOnlyHint).toBe(false);
      expect(byName.get('timeline')!.annotations?.readOnlyHint).toBe(true);
      expect(byName.get('post')!.annotations?.readOnlyHint).toBe(false);
      expect(byName.get('search')!.annotations?.readOnlyHint).toBe(true);
      expect(byName.get('discover')!.annotations?.readOnlyHint).toBe(true);
      expect(byName.get('export-feed')!.annotations?.readOnlyHint).toBe(false); // it writes a file
      expect(byName.get('move-hub')!.annotations?.readOnlyHint).toBe(false);

      const posted = await call<{ id: string }>(client, 'post', { text: 'hello from an agent', tags: ['mcp'] });
      expect(posted).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        commit: expect.any(String),
        sent: true,
        queued: 0,
      });
      // Bob chose to be listed: the directory tool finds him, not yet followed.
      await world.answer(bob.user, ['settings', '--discoverable']);
      expect(await call(client, 'discover', {})).toMatchObject({
        people: [{ id: bob.id, handle: bob.handle, topics: [], followed: false }],
      });
      const followed = await call(client, 'follow', { handle: bob.handle });
      // Bob's feed: his init commit (name, messages key) and his post.
      expect(followed).toMatchObject({ target: bob.id, handle: bob.handle, fetched: 2, sent: true });

      const { posts } = await call<{ posts: TimelinePost[] }>(client, 'timeline', { limit: 10 });
      expect(posts.map((p) => [p.id, p.author, p.body, p.tags])).toEqual([
        [posted.id, alice.id, 'hello from an agent', ['mcp']],
        [fromBob.id, bob.id, 'hello from a shell', []],
      ]);
      expect((await call<{ posts: TimelinePost[] }>(client, 'timeline', { handle: bob.handle })).posts).toHaveLength(1);

      const reply = await call<{ id: string }>(client, 'reply', { id: fromBob.id, text: 'an answer' });
      expect(await call(client, 'react', { id: fromBob.id, emoji: '👍' })).toMatchObject({
        id: fromBob.id,
        emoji: '👍',
        on: true,
        sent: true,
      });
      const thread = await call<{ posts: ThreadPost[] }>(client, 'thread', { id: reply.id });
      expect(thread.posts.map((p) => [p.id, p.depth, p.body, p.reactions])).toEqual([
        [fromBob.id, 0, 'hello from a shell', { '👍': [alice.id] }],
        [reply.id, 1, 'an answer', {}],
      ]);
      expect(await call(client, 'profile', {})).toMatchObject({ id: alice.id, handle: alice.handle, posts: 2 });
      // A post for whoever has its link is sealed here and answers its key; the lens tool shows and sets a share.
      const linked = await call<{ id: string }>(client, 'post', { text: 'for the link', audience: 'link' });
      expect(linked).toMatchObject({
        audience: 'link',
        linkKey: expect.stringMatching(/^#k=/),
        sent: true,
      });
      const shares = { following: 70, topics: 10, adjacent: 0, fresh: 20 };
      expect(await call(client, 'lens', { topics: 10, fresh: 20 })).toEqual(shares);
      expect(await call(client, 'lens', {})).toEqual(shares);

      // A malformed id is the tool error the verb names; the server goes on.
      expect(await call(client, 'react', { id: 'not-an-id', emoji: '👍' }, true)).toEqual({
        error: 'MalformedId',
        message: expect.stringContaining('not-an-id'),
      });
      await stderrSays('murmur: not-an-id is not a post id');

      // The home is not held between calls: another command of it runs, and sees what the tools did.
      const seen = await world.answer<{ posts: TimelinePost[] }>(alice.user, ['timeline']);
      // Her link post shows to her, its author, as the app shows it.
      expect(seen.posts.map((p) => [p.id, p.audience])).toEqual([
        [linked.id, 'link'],
        [reply.id, null],
        [posted.id, null],
        [fromBob.id, null],
      ]);
      // ... and what that command does, the next call sees.
      await world.answer(alice.user, ['unreact', fromBob.id, '👍']);
      const after = await call<{ posts: ThreadPost[] }>(client, 'thread', { id: fromBob.id });
      expect(after.posts[0]!.reactions).toEqual({});
      // What was posted reached the hub: bob, following alice, sees it.
      await world.answer(bob.user, ['follow', alice.handle]);
      const bobSees = await world.answer<{ posts: TimelinePost[] }>(bob.user, ['timeline']);
      expect(bobSees.posts.map((p) => p.id)).toContain(posted.id);
    } finally {
      await client.close();
    }
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'stdout carries only JSON-RPC; words go to stderr; a signing tool with no passphrase fails Locked, never prompts',
  async () => {
    const carol = await world.initUser('carol', world.hub);
    const child = spawn(process.execPath, [world.cli.main, 'mcp'], {
      env: envOf(carol.user, false),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    const answered = new Map<number, (message: Record<string, unknown>) => void>();
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        let message: { id?: unknown };
        try {
          message = JSON.parse(line) as { id?: unknown };
        } catch {
          continue; // not JSON: the check below names it
        }
        if (typeof message.id === 'number') answered.get(message.id)?.(message as Record<string, unknown>);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    let next = 0;
    const request = (method: string, params: object) => {
      const id = ++next;
      const reply = new Promise<Record<string, unknown>>((resolve) => answered.set(id, resolve));
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return reply;
    };

    const init = await request('initialize', {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'by-hand', version: '1' },
    });
    expect(init).toMatchObject({ result: { serverInfo: { name: 'murmur' }, capabilities: { tools: {} } } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    const listed = await request('tools/list', {});
    expect((listed.result as { tools: unknown[] }).tools).toHaveLength(23);
    const posted = await request('tools/call', { name: 'post', arguments: { text: 'no passphrase' } });
    expect(posted).toMatchObject({ result: { isError: true, structuredContent: { error: 'Locked' } } });
    const read = await request('tools/call', { name: 'timeline', arguments: {} }); // reading needs no keys
    expect(read).toMatchObject({ result: { structuredContent: { posts: [] } } });
    child.stdin.end(); // the client goes: the server ends

    expect(await exited).toBe(0);
    expect(partial).toBe('');
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return line;
      }
    });
    // The four answers and nothing else.
    expect(parsed).toEqual([1, 2, 3, 4].map((id) => expect.objectContaining({ jsonrpc: '2.0', id })));
    expect(stderr).toContain('murmur mcp: serving post, reply, react');
    expect(stderr).toContain('murmur: the keys are locked');
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'given an agent credential, the server posts as the agent for its owner; DMs and notifications go through tools',
  async () => {
    const nia = await world.initUser('nia', world.hub);
    const omar = await world.initUser('omar', world.hub);
    await world.answer(omar.user, ['follow', nia.handle]);
    const dir = await world.tempDir('murmur-mcp-agent-');
    const file = join(dir, 'helper.json');
    const made = await world.answer<{ id: string }>(nia.user, [
      'agent',
      'add',
      'helper',
      '--model',
      'm-2',
      '--out',
      file,
    ]);
    // The agent's server: the credential and its passphrase, no home of the owner's.
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      MURMUR_AGENT_KEY: file,
      MURMUR_PASSPHRASE: nia.user.passphrase,
    };
    const agent = await connect(nia.user, env);
    let posted: { id: string };
    try {
      posted = await call<{ id: string }>(agent.client, 'post', { text: 'posted by a model' });
    } finally {
      await agent.client.close();
    }
    await world.answer(omar.user, ['sync']);
    const seen = (await world.answer<{ posts: TimelinePost[] }>(omar.user, ['timeline'])).posts;
    expect(seen.find((p) => p.id === posted.id)).toMatchObject({
      author: nia.id,
      agent: { id: made.id, model: 'm-2', name: 'helper' },
    });

    // Bob's own server writes to nia and reads his notifications; nia reads the message with the command line.
    const own = await connect(omar.user);
    try {
      await call(own.client, 'react', { id: posted.id, emoji: '👍' });
      expect(await call(own.client, 'dm', { handle: nia.handle, text: 'hello through a tool' })).toMatchObject({
        handle: nia.handle,
        sent: true,
      });
      expect(await call(own.client, 'dms', {})).toMatchObject({
        conversations: [expect.objectContaining({ handle: nia.handle })],
      });
    } finally {
      await own.client.close();
    }
    // Ada's home has not pulled her agent's post: reading her inbox catches up her own feed, so omar's reaction
    // to it verifies there (workers/inbox/inbox-pull.ts catchUpOwn).
    const withBob = await world.answer<{ messages: { body: string }[] }>(nia.user, ['dms', omar.handle]);
    expect(withBob.messages.map((m) => m.body)).toEqual(['hello through a tool']);
    const adaNotes = await connect(nia.user);
    try {
      const { notifications } = await call<{ notifications: { kind: string; from: string }[] }>(
        adaNotes.client,
        'notifications',
        {},
      );
      expect(notifications.map((n) => [n.kind, n.from])).toContainEqual(['react', omar.id]);
    } finally {
      await adaNotes.client.close();
    }
  },
  CLI_TEST_TIMEOUT_MS,
);
