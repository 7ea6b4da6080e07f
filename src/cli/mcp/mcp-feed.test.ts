/**
 * The MCP tools `search`, `export-feed` and `import-feed` of `murmur mcp` as a real process (the built bundle),
 * called by the MCP SDK's own client, against a real hub process: each answers what `murmur --json` of its verb
 * prints, and a feed exported through one server and imported through another is the same feed.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { TimelinePost } from '../read/timeline.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from '../testing/cli-world.ts';
import { call, connect } from './testing/mcp-client.ts';

const world = cliWorldForFile();

interface Found {
  readonly posts: TimelinePost[];
  readonly cursor: string | null;
}

test(
  'search pages through what the home holds as the verb does; export-feed and import-feed move the whole feed',
  async () => {
    const alice = await world.initUser('alice', world.hub);
    const hail = await world.answer<{ id: string }>(alice.user, ['post', 'hail on the hills', '--tag', 'storm']);
    const fog = await world.answer<{ id: string }>(alice.user, ['post', 'fog on the hills']);
    await world.answer(alice.user, ['post', 'sunshine at last']);
    const file = join(await world.tempDir('murmur-mcp-feed-'), 'alice.feed');

    const { client } = await connect(world.cli, alice.user);
    let exported: { id: string; commits: number; key: boolean };
    try {
      const page1 = await call<Found>(client, 'search', { query: 'hills', limit: 1 });
      expect(page1).toEqual(await world.answer(alice.user, ['search', 'hills', '--limit', '1']));
      expect(page1.posts.map((p) => p.id)).toEqual([fog.id]);
      const page2 = await call<Found>(client, 'search', { query: 'hills', limit: 1, before: page1.cursor });
      expect({ ids: page2.posts.map((p) => p.id), cursor: page2.cursor }).toEqual({ ids: [hail.id], cursor: null });
      expect((await call<Found>(client, 'search', { query: '#storm from:alice' })).posts.map((p) => p.id)).toEqual([
        hail.id,
      ]);
      expect((await call<Found>(client, 'search', { query: 'rain' })).posts).toEqual([]);

      exported = await call(client, 'export-feed', { file, withKey: true });
      const { seq } = await world.answer<{ seq: number }>(alice.user, ['status']);
      expect(exported).toMatchObject({ file, id: alice.id, commits: seq, key: true });
    } finally {
      await client.close();
    }

    // Another device: an empty home, its own server; the file's key comes with it.
    const device = await world.newUser(alice.user.passphrase);
    const other = await connect(world.cli, device);
    try {
      expect(await call(other.client, 'import-feed', { file })).toEqual({
        name: 'alice',
        id: alice.id,
        handle: alice.handle,
        commits: exported.commits,
        added: exported.commits,
        queued: exported.commits,
        key: true,
        private: true,
      });
      const found = await call<Found>(other.client, 'search', { query: 'hills' });
      expect(found.posts.map((p) => p.id)).toEqual([fog.id, hail.id]);
      // A file that is not a feed is refused by name, and the server goes on.
      expect(await call(other.client, 'import-feed', { file: join(device.home, 'nothing.feed') }, true)).toMatchObject({
        error: expect.any(String),
      });
    } finally {
      await other.client.close();
    }
    const timeline = (home: typeof device) => world.answer<{ posts: TimelinePost[] }>(home, ['timeline']);
    expect((await timeline(device)).posts).toEqual((await timeline(alice.user)).posts);
  },
  CLI_TEST_TIMEOUT_MS,
);
