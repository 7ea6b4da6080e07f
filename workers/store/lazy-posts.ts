/**
 * Post rows on demand. A first catch-up of a long feed gives rows only to
 * its newest posts (and to any post that names or is named by another); the
 * older ones stay in their commits' packs (commit-packs.ts: the post's
 * canonical text beside the commit, its id and ts in the pack's index). A
 * post row costs about 0.3 ms of IndexedDB time and a pack a few
 * milliseconds for hundreds of posts (STORAGE.md), so following a feed with
 * 10,000 posts writes a few hundred rows, not 10,000.
 *
 * The promise that keeps reads whole is the feed's mark, kept in one meta
 * row for every feed that has such posts: every post of the feed whose key
 * is at or before the mark ([-ts, tie], so: at least as new) has its row. A
 * read that reaches past a mark first gives rows to that stretch
 * (`materialize`), in one transaction with the new mark; a post named by id
 * (a reaction, an edit, a thread) is given its row when it is looked up.
 * Rows are built by the same code as at ingest (timeline-rows.ts), from the
 * same verified bytes, so a view is the same whichever way its row came.
 */
import { fromUtf8, utf8 } from '../../src/protocol/bytes.ts';
import { decodeCommit } from '../../src/protocol/commits.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { IDBPTransaction, StoreNames } from 'idb';
import type { VerifiedCommit } from './apply-plan.ts';
import { type PackInput, dropLazy, packKeyOf, packRange } from './commit-packs.ts';
import type { CoreDb, CoreSchema, PackBytesRow, PackRow, PostKey } from './db.ts';
import { type HeldPostRow, basePostRow, compareKeys, isHeldPost, postKeyOf } from './post-rows.ts';
import { ROW_STORES, existingPosts, rebuildRows } from './timeline-rows.ts';
import { MARKS, type Marks, dueFeeds, marksOf, readMarks } from './lazy-marks.ts';

/**
 * The newest posts of a first catch-up that get rows at once: a page and a bit. A timeline of many feeds reads
 * a few posts deep into each, and a row (with its search row) is the costly part of storing a post (STORAGE.md).
 */
export const ROWS_AT_ONCE = 64;

type Tx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

/** Records that `author` has posts only in packs after `mark` (the newer of this and any mark it had). */
export async function lowerMark(tx: Tx, author: PseudonymId, mark: PostKey): Promise<void> {
  const meta = tx.objectStore('meta');
  const marks = { ...(await readMarks(meta)) };
  const old = marks[author];
  marks[author] = old && compareKeys(old, mark) < 0 ? old : mark;
  await meta.put({ key: MARKS, value: marks });
}

/**
 * The posts of `items` (not held yet) that go into their commits' packs
 * without a row: older than `below`, each the one post of its commit, not a
 * reply, a quote or with media (threads and the media filter read rows
 * only), named by nothing in `items`, and with no row or stub already.
 */
export function postsToPack(
  items: readonly VerifiedCommit[],
  held: ReadonlySet<CommitId>,
  rows: ReadonlyMap<ObjectId, unknown>,
  below: PostKey,
): Map<CommitId, NonNullable<PackInput['lazy']>> {
  const named = new Set<ObjectId>();
  for (const { signed, posts } of items) {
    for (const op of signed.commit.ops) {
      if ('target' in op && typeof op.target === 'string') named.add(op.target as ObjectId);
      if (op.type === 'edit' || op.type === 'repost') named.add(op.object);
    }
    for (const p of posts) {
      if (p.value.reply_to) named.add(p.value.reply_to);
      if (p.value.quote_of) named.add(p.value.quote_of);
    }
  }
  const packed = new Map<CommitId, NonNullable<PackInput['lazy']>>();
  for (const { signed, posts, reposted } of items) {
    const post = posts[0];
    if (!post || posts.length > 1 || reposted || held.has(signed.id)) continue;
    if (signed.commit.ops.filter((op) => op.type === 'post').length !== 1) continue;
    // A sealed post's row carries its audience and readers, which a pack does not keep.
    if (signed.commit.ops.some((op) => op.type === 'post' && op.audience !== undefined)) continue;
    const { reply_to, quote_of, media, ts } = post.value;
    if (reply_to || quote_of || media?.length || named.has(post.id) || rows.has(post.id)) continue;
    if (compareKeys(postKeyOf(ts, post.id), below) <= 0) continue;
    packed.set(signed.id, { id: post.id, ts, text: fromUtf8(post.bytes) });
  }
  return packed;
}

/** A post in a pack without a row: where it is and what its key is. */
interface Packed {
  readonly id: ObjectId;
  readonly key: PostKey;
  readonly pack: PackRow;
  readonly place: number;
}

function packedPosts(packs: readonly PackRow[]): Packed[] {
  return packs.flatMap((pack) =>
    Object.entries(pack.lazy ?? {}).map(([place, [id, ts]]) => ({
      id,
      key: postKeyOf(ts, id),
      pack,
      place: Number(place),
    })),
  );
}

/**
 * Gives rows to `author`'s packed posts: all of them, those at or before
 * `through`, or those among `ids`; moves the mark past what now has rows.
 * @returns the ids given rows.
 */
async function materialize(tx: Tx, author: PseudonymId, want: Want): Promise<ObjectId[]> {
  const packs = await tx.objectStore('packs').getAll(packRange(author));
  const all = packedPosts(packs).sort((a, b) => compareKeys(a.key, b.key));
  let chosen = all.filter((p) =>
    want.ids ? want.ids.has(p.id) : !want.through || compareKeys(p.key, want.through) <= 0,
  );
  if (want.ids && chosen.length === 0) return [];
  // Cut at `count`: the newest ones, so the mark can move to the last of them.
  const cut = want.count !== undefined && chosen.length > want.count;
  if (cut) chosen = chosen.slice(0, want.count);
  if (chosen.length > 0) await giveRows(tx, chosen);

  const meta = tx.objectStore('meta');
  const marks = { ...(await readMarks(meta)) };
  const old = marks[author];
  const reached = cut ? chosen.at(-1)!.key : want.through;
  if (all.length === chosen.length) delete marks[author];
  else if (!want.ids && old && (!reached || compareKeys(reached, old) > 0)) marks[author] = reached ?? old;
  await meta.put({ key: MARKS, value: marks });
  return chosen.map((p) => p.id);
}

/**
 * Which packed posts of a feed to give rows: all, those at or before
 * `through`, the newest `count` of those, or those among `ids`.
 */
interface Want {
  readonly through?: PostKey;
  readonly count?: number;
  readonly ids?: ReadonlySet<ObjectId>;
}

async function giveRows(tx: Tx, chosen: readonly Packed[]): Promise<void> {
  const byPack = new Map<PackRow, Packed[]>();
  for (const p of chosen) byPack.set(p.pack, [...(byPack.get(p.pack) ?? []), p]);
  const bytesOf = new Map<PackRow, PackBytesRow>();
  await Promise.all(
    [...byPack.keys()].map(async (pack) => {
      const row = await tx.objectStore('packBytes').get(packKeyOf(pack));
      if (row) bytesOf.set(pack, row);
    }),
  );

  const objects: BuiltObject<PostObject>[] = [];
  const rows = new Map<ObjectId, HeldPostRow>();
  for (const [pack, posts] of byPack) {
    const data = bytesOf.get(pack);
    if (!data) continue;
    for (const { id, place } of posts) {
      const text = data.texts?.[place];
      if (text === undefined) continue;
      // Verified when the commit and the post were ingested: decoding is enough.
      const { commit } = decodeCommit(data.bytes.subarray(place === 0 ? 0 : data.ends[place - 1]!, data.ends[place]!));
      const object: BuiltObject<PostObject> = { id, value: JSON.parse(text) as PostObject, bytes: utf8(text) };
      const index = commit.ops.findIndex((op) => op.type === 'post' && op.object === id);
      objects.push(object);
      rows.set(id, basePostRow(object, [commit.ts, pack.ids[place]!, index], commit.agent));
    }
  }

  // A post some held row names has a stub (timeline-rows.ts); one a repost brought may have its row already.
  const posts = tx.objectStore('posts');
  const existing = await existingPosts(posts as never, objects);
  const fresh = new Set<ObjectId>();
  const writes: Promise<unknown>[] = [];
  for (const id of rows.keys()) {
    const old = existing.get(id);
    if (isHeldPost(old)) rows.delete(id);
    else if (old) writes.push(posts.delete(old.k));
    else fresh.add(id);
  }
  await Promise.all(writes);
  await rebuildRows(tx, rows.keys(), { rows, fresh, bodies: new Map(objects.map((o) => [o.id, o.value.body])) });
  await Promise.all(
    [...byPack].map(([pack, posts]) =>
      dropLazy(
        tx.objectStore('packs'),
        tx.objectStore('packBytes'),
        pack,
        bytesOf.get(pack)!,
        new Set(posts.map((p) => p.place)),
      ),
    ),
  );
}

/**
 * Gives rows to the packed posts among `ids` (whatever feed they are in):
 * for reads and writes that name posts by id alone.
 */
export async function materializeIds(tx: Tx, ids: Iterable<ObjectId>, marks: Marks): Promise<Set<ObjectId>> {
  const wanted = new Set(ids);
  const done = new Set<ObjectId>();
  for (const author of Object.keys(marks) as PseudonymId[]) {
    if (wanted.size === 0) break;
    for (const id of await materialize(tx, author, { ids: wanted })) {
      wanted.delete(id);
      done.add(id);
    }
  }
  return done;
}

/**
 * Gives rows to the packed posts of `authors` at or before `through` (to
 * everything when undefined), at most `count` per feed, newest first, in
 * one transaction.
 */
export async function rowsThrough(
  db: CoreDb,
  authors: readonly PseudonymId[],
  through: PostKey | undefined,
  count?: number,
): Promise<void> {
  const tx = db.transaction(ROW_STORES, 'readwrite') as unknown as Tx;
  // Read again inside the write: another tab may have done some of it meanwhile.
  for (const author of dueFeeds(await readMarks(tx.objectStore('meta')), authors, through)) {
    await materialize(tx, author, { ...(through && { through }), ...(count !== undefined && { count }) });
  }
  await tx.done;
}

/** Gives a row to `id` if it is a packed post (before a read of it by id). */
export async function rowFor(db: CoreDb, id: ObjectId): Promise<void> {
  const marks = await marksOf(db);
  if (Object.keys(marks).length === 0) return;
  const tx = db.transaction(ROW_STORES, 'readwrite') as unknown as Tx;
  await materializeIds(tx, [id], await readMarks(tx.objectStore('meta')));
  await tx.done;
}

/** How many posts are held only in packs (storage figures). */
export async function packedPostCount(db: CoreDb): Promise<number> {
  const marks = await marksOf(db);
  const counts = await Promise.all(
    Object.keys(marks).map(
      async (author) => packedPosts(await db.getAll('packs', packRange(author as PseudonymId))).length,
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** The ts of each of `author`'s posts held only in packs (profile counts). */
export async function packedPostTimes(db: CoreDb, author: PseudonymId): Promise<number[]> {
  if (!(await marksOf(db))[author]) return [];
  return packedPosts(await db.getAll('packs', packRange(author))).map((p) => -p.key[0]);
}
