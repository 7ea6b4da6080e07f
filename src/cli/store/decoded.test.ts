/**
 * The file store keeps what it stored decoded (decoded.ts), and a timeline read through it shows what one that
 * decodes every held byte again shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { CommitId, ObjectId } from '../../protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { KeyedLock } from '../../runtime/keyed-lock.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { postContent } from '../../../workers/feed/post-content.ts';
import { memoryKeySource } from '../../../workers/keys/key-source.ts';
import { readTimeline } from '../read/timeline.ts';
import { decodeAnew } from '../../../workers/read/held-feed.ts';
import { FileCoreStore } from './file-core-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'murmur-decoded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const [myKey, friendKey] = [51, 52].map((fill) => secretKeyFrom(new Uint8Array(32).fill(fill)));
const me = pseudonymOf(myKey!);
const friend = pseudonymOf(friendKey!);

test('what a file store stored is read back decoded as stored; a timeline through it shows the same', async () => {
  const store = await FileCoreStore.open(join(dir, 'journal'));
  let clock = 1_700_000_000_000;
  const keys = [myKey!, friendKey!].map((secretKey) => ({ id: pseudonymOf(secretKey), secretKey, hubs: [] }));
  const deps = { store, keys: memoryKeySource(keys), now: () => ++clock, locks: new KeyedLock() };
  await commitOwn(deps, me, () => ({ ops: [{ type: 'follow', target: friend, hubs: [] }], posts: [], blobs: [] }));
  let post: ObjectId | undefined;
  const make = postContent(friend, 'kept decoded', {});
  const written = await commitOwn(deps, friend, (ctx) => {
    const content = make(ctx);
    post = content.post.id;
    return content;
  });

  // Kept: answered without reading the bytes given (these would not decode).
  const junk = new Uint8Array([0xff]);
  expect(store.decoded.commit(written.id, junk)).toEqual(written.commit);
  expect(store.decoded.post(post!, junk).body).toBe('kept decoded');
  // Not kept: decoded from the bytes, which must hash to the id.
  expect(() => store.decoded.commit('00'.repeat(32) as CommitId, junk)).toThrow(/hash/);

  const query = { limit: 10 };
  const through = await readTimeline(store, { id: me }, query, undefined, store.decoded);
  expect(through.map((p) => p.body)).toEqual(['kept decoded']);
  expect(through).toEqual(await readTimeline(store, { id: me }, query, undefined, decodeAnew));
  store.close();
});
