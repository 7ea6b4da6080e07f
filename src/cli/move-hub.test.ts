/**
 * `murmur move-hub` as real processes (the built bundle) against real hub processes: Alice moves from hub A to
 * hub C with her handle; Bob on hub B, who followed her as alice@A, reads her next post (only on C) with one
 * `timeline`, asking nothing new. A handle taken on the new hub is refused by name, and nothing moves.
 */
import { expect, test } from 'vitest';
import { createHubClient } from '../hub-client/client.ts';
import type { TimelinePost } from './read/timeline.ts';
import { murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

test(
  'move-hub: the feed and handle go to the new hub, the old one points there, and a follower follows',
  async () => {
    const hubA = world.hub;
    const [hubB, hubC] = await Promise.all([world.hubProcess(), world.hubProcess()]);
    const alice = await world.initUser('alice', hubA);
    const bob = await world.initUser('bob', hubB);
    await world.answer(alice.user, ['post', 'before the move']);
    await world.answer(bob.user, ['follow', alice.handle]);

    // A name taken on the new hub stops the move before anything is copied.
    const taken = await world.initUser('alice', hubB);
    expect(taken.id).not.toBe(alice.id);
    const refused = await murmur(world.cli, alice.user, ['--json', 'move-hub', hubB.url]);
    expect({ code: refused.code, error: refused.json<{ error: string }>().error }).toEqual({
      code: 4,
      error: 'HandleTaken',
    });
    expect((await createHubClient(hubB.url, fetch).getHeads([alice.id]))[alice.id]).toBeUndefined();

    const hostC = new URL(hubC.url).host;
    const moved = await murmur(world.cli, alice.user, ['--json', 'move-hub', hubC.url, '--progress']);
    expect({ code: moved.code, json: moved.json() }).toEqual({
      code: 0,
      json: { from: hubA.url, hubs: [hubC.url], handle: `alice@${hostC}`, pointerLeft: true },
    });
    expect(moved.stderr).toMatch(/murmur: claiming\n(murmur: copied \d+ of \d+ blobs\n)+murmur: pointing\n/);
    expect(await world.answer(alice.user, ['whoami'])).toMatchObject({ handle: `alice@${hostC}`, hubs: [hubC.url] });

    await world.answer(alice.user, ['post', 'after the move']);
    const headA = (await createHubClient(hubA.url, fetch).getHeads([alice.id]))[alice.id]!;
    const headC = (await createHubClient(hubC.url, fetch).getHeads([alice.id]))[alice.id]!;
    expect(headC.seq).toBe(headA.seq + 1); // A keeps the pointer; the new post went to C alone

    const read = await world.answer<{ posts: TimelinePost[] }>(bob.user, ['timeline']);
    expect(read.posts.map((p) => p.body)).toEqual(['after the move', 'before the move']);
    // Bob followed alice@A; his timeline names her by her handle on C, where her signed profile says she lives.
    expect(new Set(read.posts.map((p) => p.handle))).toEqual(new Set([`alice@${hostC}`]));
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'move-hub with the old hub down: the pointer waits in the home and the first sync after it is back leaves it',
  async () => {
    const dir = await world.tempDir('murmur-cli-hub-');
    const hubA = await world.hubProcess({ dataDir: dir });
    const hubC = await world.hubProcess();
    const alice = await world.initUser('alice', hubA);
    await world.answer(alice.user, ['post', 'before the move']);
    await hubA.stop();

    const moved = await world.answer<{ pointerLeft: boolean }>(alice.user, ['move-hub', hubC.url]);
    expect(moved.pointerLeft).toBe(false);
    await world.answer(alice.user, ['post', 'on C']);

    const again = await world.hubProcess({ dataDir: dir, port: hubA.port });
    const headOnA = async () => (await createHubClient(again.url, fetch).getHeads([alice.id]))[alice.id]!;
    const before = await headOnA();
    await world.answer(alice.user, ['sync']);
    const after = await headOnA();
    // One commit above what A held: the pointer alone, not the post made on C since.
    expect(after.seq).toBe(before.seq + 1);
    const headC = (await createHubClient(hubC.url, fetch).getHeads([alice.id]))[alice.id]!;
    expect(headC.seq).toBe(after.seq + 1);
  },
  CLI_TEST_TIMEOUT_MS,
);
