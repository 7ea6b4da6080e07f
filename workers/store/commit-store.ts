/**
 * The commit store: writes verified commits (commit rows with their bytes,
 * post rows with their views, other blobs, follow and social rows, tips,
 * outbox) in ONE transaction each call, reading only what can already be
 * there (a catch-up reads no row per commit), and the small
 * reads that ingest, the outbox and local commits need before a write.
 * Nothing here fetches, hashes or verifies: callers do that before calling,
 * so no transaction ever waits for anything but IndexedDB. What a batch
 * writes is planned purely (commit-plan.ts: own and ingested batches);
 * this module reads what the plan needs and applies it.
 */
import { utf8 } from '../../src/protocol/bytes.ts';
import { linksOfHeldCommit } from '../../src/protocol/commits.ts';
import { type CommitId, type ObjectId, type PseudonymId, isObjectId } from '../../src/protocol/ids.ts';
import { type ExistingRows, type VerifiedCommit, followKey } from './apply-plan.ts';
import { type ApplyInput, type CommitPlan, groupBy, planCommits, tipsMoved } from './commit-plan.ts';
import { type SocialExisting, socialKey, socialKeysOf } from './social-plan.ts';
import { type PostStore, ROW_STORES, existingPosts, postsOfAuthor, rebuildRows } from './timeline-rows.ts';
import type { IDBPTransaction, StoreNames } from 'idb';
import {
  type CommitRow,
  type CoreDb,
  type CoreSchema,
  type FollowRow,
  type PostKey,
  type TipsRow,
  ownBytes,
} from './db.ts';
import { CoreError } from '../errors.ts';
import type { ApplyResult, HeldCommit } from './core-store.ts';
import { type PackReads, appendToPacks, findPacked, packedBytes, packedMedia } from './commit-packs.ts';
import { type Marks, readMarks } from './lazy-marks.ts';
import { lowerMark, materializeIds } from './lazy-posts.ts';
import { applyRevokedRows } from './revocation-rows.ts';
import { PACKS_TO_INDEX } from './search-rows.ts';

/** The options of applyCommits; `outbox` makes the batch own commits (commit-plan.ts ApplyInput). */
export interface ApplyOptions {
  /** Local commits: the tips they were built on. If the feed moved meanwhile, nothing is written (Conflict). */
  readonly expectTips?: { readonly author: PseudonymId; readonly heads: readonly CommitId[] };
  /** Queue the commits in this pseudonym's outbox (own commits not yet on the home hub). */
  readonly outbox?: { readonly pseudonym: PseudonymId; readonly queuedAt: number };
  /**
   * Ingest of a long feed: plain posts older than this key stay in the packs without rows (lazy-posts.ts postsToPack).
   */
  readonly packBelow?: PostKey;
}

export type { ApplyResult, HeldCommit } from './core-store.ts';

const STORES = [...new Set(['commits', 'tips', 'outbox', ...ROW_STORES] as const)];
type Tx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

/**
 * applyBatch with the kind told by the options: own commits when `outbox` is given, else ingested.
 * @throws CoreError Conflict when `expectTips` no longer holds; TypeError for `expectTips` without `outbox`.
 */
export function applyCommits(
  db: CoreDb,
  items: readonly VerifiedCommit[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const { outbox, expectTips, packBelow } = options;
  if (expectTips && !outbox) throw new TypeError('expectTips is for own commits: give their outbox too');
  return applyBatch(
    db,
    outbox
      ? { kind: 'own', items, outbox, ...(expectTips && { expectTips }) }
      : { kind: 'ingested', items, ...(packBelow && { packBelow }) },
  );
}

/**
 * Writes a batch (verified, in DAG order, each one's parents held or earlier
 * in it) in one transaction, and waits for it to commit: reads the rows it
 * touches, plans the write purely (commit-plan.ts), then applies the plan.
 * @throws CoreError Conflict when an own batch's `expectTips` no longer holds.
 */
export async function applyBatch(db: CoreDb, input: ApplyInput): Promise<ApplyResult> {
  // Own commits exist nowhere else until pushed: flushed to disk. Ingested ones can be fetched again from hubs.
  const tx = db.transaction(STORES, 'readwrite', { durability: input.kind === 'own' ? 'strict' : 'relaxed' });
  const held = await readHeld(tx, input.items);
  if (tipsMoved(input, held)) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new CoreError('Conflict', 'the feed moved while a commit was being built');
  }
  const fresh = input.items.filter((i) => !held.heldCommits.has(i.signed.id));
  const [social, marks] = await Promise.all([readSocial(tx, fresh), readMarks(tx.objectStore('meta'))]);
  const plan = planCommits(input, { ...held, social, anyMarks: Object.keys(marks).length > 0 });
  await writePlan(tx, plan, marks);
  return { added: plan.added, posts: plan.postCount, follows: plan.followCount };
}

/** The commit, post, follow and tips rows a batch depends on, as they are now. */
async function readHeld(tx: Tx, items: readonly VerifiedCommit[]): Promise<ExistingRows> {
  const all = items.flatMap((i) => [...i.posts, ...(i.reposted ?? []).map((r) => r.post)]);
  const objects = [...new Map(all.map((o) => [o.id, o])).values()];
  const followKeys = new Map<string, [PseudonymId, PseudonymId]>();
  for (const { signed } of items) {
    for (const op of signed.commit.ops) {
      if (op.type !== 'follow' && op.type !== 'unfollow') continue;
      followKeys.set(followKey(signed.commit.author, op.target), [signed.commit.author, op.target]);
    }
  }
  const authors = [...new Set(items.map((i) => i.signed.commit.author))];
  const tipRows = await Promise.all(authors.map((a) => tx.objectStore('tips').get(a)));
  const [held, postRows, followRows] = await Promise.all([
    heldAmong(tx, items, tipRows),
    existingPosts(tx.objectStore('posts') as unknown as PostStore, objects),
    Promise.all([...followKeys.values()].map((key) => tx.objectStore('follows').get(key))),
  ]);
  return {
    heldCommits: held,
    posts: postRows,
    follows: new Map(
      followRows.filter((r): r is FollowRow => r !== undefined).map((r) => [followKey(r.pseudonym, r.target), r]),
    ),
    tips: new Map(tipRows.filter((r): r is TipsRow => r !== undefined).map((r) => [r.author, r])),
  };
}

/** Applies a plan inside its transaction, and waits for the transaction to commit. */
async function writePlan(tx: Tx, plan: CommitPlan, marks: Marks): Promise<void> {
  const { writes, social } = plan;
  // Posts named here that only packs hold get their rows first, before any pack is rewritten below (lazy-posts.ts).
  if (plan.materialize.size > 0) await materializeIds(tx, plan.materialize, marks);
  for (const author of plan.lowerMarks.authors) await lowerMark(tx, author, plan.lowerMarks.to!);
  const puts: Promise<unknown>[] = [];
  for (const row of social.edits) puts.push(tx.objectStore('edits').put(row));
  for (const row of social.tombstones) puts.push(tx.objectStore('tombstones').put(row));
  for (const row of social.reactions) puts.push(tx.objectStore('reactions').put(row));
  for (const row of social.reposts) puts.push(tx.objectStore('reposts').put(row));
  for (const row of social.profiles) puts.push(tx.objectStore('profiles').put(row));
  for (const row of social.votes) puts.push(tx.objectStore('votes').put(row));
  for (const row of writes.blobs) puts.push(tx.objectStore('blobs').put(row));
  if (plan.commits.kind === 'rows') {
    for (const row of plan.commits.rows) {
      puts.push(tx.objectStore('commits').put({ ...row, bytes: ownBytes(row.bytes) }));
    }
  } else {
    // Ingested: packed, a feed at a time (commit-packs.ts), with the posts that get no row yet.
    for (const [author, rows] of plan.commits.byAuthor) {
      puts.push(appendToPacks(tx.objectStore('packs'), tx.objectStore('packBytes'), author, rows));
      // Posts kept only in packs are indexed before the next search, not here (search-rows.ts PACKS_TO_INDEX).
      if (rows.some((r) => r.lazy)) puts.push(tx.objectStore('meta').put({ key: PACKS_TO_INDEX, value: true }));
    }
  }
  const posts = tx.objectStore('posts');
  for (const key of plan.staleKeys) puts.push(posts.delete(key));
  // Replies go in first, so their parents' reply counts (read from the byReplyTo index below) include them.
  for (const row of writes.posts) if (row.rt) puts.push(posts.put(row));
  for (const row of writes.follows) puts.push(tx.objectStore('follows').put(row));
  for (const row of writes.tips) puts.push(tx.objectStore('tips').put(row));
  for (const row of writes.outbox) puts.push(tx.objectStore('outbox').put(row));

  // The post rows (with their views) these commits change, written in this same transaction.
  const touched = new Set(plan.touched);
  for (const ids of await Promise.all(plan.moved.map((a) => postsOfAuthor(tx, a))))
    for (const id of ids) touched.add(id);
  const rows = new Map(writes.posts.map((p) => [p.id, p]));
  puts.push(rebuildRows(tx, touched, { rows, fresh: plan.fresh, bodies: plan.bodies }));
  if (plan.revoking.length === 0) return void (await Promise.all([...puts, tx.done]));
  // A revocation: the feed's rows become the model's over everything held (revocation-rows.ts), same transaction.
  await Promise.all(puts);
  for (const author of plan.revoking) await applyRevokedRows(tx, author);
  await tx.done;
}

/**
 * Which of `items` are held already. A feed's tips row holds the greatest seq
 * held for it, so only commits at or below it need a read: a catch-up reads
 * none.
 */
async function heldAmong(
  tx: Tx,
  items: readonly VerifiedCommit[],
  tipRows: readonly (TipsRow | undefined)[],
): Promise<Set<CommitId>> {
  const top = new Map(tipRows.filter((r) => r !== undefined).map((r) => [r.author, r.seq]));
  const maybe = items.filter(({ signed }) => signed.commit.seq <= (top.get(signed.commit.author) ?? 0));
  const byAuthor = groupBy(maybe, (i) => i.signed.commit.author);
  const held = await Promise.all(
    [...byAuthor].map(([author, some]) =>
      heldSeqs(
        tx.objectStore('commits'),
        tx.objectStore('packs'),
        author,
        some.map((i) => i.signed.id),
      ),
    ),
  );
  return new Set(held.flatMap((seqs) => [...seqs.keys()]));
}

/** What the held checks read, in any transaction over the commit and pack stores. */
interface CommitReads {
  get(id: CommitId): Promise<CommitRow | undefined>;
}

/** The seq of each of `author`'s commits among `ids` that is held, as a row (own, made here) or packed (ingested). */
async function heldSeqs(
  commits: CommitReads,
  packs: PackReads,
  author: PseudonymId,
  ids: readonly CommitId[],
): Promise<Map<CommitId, number>> {
  const seqs = new Map<CommitId, number>();
  for (const row of await Promise.all(ids.map((id) => commits.get(id)))) if (row) seqs.set(row.id, row.seq);
  const rest = ids.filter((id) => !seqs.has(id));
  for (const [id, { seq }] of await findPacked(packs, author, rest)) seqs.set(id, seq);
  return seqs;
}

/** The social rows `items` may touch, as they are now (read inside the write transaction). */
async function readSocial(tx: Tx, items: readonly VerifiedCommit[]): Promise<SocialExisting> {
  const keys = socialKeysOf(items);
  const [edits, editedBy, tombstones, reactions, reposts, profiles, votes] = await Promise.all([
    Promise.all(keys.edits.map((k) => tx.objectStore('edits').get(k))),
    // A delete may name an edit version held already: the post it edits must show another version.
    Promise.all(keys.tombstones.map(([target]) => tx.objectStore('edits').index('byVersion').getAll(target))),
    Promise.all(keys.tombstones.map((k) => tx.objectStore('tombstones').get(k))),
    Promise.all(keys.reactions.map((k) => tx.objectStore('reactions').get(k))),
    Promise.all(keys.reposts.map((k) => tx.objectStore('reposts').get(k))),
    Promise.all(keys.profiles.map((k) => tx.objectStore('profiles').get(k))),
    Promise.all(keys.votes.map((k) => tx.objectStore('votes').get(k))),
  ]);
  const byKey = <R>(rows: (R | undefined)[], key: (r: R) => string[]) =>
    new Map(rows.filter((r): r is R => r !== undefined).map((r) => [socialKey(...key(r)), r]));
  return {
    edits: byKey([...edits, ...editedBy.flat()], (r) => [r.target, r.id]),
    tombstones: byKey(tombstones, (r) => [r.target, r.author]),
    reactions: byKey(reactions, (r) => [r.target, r.emoji, r.reactor]),
    reposts: byKey(reposts, (r) => [r.object, r.reposter]),
    profiles: byKey(profiles, (r) => [r.author, r.field]),
    votes: byKey(votes, (r) => [r.target, r.voter]),
  };
}

export function findTips(db: CoreDb, author: PseudonymId): Promise<TipsRow | undefined> {
  return db.get('tips', author);
}

/** The seq of each of `author`'s commits among `ids` that we hold (ids not held are left out). */
export async function findCommitSeqs(
  db: CoreDb,
  author: PseudonymId,
  ids: readonly CommitId[],
): Promise<Map<CommitId, number>> {
  const tx = db.transaction(['commits', 'packs']);
  return heldSeqs(tx.objectStore('commits'), tx.objectStore('packs'), author, ids);
}

/** The held commits of `author` among `ids`. */
export async function findCommits(db: CoreDb, author: PseudonymId, ids: readonly CommitId[]): Promise<HeldCommit[]> {
  const tx = db.transaction(['commits', 'packs', 'packBytes']);
  const rows = (await Promise.all(ids.map((id) => tx.objectStore('commits').get(id)))).filter((r) => r !== undefined);
  const packed = await findPacked(
    tx.objectStore('packs'),
    author,
    ids.filter((id) => !rows.some((r) => r.id === id)),
  );
  const bytes = await packedBytes(tx.objectStore('packBytes'), packed);
  for (const [id, { pack, index }] of packed) {
    const media = packedMedia(pack, index);
    if (bytes.has(id))
      rows.push({ id, seq: pack.seqs[index]!, bytes: bytes.get(id)!, ...(media.length > 0 && { media }) });
  }
  // Reading the links again is the price of not storing them twice beside the bytes.
  return rows.map((r) => {
    const { parents, named } = linksOfHeldCommit(r.bytes);
    const objects = r.media ? [...new Set([...named, ...r.media])] : named;
    return { id: r.id, seq: r.seq, parents, objects, named: named.length };
  });
}

/** True when `heads` (untrusted: from a hub) is a non-empty list of `author`'s commit ids that we all hold. */
export async function holdsAll(db: CoreDb, author: PseudonymId, heads: unknown): Promise<boolean> {
  if (!Array.isArray(heads) || heads.length === 0 || !heads.every(isObjectId)) return false;
  // Most often the hub's head is exactly our tips: one read, not the feed's pack index.
  const tips = await findTips(db, author);
  if (tips && heads.every((h) => tips.heads.includes(h))) return true;
  return (await findCommitSeqs(db, author, heads)).size === heads.length;
}

/**
 * Bytes of the blobs we hold among `ids`: commits and posts keep theirs in
 * their own rows, and `author`'s ingested commits in its packs. A sealed
 * post's bytes are its blob row's; its post row's opened text is never
 * answered for its id (what a push or a feed file sends must hash to it, and
 * must not be the plaintext).
 */
export async function findBlobs(
  db: CoreDb,
  author: PseudonymId,
  ids: readonly ObjectId[],
): Promise<Map<ObjectId, Uint8Array>> {
  const tx = db.transaction(['blobs', 'commits', 'posts', 'packs', 'packBytes']);
  const [blobs, commits, posts] = await Promise.all([
    Promise.all(ids.map((id) => tx.objectStore('blobs').get(id))),
    Promise.all(ids.map((id) => tx.objectStore('commits').get(id))),
    Promise.all(ids.map((id) => tx.objectStore('posts').index('byId').get(id))),
  ]);
  const found = new Map<ObjectId, Uint8Array>();
  ids.forEach((id, i) => {
    // A sealed post's row holds its opened text under the sealed id: never bytes to send anywhere.
    const text = posts[i]?.au === undefined ? posts[i]?.text : undefined;
    const bytes = blobs[i]?.bytes ?? commits[i]?.bytes ?? (text !== undefined ? utf8(text) : undefined);
    if (bytes) found.set(id, bytes);
  });
  // The feed's pack index is read only for what no row holds (a push of own commits usually finds them all as rows).
  const rest = ids.filter((id) => !found.has(id));
  for (const [id, bytes] of await packedBytes(
    tx.objectStore('packBytes'),
    await findPacked(tx.objectStore('packs'), author, rest),
  ))
    found.set(id, bytes);
  return found;
}

/** Commits held (rows and packed), for tests and benches that count what a store holds. */
export async function countCommits(db: CoreDb): Promise<number> {
  const packs = await db.getAll('packs');
  return (await db.count('commits')) + packs.reduce((n, p) => n + p.ids.length, 0);
}
