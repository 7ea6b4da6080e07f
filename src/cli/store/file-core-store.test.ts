/**
 * The command line's store beyond the shared suite (workers/store/contract.ts runs it in core-store.test.ts):
 * what is acknowledged survives a reopen, a torn final record is dropped (and kept aside), damage before the
 * end is refused by name.
 */
import { appendFileSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildPost } from '../../protocol/objects.ts';
import { KeyedLock } from '../../runtime/keyed-lock.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { memoryKeySource } from '../../../workers/keys/key-source.ts';
import { FileCoreStore } from './file-core-store.ts';
import { CorruptJournal, encodeRecord } from './journal.ts';

const key = secretKeyFrom(new Uint8Array(32).fill(7));
const me = pseudonymOf(key);
let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-file-store-'));
  path = join(dir, 'journal');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Posts `bodies` one by one as own commits; returns their commit ids. */
async function postAll(store: FileCoreStore, bodies: readonly string[]) {
  const deps = { store, keys: memoryKeySource([{ id: me, secretKey: key, hubs: [] }]), now: Date.now };
  const ids = [];
  for (const body of bodies) {
    const signed = await commitOwn({ ...deps, locks: new KeyedLock() }, me, ({ ts }) => {
      const post = buildPost({ author: me, body, ts });
      return { ops: [{ type: 'post', object: post.id }], posts: [post] };
    });
    ids.push(signed.id);
  }
  return ids;
}

test('what was acknowledged is there after a reopen: tips, queue, the feed log, acknowledgements', async () => {
  const first = await FileCoreStore.open(path);
  const ids = await postAll(first, ['one', 'two', 'three']);
  const carried = await first.appendOwnLog(me, ids);
  await first.acknowledge(me, [ids[0]!]);
  const before = {
    tips: await first.findTips(me),
    outbox: await first.readOutbox(me),
    log: await first.findOwnLog(me),
  };
  first.close();

  const again = await FileCoreStore.open(path);
  expect(again.tornBytes).toBe(0);
  expect(await again.findTips(me)).toEqual(before.tips);
  expect(await again.readOutbox(me)).toEqual(before.outbox);
  expect(before.outbox.queued).toHaveLength(2);
  expect(await again.findOwnLog(me)).toEqual(before.log);
  expect(carried).toContain(before.log);
  expect((await again.findBlobs(me, [before.log!])).size).toBe(1);
  // And it goes on from there: a new commit builds on the reopened tips.
  const [next] = await postAll(again, ['four']);
  expect((await again.findCommits(me, [next!]))[0]?.parents).toEqual(before.tips?.heads);
  again.close();
});

test('a final record cut short (a crash mid-write) is dropped and kept aside; the records before it stay', async () => {
  const store = await FileCoreStore.open(path);
  const [kept] = await postAll(store, ['kept']);
  store.close();
  const whole = readFileSync(path).length;
  const [torn] = await postAll((await reopen()).store, ['torn']);
  const full = readFileSync(path);
  truncateSync(path, whole + Math.floor((full.length - whole) / 2));

  const { store: after } = await reopen();
  expect(after.tornBytes).toBeGreaterThan(0);
  expect((await after.findTips(me))?.heads).toEqual([kept]);
  expect(await after.findCommitSeqs(me, [torn!])).toEqual(new Map());
  expect(readFileSync(path).length).toBe(whole);
  expect(readdirSync(dir).filter((f) => f.startsWith('journal.torn-'))).toEqual([`journal.torn-${whole}`]);
  // Appending after the cut lands where the torn record was: a third open reads every record.
  const [later] = await postAll(after, ['later']);
  after.close();
  const { store: third } = await reopen();
  expect((await third.findTips(me))?.heads).toEqual([later]);
  third.close();
});

test('a torn last record (bad check, zeros) is dropped; a bad record before others is CorruptJournal', async () => {
  const store = await FileCoreStore.open(path);
  await postAll(store, ['one']);
  store.close();
  const good = readFileSync(path);

  appendFileSync(path, new Uint8Array(64)); // the file grew, the write never landed
  const zeros = await reopen();
  expect(zeros.store.tornBytes).toBe(64);
  zeros.store.close();

  const flipped = Buffer.from(good);
  flipped[flipped.length - 1]! ^= 1; // the last record's payload
  writeFileSync(path, flipped);
  const flippedTail = await reopen();
  expect(await flippedTail.store.findTips(me)).toBeUndefined();
  flippedTail.store.close();

  writeFileSync(path, Buffer.concat([flipped, encodeRecord(new Uint8Array([1, 2, 3]))]));
  await expect(FileCoreStore.open(path)).rejects.toThrow(CorruptJournal);
  await expect(FileCoreStore.open(path)).rejects.toMatchObject({ name: 'CorruptJournal' });
  writeFileSync(path, 'not a journal at all');
  await expect(FileCoreStore.open(path)).rejects.toMatchObject({ name: 'CorruptJournal' });
});

test('compacting leaves one snapshot record that restores everything; writes go on after it', async () => {
  const store = await FileCoreStore.open(path);
  const ids = await postAll(store, ['one', 'two', 'three']);
  await store.acknowledge(me, [ids[0]!]);
  const before = await store.readOutbox(me);
  const grown = readFileSync(path).length;
  store.close();

  // At open, a journal past the bound is compacted: two records (the snapshot and its bulk) after the magic.
  const compacted = await FileCoreStore.open(path, { compactAfterRecords: 2 });
  const bytes = readFileSync(path);
  expect(bytes.length).toBeLessThan(grown);
  expect(recordLengths(bytes)).toHaveLength(2);
  const [four] = await postAll(compacted, ['four']);
  compacted.close();

  const { store: after } = await reopen();
  expect(await after.readOutbox(me)).toEqual({
    tips: { author: me, heads: [four], seq: 4 },
    queued: [...before.queued, four!].sort(),
  });
  expect((await after.findCommits(me, ids)).map((c) => c.id)).toEqual(ids);
  after.close();
});

test('a command that grew the journal much compacts it as it ends; a small growth stays as records', async () => {
  const store = await FileCoreStore.open(path);
  const ids = await postAll(store, ['one', 'two']);
  expect(await store.compactIfGrown()).toBe(false); // a few KB, far below the bound
  expect(await store.compactIfGrown({ afterBytes: 100 })).toBe(true);
  expect(recordLengths(readFileSync(path))).toHaveLength(2); // the snapshot and its bulk
  expect(await store.compactIfGrown({ afterBytes: 100 })).toBe(false); // nothing after the snapshot
  const [three] = await postAll(store, ['three']);
  store.close();

  const { store: after } = await reopen();
  expect(await after.findTips(me)).toEqual({ author: me, heads: [three], seq: 3 });
  expect((await after.findCommits(me, ids)).map((c) => c.id)).toEqual(ids);
  expect(await after.compactIfGrown({ afterBytes: 1e9 })).toBe(false);
  after.close();
});

test('after a compaction, an open reads the small rows alone; a call that needs the bulk loads it', async () => {
  const store = await FileCoreStore.open(path);
  const ids = await postAll(store, ['one', 'two']);
  const deps = { store, keys: memoryKeySource([{ id: me, secretKey: key, hubs: [] }]), now: Date.now };
  await commitOwn({ ...deps, locks: new KeyedLock() }, me, () => ({
    ops: [{ type: 'profile', name: 'Me' }],
    posts: [],
  }));
  ids.push((await store.findTips(me))!.heads[0]!);
  await store.compact();
  store.close();

  const reopened = await FileCoreStore.open(path);
  expect(reopened.bulkLoaded).toBe(false);
  // What a command that finds nothing new asks: tips, follows, the queue, and whether the hub's heads are held.
  expect(await reopened.findTips(me)).toEqual({ author: me, heads: [ids[2]], seq: 3 });
  expect(await reopened.listFollows(me)).toEqual([]);
  expect((await reopened.readOutbox(me)).queued).toEqual([...ids].sort());
  expect(await reopened.holdsAll(me, [ids[2]])).toBe(true);
  // Profile fields too (a follow's hubs are read from them on every refresh).
  expect(await reopened.findProfileField(me, 'name')).toBe('Me');
  expect(await reopened.findProfileField(pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(8))), 'name')).toBe(
    undefined,
  );
  expect(reopened.bulkLoaded).toBe(false);
  // Heads that are not the tips, and every read of commits or posts, load it, and answer from it.
  expect(await reopened.holdsAll(me, [ids[0]])).toBe(true);
  expect(reopened.bulkLoaded).toBe(true);
  expect((await reopened.findCommits(me, ids)).map((c) => c.id)).toEqual(ids);
  reopened.close();

  const writer = await FileCoreStore.open(path);
  const [three] = await postAll(writer, ['three']); // a write loads it first: the feed goes on from its tips
  expect(writer.bulkLoaded).toBe(true);
  writer.close();
  const { store: after } = await reopen(); // a record after the snapshot: replayed over the whole of it
  expect(after.bulkLoaded).toBe(true);
  expect((await after.findCommits(me, [...ids, three!])).map((c) => c.id)).toEqual([...ids, three]);
  after.close();
});

test('a damaged bulk is found when a call first needs it: CorruptJournal, and nothing is written', async () => {
  const store = await FileCoreStore.open(path);
  const [one] = await postAll(store, ['one']);
  await store.compact();
  store.close();
  const damaged = readFileSync(path);
  damaged[damaged.length - 1]! ^= 1; // the bulk is the last record
  writeFileSync(path, damaged);

  const reopened = await FileCoreStore.open(path);
  expect(await reopened.findTips(me)).toEqual({ author: me, heads: [one], seq: 1 });
  await expect(reopened.findCommits(me, [one!])).rejects.toMatchObject({ name: 'CorruptJournal' });
  await expect(postAll(reopened, ['two'])).rejects.toMatchObject({ name: 'CorruptJournal' });
  reopened.close();
  expect(readFileSync(path)).toEqual(damaged);
});

test('a bulk record that does not follow a snapshot is CorruptJournal', async () => {
  const store = await FileCoreStore.open(path);
  await postAll(store, ['one']);
  await store.compact();
  store.close();
  const bytes = readFileSync(path);
  const [snapshot] = recordLengths(bytes);
  // The magic, then the bulk record alone: its snapshot cut out.
  writeFileSync(path, Buffer.concat([bytes.subarray(0, 16), bytes.subarray(16 + 8 + snapshot!)]));
  await expect(FileCoreStore.open(path)).rejects.toMatchObject({ name: 'CorruptJournal' });
});

test('two writers on one journal (if the home lock failed): both commits are kept, as a fork', async () => {
  const first = await FileCoreStore.open(path);
  const second = await FileCoreStore.open(path); // neither sees the other's writes
  const [a] = await postAll(first, ['from the first']);
  const [b] = await postAll(second, ['from the second']);
  first.close();
  second.close();
  const { store } = await reopen();
  expect([...((await store.findTips(me))?.heads ?? [])].sort()).toEqual([a, b].sort());
  expect((await store.readOutbox(me)).queued).toEqual([a, b].sort());
  store.close();
});

/** The payload length of each record of a journal's bytes (after its 16-byte magic; each has an 8-byte header). */
function recordLengths(bytes: Buffer): number[] {
  const lengths = [];
  for (let at = 16; at < bytes.length; at += 8 + lengths.at(-1)!) lengths.push(bytes.readUInt32BE(at));
  return lengths;
}

async function reopen() {
  return { store: await FileCoreStore.open(path) };
}
