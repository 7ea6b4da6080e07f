/**
 * Revocation's rows in IndexedDB (revocation-plan.ts planRevokedRows decides):
 * inside the transaction of a batch that brings a feed a revocation, a
 * refused commit, or a repost of a post its revoked agent published (a
 * repost gives the post a row: commit-plan.ts revokingFeeds), reads the
 * feed's held commits and makes every row a revoked agent's commit
 * touches what the feed's counted commits make it, then rebuilds the views
 * of the posts concerned. An agent's commit held before a revocation it does
 * not descend from so loses its rows (the model refuses it), and one refused
 * before, that a later revocation descends from, gets them.
 *
 * Cost, paid only by such a batch (rare: it needs a revoked agent): the feed's pack
 * index and bytes read whole and every held commit of the feed decoded (and
 * hashed) once, its own commit rows read one by one walking from its tips;
 * then a read and a write per recomputed key, and a view rebuild per post a
 * key names. A 10,000-commit feed decodes 10,000 commits in that transaction.
 */
import type { IDBPTransaction, StoreNames } from 'idb';
import { utf8 } from '../../src/protocol/bytes.ts';
import { type Commit, decodeCommit } from '../../src/protocol/commits.ts';
import { compareStamps } from '../../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import { type PackedCommit, packRange, packedBytes } from './commit-packs.ts';
import { type CoreSchema, blobRowOf } from './db.ts';
import { readMarks } from './lazy-marks.ts';
import { materializeIds } from './lazy-posts.ts';
import { isSealedPost } from '../../src/protocol/audience.ts';
import { basePostRow, restampedRow, compareKeys, isHeldPost, stampOf } from './post-rows.ts';
import { type FeedCommit, type KeyedRow, type PlannedPost, planRevokedRows } from './revocation-plan.ts';
import { postsOfAuthor, rebuildRows } from './timeline-rows.ts';

type Tx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

/** Every commit of `author` held (packed or a commit row), decoded: what the model's rule is taken over. */
export async function readFeed(tx: Tx, author: PseudonymId): Promise<FeedCommit[]> {
  const packs = await tx.objectStore('packs').getAll(packRange(author));
  const entries = packs.flatMap((pack) =>
    pack.ids.map((id, index): [CommitId, PackedCommit] => [id, { seq: pack.seqs[index]!, pack, index }]),
  );
  const feed = new Map<CommitId, Commit>();
  for (const [id, bytes] of await packedBytes(tx.objectStore('packBytes'), entries))
    feed.set(id, decodeCommit(bytes, id).commit);
  // Own commits made on this device are commit rows (no author index): reached from the tips through parents.
  const seen = new Set<CommitId>();
  let frontier = [...((await tx.objectStore('tips').get(author))?.heads ?? [])];
  while (frontier.length > 0) {
    const wanted = [...new Set(frontier)].filter((id) => !seen.has(id));
    for (const id of wanted) seen.add(id);
    const rows = await Promise.all(wanted.filter((id) => !feed.has(id)).map((id) => tx.objectStore('commits').get(id)));
    for (const row of rows) if (row) feed.set(row.id, decodeCommit(row.bytes, row.id).commit);
    frontier = wanted.flatMap((id) => feed.get(id)?.parents ?? []);
  }
  return [...feed].map(([id, commit]) => ({ id, commit }));
}

/** Puts each planned row and deletes each key planned to have none. */
function sync<K, R>(
  store: { put(row: R): Promise<unknown>; delete(key: K): Promise<unknown> },
  rows: readonly KeyedRow<K, R>[],
): Promise<unknown>[] {
  return rows.map(({ key, row }) => (row ? store.put(row) : store.delete(key)));
}

/**
 * Makes `author`'s rows the model's once the feed holds a revocation (call after the batch's own writes, in its
 * transaction; it awaits nothing but IndexedDB).
 */
export async function applyRevokedRows(tx: Tx, author: PseudonymId): Promise<void> {
  const plan = planRevokedRows(await readFeed(tx, author));
  if (!plan) return;
  const marks = await readMarks(tx.objectStore('meta'));
  // A post still only in a pack gets its row first, so what follows reads and writes rows alone (lazy-posts.ts).
  if (Object.keys(marks).length > 0) await materializeIds(tx, plan.touchedPosts, marks);
  const rebuild = new Set(plan.touchedPosts);
  // A delete that names an edit version shows the post it edits differently when it comes or goes.
  const versions = plan.tombstones.map(({ key }) => tx.objectStore('edits').index('byVersion').getAll(key[0]));
  for (const edits of await Promise.all(versions)) for (const e of edits) rebuild.add(e.target);
  await Promise.all([
    ...sync(tx.objectStore('edits'), plan.edits),
    ...sync(tx.objectStore('tombstones'), plan.tombstones),
    ...sync(tx.objectStore('reactions'), plan.reactions),
    ...sync(tx.objectStore('reposts'), plan.reposts),
    ...sync(tx.objectStore('profiles'), plan.profiles),
    ...sync(tx.objectStore('votes'), plan.votes),
    ...sync(tx.objectStore('follows'), plan.follows),
  ]);
  for (const parent of await Promise.all(plan.posts.map(({ key, row }) => putPostRow(tx, key, row))))
    if (parent) rebuild.add(parent);
  const moved = plan.follows.map(({ key }) => key[1]);
  if (plan.profiles.some(({ key }) => key[1] === 'name')) moved.push(author);
  for (const ids of await Promise.all(moved.map((a) => postsOfAuthor(tx, a)))) for (const id of ids) rebuild.add(id);
  await rebuildRows(tx, rebuild);
}

/**
 * Makes one of the feed's posts' base row the planned one (no view: rebuildRows adds it, or a stub where the post
 * counts nowhere now). A post leaving its row keeps its bytes as a blob: its refused commit stays held, and a push
 * of it carries them. Returns the post it replies to, whose reply count may change.
 */
async function putPostRow(tx: Tx, id: ObjectId, want: PlannedPost | undefined): Promise<ObjectId | undefined> {
  const posts = tx.objectStore('posts');
  const current = await posts.index('byId').get(id);
  const held = isHeldPost(current) ? current : undefined;
  if (!want) {
    if (!held) return undefined;
    // Its search row goes with its row (search-rows.ts): a refused post is never found.
    const gone: Promise<unknown>[] = [posts.delete(held.k), tx.objectStore('search').delete(held.k)];
    // A sealed post's blob row holds its sealed bytes already: the opened text must never take their place.
    if (!held.au) gone.push(tx.objectStore('blobs').put(blobRowOf(id, utf8(held.text))));
    await Promise.all(gone);
    return held.rt;
  }
  if (held && compareStamps(stampOf(held), want.stamp) === 0) return undefined;
  const bytes = held ? undefined : (await tx.objectStore('blobs').get(id))?.bytes;
  // Its bytes never reached this device, or only sealed (no one here opened it): nothing to show.
  if (!held && (!bytes || isSealedPost(bytes))) return undefined;
  const row = held
    ? restampedRow(held, want.stamp, want.agent)
    : basePostRow(decodePost(bytes!, id), want.stamp, want.agent);
  if (current && compareKeys(current.k, row.k) !== 0)
    await Promise.all([posts.delete(current.k), tx.objectStore('search').delete(current.k)]);
  await posts.put(row);
  return row.rt;
}
