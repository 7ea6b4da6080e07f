/** The v7 upgrade keeps what a v6 device held and counts the votes in it (vote-backfill.ts), on a fake IndexedDB. */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { expect, test } from 'vitest';
import { type SignedCommit, buildCommit } from '../../src/protocol/commits.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { buildPost } from '../../src/protocol/objects.ts';
import { openCoreDb } from './db.ts';
import { basePostRow } from './post-rows.ts';

const key = (n: number) => secretKeyFrom(new Uint8Array(32).fill(n));
const [aliceKey, bobKey, carolKey] = [key(1), key(2), key(3)];
const [alice, bob, carol] = [aliceKey, bobKey, carolKey].map(pseudonymOf) as [PseudonymId, PseudonymId, PseudonymId];

/** A v6 database with just the stores the v7 upgrade reads, filled by `fill`. */
async function v6Device(name: string, fill: (db: Awaited<ReturnType<typeof openDB>>) => Promise<void>): Promise<void> {
  const db = await openDB(name, 6, {
    upgrade(db) {
      db.createObjectStore('pseudonyms', { keyPath: 'id' });
      db.createObjectStore('commits', { keyPath: 'id' });
      db.createObjectStore('packBytes', { keyPath: ['a', 'lo', 'first'] });
      db.createObjectStore('posts', { keyPath: 'k' }).createIndex('byId', 'id', { unique: true });
      db.createObjectStore('edits', { keyPath: ['target', 'id'] });
    },
  });
  await fill(db);
  db.close();
}

test('upgrading to v7 keeps every row and turns the votes of held commits into vote rows and tallies', async () => {
  const post = buildPost({ author: bob, body: 'vote on me', ts: 1 });
  const published = buildCommit(bobKey, { parents: [], seq: 1, ts: 1, ops: [{ type: 'post', object: post.id }] });
  const unheld = 'ab'.repeat(32) as typeof post.id;
  const vote = (target: typeof post.id, value: -1 | 1) => ({ type: 'vote' as const, target, value });
  const mine = buildCommit(aliceKey, { parents: [], seq: 1, ts: 2, ops: [vote(post.id, 1)] });
  const down = buildCommit(carolKey, { parents: [], seq: 1, ts: 2, ops: [vote(post.id, -1)] });
  const up = buildCommit(carolKey, {
    parents: [down.id],
    seq: 2,
    ts: 3,
    ops: [vote(post.id, 1), vote(unheld, -1)],
  });
  const pack = (commits: SignedCommit[]) => {
    const bytes = new Uint8Array(commits.reduce((n, c) => n + c.bytes.length, 0));
    const ends = new Uint32Array(commits.length);
    let at = 0;
    commits.forEach((c, i) => {
      bytes.set(c.bytes, at);
      ends[i] = at += c.bytes.length;
    });
    return { a: commits[0]!.commit.author, lo: 1, first: commits[0]!.id, bytes, ends };
  };
  const row = basePostRow(post, [1, published.id, 0]);
  await v6Device('vote-backfill-1', async (db) => {
    await db.put('pseudonyms', { id: alice, name: 'Alice', hubs: [], createdAt: 0 });
    await db.put('commits', { id: mine.id, bytes: mine.bytes, seq: 1 });
    await db.put('packBytes', pack([published]));
    await db.put('packBytes', pack([down, up]));
    await db.put('posts', row);
  });

  const db = await openCoreDb('vote-backfill-1');
  expect(await db.get('pseudonyms', alice)).toMatchObject({ name: 'Alice' });
  expect((await db.getAll('votes')).map((v) => [v.target, v.voter, v.value]).sort()).toEqual(
    [
      [post.id, alice, 1],
      [post.id, carol, 1],
      [unheld, carol, -1],
    ].sort(),
  );
  expect(await db.getFromIndex('posts', 'byId', post.id)).toEqual({ ...row, vo: { u: 2, d: 0, m: [[alice, 1]] } });
  // The unheld post has a stub, so when it arrives its row is built with the votes (timeline-rows.ts).
  expect(await db.getFromIndex('posts', 'byId', unheld)).toMatchObject({ id: unheld });
  db.close();
});
