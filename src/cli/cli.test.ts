/**
 * The `murmur` command line as real processes (the built bundle, spawned with node) against real hub
 * processes on 127.0.0.1: each user a home folder of its own. What a person or an agent would see: exit codes,
 * --json answers, and what the hubs and other users hold after.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { createHubClient } from '../hub-client/client.ts';
import type { PseudonymId } from '../protocol/ids.ts';
import type { HubProcess } from '../hub/testing/hub-process.ts';
import { decodeBackup } from '../../workers/keys/backup.ts';
import type { TimelinePost } from './read/timeline.ts';
import { type CliUser, murmur } from './testing/cli-process.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';

const world = cliWorldForFile();

async function headAt(on: HubProcess, id: PseudonymId) {
  const head = (await createHubClient(on.url, fetch).getHeads([id]))[id];
  return head && { heads: [...head.heads].sort(), seq: head.seq };
}

async function timelineOf(user: CliUser): Promise<TimelinePost[]> {
  return (await world.answer<{ posts: TimelinePost[] }>(user, ['timeline', '--limit', '500'])).posts;
}

test(
  'bad usage exits 2 with the named error Usage; no pseudonym is NotFound-like (5)',
  async () => {
    const user = await world.newUser();
    for (const args of [['bogus'], ['init', '--handle', 'x'], ['timeline', '--limit', 'many'], []]) {
      const ran = await murmur(world.cli, user, ['--json', ...args]);
      expect(ran.code).toBe(2);
      expect(ran.json()).toMatchObject({ error: 'Usage', message: expect.any(String) });
      expect(ran.stderr).toMatch(/^murmur: /m);
    }
    expect(await world.answer(user, ['whoami'], 5)).toMatchObject({ error: 'NoPseudonym' });
    const words = await murmur(world.cli, user, ['post']);
    expect({ code: words.code, stdout: words.stdout }).toEqual({ code: 2, stdout: '' }); // no --json: words only
    expect(words.stderr).toContain("missing required argument 'text'");

    // The package's bin (npx murmur) runs the bundle beside it, passing the arguments and the exit code through.
    const pkg = await world.tempDir('murmur-cli-package-');
    mkdirSync(join(pkg, 'bin'));
    copyFileSync(join(import.meta.dirname, '../../bin/murmur.mjs'), join(pkg, 'bin', 'murmur.mjs'));
    cpSync(dirname(world.cli.main), join(pkg, 'dist', 'cli'), { recursive: true }); // murmur.js and its chunks
    const viaBin = await murmur({ main: join(pkg, 'bin', 'murmur.mjs'), remove: async () => {} }, user, [
      '--json',
      'x',
    ]);
    expect({ code: viaBin.code, answer: viaBin.json() }).toEqual({
      code: 2,
      answer: { error: 'Usage', message: "unknown command 'x'" },
    });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'two users on a hub: bob follows alice by handle; her post and reply show in his timeline, verified',
  async () => {
    const alice = await world.initUser('alice', world.hub);
    const bob = await world.initUser('bob', world.hub);
    expect(await world.answer(alice.user, ['whoami'])).toEqual({
      name: 'alice',
      id: alice.id,
      handle: alice.handle,
      displayName: 'alice',
      hubs: [world.hub.url],
    });
    const first = await world.answer<{ id: string; commit: string; sent: boolean }>(alice.user, [
      'post',
      'hello from a shell',
    ]);
    expect(first).toMatchObject({ sent: true, queued: 0 });
    const reply = await world.answer<{ id: string }>(alice.user, [
      'post',
      'and again',
      '--reply',
      first.id,
      '--tag',
      'cli',
    ]);
    expect(await headAt(world.hub, alice.id)).toMatchObject({ seq: 3 }); // init's profile commit, then the two posts

    const followed = await world.answer(bob.user, ['follow', alice.handle]);
    expect(followed).toMatchObject({ target: alice.id, handle: alice.handle, hub: world.hub.url, sent: true });
    const posts = await timelineOf(bob.user);
    expect(posts.map((p) => [p.id, p.author, p.handle, p.body, p.replyTo, p.tags])).toEqual([
      [reply.id, alice.id, alice.handle, 'and again', first.id, ['cli']],
      [first.id, alice.id, alice.handle, 'hello from a shell', null, []],
    ]);
    // A post alice makes later reaches bob's timeline through the hub on his next look.
    const later = await world.answer<{ id: string }>(alice.user, ['post', 'a third']);
    expect((await timelineOf(bob.user))[0]).toMatchObject({ id: later.id, body: 'a third' });
    expect(await world.answer(bob.user, ['status'])).toMatchObject({ id: bob.id, follows: 1, queued: 0, seq: 2 });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a post made with the hub down is queued (exit 0), sync says offline (3), then sends it once',
  async () => {
    const hubC = await world.hubProcess();
    const carol = await world.initUser('carol', hubC);
    await hubC.stop();

    const queued = await world.answer<{ id: string; commit: string }>(carol.user, ['post', 'written offline']);
    expect(queued).toMatchObject({ sent: false, queued: 1, reason: expect.any(String) });
    expect(await world.answer(carol.user, ['sync'], 3)).toMatchObject({ state: 'unreachable', queued: 1 });
    expect(await world.answer(carol.user, ['status'])).toMatchObject({ queued: 1, seq: 2 }); // after init's commit

    const again = await world.hubProcess({ dataDir: hubC.child.spawnargs.at(-1)!, port: hubC.port });
    try {
      expect(await headAt(again, carol.id)).toMatchObject({ seq: 1 }); // init's commit only
      expect(await world.answer(carol.user, ['sync'])).toMatchObject({ state: 'synced', queued: 0 });
      expect(await headAt(again, carol.id)).toEqual({ heads: [queued.commit], seq: 2 });
      // Once: a second sync sends nothing more, and a reader sees the post one time.
      expect(await world.answer(carol.user, ['sync'])).toMatchObject({ state: 'synced', queued: 0 });
      expect(await headAt(again, carol.id)).toEqual({ heads: [queued.commit], seq: 2 });
      const dan = await world.initUser('dan', world.hub);
      await world.answer(dan.user, ['follow', carol.handle]);
      expect((await timelineOf(dan.user)).filter((p) => p.body === 'written offline')).toEqual([
        expect.objectContaining({ id: queued.id, author: carol.id }),
      ]);
    } finally {
      await again.stop();
    }
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  "export then import moves a pseudonym (the app's backup file); both devices' posts meet on the hub",
  async () => {
    const erin = await world.initUser('erin', world.hub);
    const before = await world.answer<{ id: string }>(erin.user, ['post', 'from the first device']);
    const file = join(await world.tempDir('murmur-cli-backup-'), 'erin.murmur');
    expect(await world.answer(erin.user, ['export', file])).toMatchObject({ id: erin.id, handle: erin.handle, file });

    expect(await world.answer(await world.newUser('not the passphrase'), ['import', file], 4)).toMatchObject({
      error: 'WrongPassphrase',
    });
    const second = await world.newUser();
    expect(await world.answer(second, ['import', file])).toEqual(await world.answer(erin.user, ['whoami']));
    const after = await world.answer<{ id: string; sent: boolean }>(second, ['post', 'from the second device']);
    expect(after.sent).toBe(true);
    // The first device pulls its other device's post on sync, and merges: both posts, once each, on both.
    await world.answer(erin.user, ['sync']);
    const bodies = async (user: CliUser) => (await timelineOf(user)).map((p) => p.id).sort();
    expect(await bodies(erin.user)).toEqual([before.id, after.id].sort());
    await world.answer(second, ['sync']);
    expect(await bodies(second)).toEqual([before.id, after.id].sort());
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  "the app's own backup file imports (the vector encodeBackup pins); --as picks among pseudonyms",
  async () => {
    const vector = JSON.parse(readFileSync(join(import.meta.dirname, '../../workers/keys/vectors/backup.json'), 'utf8'))
      .valid[0] as { passphrase: string; file: string; contents: { id: string; handle: string; hubs: string[] } };
    const file = join(await world.tempDir('murmur-cli-vector-'), 'alice.murmur');
    writeFileSync(file, vector.file);
    const user = await world.newUser(vector.passphrase);
    const alice = { name: 'alice', id: vector.contents.id, handle: vector.contents.handle, displayName: 'Alice' };
    expect(await world.answer(user, ['import', file])).toEqual({ ...alice, hubs: vector.contents.hubs });

    // A second pseudonym in the same home, under the same passphrase; the first stays the default.
    const work = await world.answer<{ id: string }>(user, [
      '--as',
      'work',
      'init',
      '--hub',
      world.hub.url,
      '--handle',
      'work',
    ]);
    expect(await world.answer(user, ['whoami'])).toMatchObject(alice);
    expect(await world.answer(user, ['whoami', '--as', 'work'])).toMatchObject({ name: 'work', id: work.id });
    const posted = await world.answer<{ sent: boolean }>(user, ['--as', 'work', 'post', 'from the second pseudonym']);
    expect(posted.sent).toBe(true);
    expect(await world.answer(user, ['--as', 'nobody', 'whoami'], 5)).toMatchObject({ error: 'NoPseudonym' });
    // Another passphrase cannot add a key to this home: its keys share one.
    const other = { ...user, passphrase: 'another passphrase' };
    expect(
      await world.answer(other, ['--as', 'third', 'init', '--hub', world.hub.url, '--handle', 'third'], 4),
    ).toMatchObject({
      error: 'WrongPassphrase',
    });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'keys unlock only to sign: reading asks nothing; signing with none is Locked, a wrong one refused',
  async () => {
    const gus = await world.initUser('gus', world.hub);
    await world.answer(gus.user, ['post', 'signed']);
    const noPassphrase = { ...gus.user, passphrase: '' }; // and stdin is no terminal: nothing to ask on
    expect(await world.answer(noPassphrase, ['whoami'])).toMatchObject({ id: gus.id });
    expect((await timelineOf(noPassphrase)).map((p) => p.body)).toEqual(['signed']);
    expect(await world.answer(noPassphrase, ['status'])).toMatchObject({ seq: 2, queued: 0 }); // init's, then the post

    expect(await world.answer(noPassphrase, ['post', 'unsigned'], 4)).toMatchObject({ error: 'Locked' });
    const wrong = { ...gus.user, passphrase: 'not it' };
    expect(await world.answer(wrong, ['post', 'unsigned'], 4)).toMatchObject({ error: 'WrongPassphrase' });
    // Nothing was committed by either: the feed is as it was, on the device and on the hub.
    expect(await world.answer(gus.user, ['status'])).toMatchObject({ seq: 2, queued: 0 });
    expect(await headAt(world.hub, gus.id)).toMatchObject({ seq: 2 });
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'at a terminal the passphrase is asked for with no echo (a real pty, by util-linux script)',
  async () => {
    const vector = JSON.parse(readFileSync(join(import.meta.dirname, '../../workers/keys/vectors/backup.json'), 'utf8'))
      .valid[0] as { passphrase: string; file: string; contents: { id: string } };
    const dir = await world.tempDir('murmur-cli-tty-');
    writeFileSync(join(dir, 'in.murmur'), vector.file);
    const user = await world.newUser(vector.passphrase);
    await world.answer(user, ['import', join(dir, 'in.murmur')]);

    const out = join(dir, 'out.murmur');
    const command = `"${process.execPath}" "${world.cli.main}" --json export "${out}"`;
    const env: Record<string, string | undefined> = { ...process.env, MURMUR_HOME: user.home };
    delete env.MURMUR_PASSPHRASE;
    const tty = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let transcript = '';
    const closed = new Promise<number | null>((resolve) => tty.once('close', resolve));
    await new Promise<void>((resolve) => {
      tty.stdout.on('data', (chunk: Buffer) => {
        transcript += chunk;
        if (transcript.includes('Passphrase for the keys in this home: ')) resolve();
      });
      void closed.then(() => resolve());
    });
    tty.stdin.write(`${vector.passphrase}\r`);
    expect(await closed).toBe(0);
    expect(transcript).not.toContain(vector.passphrase); // typed, never shown
    expect(transcript).toContain(`"file":"${out}"`);
    expect((await decodeBackup(readFileSync(out), vector.passphrase)).id).toBe(vector.contents.id);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'kill -9 of murmur while it posts loses nothing it acknowledged; a later sync sends it all',
  // A kill leaves the page cache: this proves acknowledging after the journal's write and recovery from a
  // torn tail, not the journal's fsync (power loss): ARCHITECTURE.md, "What the crash tests prove".
  async () => {
    const fay = await world.initUser('fay', world.hub);
    // Posts one after another in one process group until killed; each answer line is one acknowledged post.
    const loop = spawn(
      'sh',
      [
        '-c',
        `for i in $(seq 1 200); do "${process.execPath}" "${world.cli.main}" --json post "post $i" || exit 1; done`,
      ],
      {
        env: { ...process.env, MURMUR_HOME: fay.user.home, MURMUR_PASSPHRASE: fay.user.passphrase },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const acknowledged: string[] = [];
    const exited = new Promise((resolve) => loop.once('close', resolve));
    await new Promise<void>((resolve) => {
      let buffered = '';
      loop.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) acknowledged.push((JSON.parse(line) as { id: string }).id);
        if (acknowledged.length >= 5) resolve();
      });
      void exited.then(() => resolve());
    });
    process.kill(-loop.pid!, 'SIGKILL'); // the whole group: the shell and the murmur in flight
    await exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);

    const held = (await timelineOf(fay.user)).map((p) => p.id);
    for (const id of acknowledged) expect(held).toContain(id);
    expect(await world.answer(fay.user, ['sync'])).toMatchObject({ state: 'synced', queued: 0 });
    const status = await world.answer<{ seq: number }>(fay.user, ['status']);
    expect((await headAt(world.hub, fay.id))?.seq).toBe(status.seq);
  },
  CLI_TEST_TIMEOUT_MS,
);
