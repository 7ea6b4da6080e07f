/**
 * The v7 upgrade's one data step (db.ts): votes inside commits held before
 * v7, which the worker ignored then, become vote rows merged by the same
 * rule as new ones (last writer wins per target and voter, by stamp), and
 * the posts they name get their tallies, so a device that upgrades shows
 * what one that ingests the same commits afresh shows. Runs inside the
 * versionchange transaction and awaits nothing but IndexedDB.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import type { Commit } from '../../src/protocol/commits.ts';
import { fromUtf8 } from '../../src/protocol/bytes.ts';
import { type Stamp, compareStamps } from '../../src/protocol/feed-state.ts';
import { type CommitId, type ObjectId, hashBytes } from '../../src/protocol/ids.ts';
import type { CoreSchema, VoteRow } from './db.ts';
import { isHeldPost, stubRow, voteView } from './post-rows.ts';

type UpgradeTx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'versionchange'>;

/** Writes the vote rows of every held commit (commit rows and packs) and the tallies of the posts they name. */
export async function backfillVotes(tx: UpgradeTx): Promise<void> {
  const votes = new Map<string, VoteRow>();
  // Stored bytes were verified on the way in: their id and plain JSON are enough (no form checks, and none of
  // the commit module, which would bring the signing code into the core worker's first script).
  const read = (bytes: Uint8Array) => {
    const id = hashBytes(bytes) as CommitId;
    const commit = JSON.parse(fromUtf8(bytes)) as Commit;
    commit.ops.forEach((op, index) => {
      if (op.type !== 'vote') return;
      const stamp: Stamp = [commit.ts, id, index];
      const key = `${op.target} ${commit.author}`;
      const current = votes.get(key);
      if (current && compareStamps(stamp, current.stamp) <= 0) return;
      votes.set(key, { target: op.target, voter: commit.author, value: op.value, stamp });
    });
  };
  for (let c = await tx.objectStore('commits').openCursor(); c; c = await c.continue()) read(c.value.bytes);
  for (let c = await tx.objectStore('packBytes').openCursor(); c; c = await c.continue()) {
    const { bytes, ends } = c.value;
    ends.forEach((end, i) => {
      read(bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end));
    });
  }
  if (votes.size === 0) return;
  const local = new Set(await tx.objectStore('pseudonyms').getAllKeys());
  const byTarget = new Map<ObjectId, VoteRow[]>();
  for (const row of votes.values()) {
    await tx.objectStore('votes').put(row);
    byTarget.set(row.target, [...(byTarget.get(row.target) ?? []), row]);
  }
  const posts = tx.objectStore('posts');
  for (const [target, rows] of byTarget) {
    const post = await posts.index('byId').get(target);
    // Every post a held row names has a row (timeline-rows.ts): a stub until it arrives, then rebuilt with its votes.
    if (!post) await posts.put(stubRow(target));
    else if (isHeldPost(post) && !post.del) {
      const { vo: _none, ...rest } = post;
      await posts.put({ ...rest, ...voteView(rows, local) });
    }
  }
}
