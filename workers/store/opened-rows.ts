/**
 * A sealed post opened after its commit was stored: its commit and sealed
 * blob are held, but it got no row then (no one here could open it: a link
 * post made on another device of its author, whose secret came later in the
 * private state). Its row is written now, as ingest would have written it
 * (apply-plan.ts), and its view and its parent's reply count rebuilt in the
 * same transaction.
 */
import type { Stamp } from '../../src/protocol/feed-state.ts';
import type { AgentField } from '../../src/protocol/agents.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { IDBPTransaction, StoreNames } from 'idb';
import type { SealedMark } from './apply-plan.ts';
import type { CoreDb, CoreSchema } from './db.ts';
import { basePostRow, compareKeys, isHeldPost, sealedFields } from './post-rows.ts';
import { ROW_STORES, rebuildRows } from './timeline-rows.ts';

type Tx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

/**
 * @param post the opened post under the sealed blob's id
 * @returns false when it has a row already (nothing written)
 */
export async function addOpenedPost(
  db: CoreDb,
  post: BuiltObject<PostObject>,
  stamp: Stamp,
  mark: SealedMark,
  agent?: AgentField,
): Promise<boolean> {
  const tx = db.transaction(ROW_STORES, 'readwrite') as unknown as Tx;
  const posts = tx.objectStore('posts');
  const current = await posts.index('byId').get(post.id);
  if (isHeldPost(current)) {
    await tx.done;
    return false;
  }
  const row = { ...basePostRow(post, stamp, agent), ...sealedFields(mark) };
  // A stub (something held names the post) sits at another key: the row takes its place.
  if (current && compareKeys(current.k, row.k) !== 0) await posts.delete(current.k);
  // In first, so its parent's reply count (read from the byReplyTo index) includes it.
  await posts.put(row);
  const parent = post.value.reply_to;
  await rebuildRows(tx, parent === undefined ? [post.id] : [post.id, parent], {
    rows: new Map([[post.id, row]]),
    bodies: new Map([[post.id, post.value.body]]),
  });
  await tx.done;
  return true;
}
