/**
 * Progress on long catch-ups, as real processes: at a terminal (a real pty, by util-linux script) `follow` of a
 * feed of thousands of commits shows "Catching up a feed: N of M commits" on stderr, rewritten in place and
 * erased before its answer; through a pipe, with --json, stderr stays empty.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { growFeed, pushFeed } from '../hub/testing/feed-fixture.ts';
import type { HubProcess } from '../hub/testing/hub-process.ts';
import { secretKeyFrom } from '../protocol/keys.ts';
import { putHandleClaim } from '../../workers/feed/handle-lookup.ts';
import { createHubClient } from '../../workers/net/hub-client.ts';
import { type CliWorld, cliWorld } from './testing/cli-world.ts';

const TEST_TIMEOUT_MS = 240_000;
const POSTS = 3000;

let world: CliWorld;
let hub: HubProcess;
let handle: string;
beforeAll(async () => {
  world = await cliWorld();
  // The feed is pushed at once, far past the per-pseudonym and per-address bursts a person's writes get.
  const bursts = { MURMUR_RATE_PSEUDONYM_BURST: '100000', MURMUR_RATE_IP_BURST: '100000' };
  hub = await world.hubProcess({ env: bursts });
  const key = secretKeyFrom(new Uint8Array(32).fill(9));
  await pushFeed(hub.url, growFeed(key, undefined, POSTS, 1024));
  handle = await putHandleClaim((o) => createHubClient(o, fetch), key, hub.url, 'longfeed', Date.now());
}, TEST_TIMEOUT_MS);
afterAll(() => world?.close());

test(
  'at a terminal, a long follow shows its progress in place, then answers on a clean line',
  async () => {
    const { user } = await world.initUser('watcher', hub);
    const command = `"${process.execPath}" "${world.cli.main}" follow ${handle}`;
    const env = { ...process.env, MURMUR_HOME: user.home, MURMUR_PASSPHRASE: user.passphrase };
    const tty = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let transcript = '';
    tty.stdout.on('data', (chunk: Buffer) => (transcript += chunk));
    expect(await new Promise((resolve) => tty.once('close', resolve))).toBe(0);
    // Each draw starts with an erase (carriage return, erase line); the last erase leaves the answer alone.
    const pieces = transcript.split('\r\x1b[2K');
    const shown = pieces.slice(1, -1).map((piece) => /^Catching up a feed: ([\d,]+) of ([\d,]+) commits$/.exec(piece));
    expect(shown.length, transcript).toBeGreaterThan(0);
    const count = (digits: string) => Number(digits.replaceAll(',', ''));
    for (const match of shown) expect(count(match![1]!)).toBeLessThanOrEqual(count(match![2]!));
    const rest = pieces.at(-1)!;
    expect(rest).toContain(handle);
  },
  TEST_TIMEOUT_MS,
);

test(
  'through a pipe the same follow writes nothing to stderr (answer() checks it), its JSON alone',
  async () => {
    const { user } = await world.initUser('piped', hub);
    const followed = await world.answer<{ fetched: number }>(user, ['follow', handle]);
    expect(followed.fetched).toBe(POSTS);
  },
  TEST_TIMEOUT_MS,
);
