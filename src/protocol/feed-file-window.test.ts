/**
 * How the feed file reader begins its signature checks: half a window at a time, in one turn, so a verifier that
 * batches the calls of a turn (workers/verify/verify-pool.ts, the command line's threads) gets them together.
 */
import { expect, test } from 'vitest';
import { fromHex } from './bytes.ts';
import { buildCommit } from './commits.ts';
import { encodeFeedFile } from './feed-file.ts';
import { readFeedFile } from './feed-file-reader.ts';
import type { CommitId } from './ids.ts';
import { type Verify, pickVerify, pseudonymOf } from './keys.ts';
import { buildPost } from './objects.ts';

const KEY = fromHex('11'.repeat(32));
const AUTHOR = pseudonymOf(KEY);
const T0 = 1_767_225_600_000;
const verify = await pickVerify();

/** A feed file of `count` one-post commits in a chain, as one chunk. */
async function chainFile(count: number): Promise<Uint8Array> {
  const commits = [];
  let parents: CommitId[] = [];
  for (let i = 0; i < count; i++) {
    const post = buildPost({ author: AUTHOR, body: `post ${i}`, ts: T0 + i });
    const signed = buildCommit(KEY, { parents, seq: i + 1, ts: T0 + i, ops: [{ type: 'post', object: post.id }] });
    parents = [signed.id];
    commits.push({ bytes: signed.bytes, blobs: new Map([[post.id, post.bytes]]) });
  }
  const parts: Uint8Array[] = [];
  for await (const part of encodeFeedFile({ header: { author: AUTHOR, commits: count, ts: T0 + count }, commits }))
    parts.push(part);
  return Buffer.concat(parts);
}

test('checks are begun half a window at a time in one turn, as a batching verifier wants', async () => {
  const bytes = await chainFile(41);
  // A turn ends at the first microtask after a call, as verify-pool.ts flushes its queue.
  const perTurn: number[] = [];
  let open = false;
  const batching: Verify = (signature, message, publicKey) => {
    if (!open) {
      open = true;
      perTurn.push(0);
      queueMicrotask(() => {
        open = false;
      });
    }
    perTurn[perTurn.length - 1]!++;
    return verify(signature, message, publicKey);
  };
  async function* oneChunk() {
    yield bytes;
  }
  let commits = 0;
  for await (const item of readFeedFile(oneChunk(), { verify: batching, now: T0 + 86_400_000, window: 8 }))
    if (item.kind === 'commit') commits++;
  expect(commits).toBe(41);
  expect(perTurn.reduce((a, b) => a + b)).toBe(41);
  // The first fills the window (and the commit being read when it was found full, and the next); each later one
  // refills half of it. Drained one at a time, every turn would begin one check.
  expect(perTurn[0]).toBe(10);
  for (const calls of perTurn.slice(1, -1)) expect(calls).toBe(5);
});
