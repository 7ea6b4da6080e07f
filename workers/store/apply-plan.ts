/**
 * What writing a set of verified commits changes, computed purely from the
 * commits and the rows they touch (read first, inside the same transaction).
 * The merge rules are the protocol's (feed-state.ts), by stamp (commit ts,
 * commit id, op index): posts are a set (an id appears once, earliest stamp
 * kept), follows are last-writer-wins per target; tips are the held commits
 * no held commit names as parent. Every commit and every blob it names is
 * stored; the social ops are planned in social-plan.ts.
 */
import { mistFilesOf } from '../../src/protocol/blob-roles.ts';
import type { AgentField } from '../../src/protocol/agents.ts';
import type { SignedCommit } from '../../src/protocol/commits.ts';
import { type Stamp, compareStamps } from '../../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { SealedAudienceKind } from '../../src/protocol/ops.ts';
import {
  type BlobRow,
  type CommitRow,
  type FollowRow,
  type OutboxRow,
  type PostRow,
  type TipsRow,
  blobRowOf,
  followRowOf,
} from './db.ts';
import { type HeldPostRow, basePostRow, isHeldPost, sealedFields, stampOf } from './post-rows.ts';

/** A commit whose hash, signature, author, seq and objects have all been checked. */
export interface VerifiedCommit {
  readonly signed: SignedCommit;
  /** Every blob its ops name (objectIdsOf), each checked against its id. */
  readonly blobs: readonly { readonly id: ObjectId; readonly bytes: Uint8Array }[];
  /**
   * The post objects among them published by its post ops (author checked), decoded. A sealed post op's is the
   * opened post under the op's `object` (the sealed blob's id), and only when this device could open it.
   */
  readonly posts: readonly BuiltObject<PostObject>[];
  /** Its sealed post ops' audiences and who opened each (sealed-posts.ts); absent when it publishes none. */
  readonly sealed?: readonly SealedMark[];
  /** Own blobs no op names that travel with it (a secret mist's sealed file): a push carries them. */
  readonly carried?: readonly ObjectId[];
  /** Posts its repost ops share, each with the stamp of the original author's commit that published it. */
  readonly reposted?: readonly {
    readonly post: BuiltObject<PostObject>;
    readonly stamp: Stamp;
    readonly agent?: AgentField;
  }[];
}

/**
 * A sealed post a commit publishes: the local pseudonyms that opened it, the content key its media and edit
 * versions open with (when one opened it), and the link secret its author keeps.
 */
export interface SealedMark {
  readonly id: ObjectId;
  readonly audience: SealedAudienceKind;
  readonly readers: readonly PseudonymId[];
  readonly contentKey?: Uint8Array;
  readonly linkSecret?: Uint8Array;
}

/** The rows a plan depends on, as they are before the write. */
export interface ExistingRows {
  readonly heldCommits: ReadonlySet<CommitId>;
  /** Rows of the posts the items publish (stubs included). */
  readonly posts: ReadonlyMap<ObjectId, PostRow>;
  /** Keyed by followKey(pseudonym, target). */
  readonly follows: ReadonlyMap<string, FollowRow>;
  readonly tips: ReadonlyMap<PseudonymId, TipsRow>;
}

export interface Writes {
  readonly blobs: BlobRow[];
  readonly commits: CommitRow[];
  /** Base rows (no view: timeline-rows.ts adds it and writes them). */
  readonly posts: HeldPostRow[];
  readonly follows: FollowRow[];
  readonly tips: TipsRow[];
  readonly outbox: OutboxRow[];
}

export function followKey(pseudonym: PseudonymId, target: PseudonymId): string {
  return `${pseudonym}/${target}`;
}

export function followStamp(row: FollowRow): Stamp {
  return [row.ts, row.commitId, row.opIndex];
}

/** True when `next` wins over `current` under last-writer-wins by stamp. */
export function followWins(next: FollowRow, current: FollowRow | undefined): boolean {
  return !current || compareStamps(followStamp(next), followStamp(current)) > 0;
}

/**
 * The tips after adding `added` (commits not held before, whose parents are all
 * held or added: the store stays closed under parents).
 */
export function advanceTips(
  author: PseudonymId,
  old: TipsRow | undefined,
  added: readonly { id: CommitId; parents: readonly CommitId[]; seq: number }[],
): TipsRow {
  const heads = new Set<CommitId>(old?.heads ?? []);
  let seq = old?.seq ?? 0;
  for (const c of added) {
    heads.add(c.id);
    seq = Math.max(seq, c.seq);
  }
  for (const c of added) for (const p of c.parents) heads.delete(p);
  return { author, heads: [...heads].sort(), seq };
}

/**
 * Plans the writes for `items` (in DAG order: parents before children).
 * Commits already held are skipped entirely, so applying twice changes nothing.
 * Posts in `packed` get no row and no blob row: their commits' packs keep them (lazy-posts.ts).
 * Commits in `refused` (a revoked agent's: revocation-plan.ts) are stored, but their ops make no rows.
 */
export function planApply(
  items: readonly VerifiedCommit[],
  existing: ExistingRows,
  outbox?: { pseudonym: PseudonymId; queuedAt: number },
  packed: ReadonlySet<ObjectId> = new Set(),
  refused: ReadonlySet<CommitId> = new Set(),
): Writes {
  const writes: Writes = { blobs: [], commits: [], posts: [], follows: [], tips: [], outbox: [] };
  const seen = new Set<CommitId>(existing.heldCommits);
  const posts = new Map<ObjectId, PostRow>(existing.posts);
  const follows = new Map(existing.follows);
  const changedFollows = new Set<string>();
  const changedPosts = new Set<ObjectId>();
  const added = new Map<PseudonymId, { id: CommitId; parents: readonly CommitId[]; seq: number }[]>();

  // A post's bytes live in its row; a stub (row without bytes) is filled.
  const putPost = (object: BuiltObject<PostObject>, stamp: Stamp, agent: AgentField | undefined, mark?: SealedMark) => {
    const current = posts.get(object.id);
    if (!isHeldPost(current) || compareStamps(stamp, stampOf(current)) < 0) {
      posts.set(object.id, { ...basePostRow(object, stamp, agent), ...(mark && sealedFields(mark)) });
      changedPosts.add(object.id);
    }
  };
  for (const { signed, blobs, posts: built, reposted, sealed, carried } of items) {
    if (seen.has(signed.id)) continue;
    seen.add(signed.id);
    const { author, seq, ts, parents } = signed.commit;
    // Media and mists' files travel with the commit that publishes them: a push carries them along.
    const files = [...mistFilesOf(signed.commit.ops, blobs), ...(carried ?? [])];
    const media = [...new Set([...built.flatMap((p) => p.value.media ?? []), ...files])];
    writes.commits.push({ id: signed.id, bytes: signed.bytes, seq, ...(media.length > 0 && { media }) });
    // Post objects are kept in their post rows; every other blob (edit versions, media, reposted commits) here.
    // A refused commit's posts get no rows: their bytes are kept as blobs (it stays held, and a push carries them).
    // A sealed post's row holds what was opened, so its sealed bytes (what hubs hold) stay a blob of their own.
    const marks = new Map((sealed ?? []).map((m) => [m.id, m]));
    const inRows = refused.has(signed.id)
      ? new Set<ObjectId>()
      : new Set([...built, ...(reposted ?? []).map((r) => r.post)].map((p) => p.id).filter((id) => !marks.has(id)));
    for (const blob of blobs)
      if (!inRows.has(blob.id) && !packed.has(blob.id)) writes.blobs.push(blobRowOf(blob.id, blob.bytes));
    const list = added.get(author) ?? [];
    list.push({ id: signed.id, parents, seq });
    added.set(author, list);
    if (outbox)
      writes.outbox.push({ pseudonym: outbox.pseudonym, commitId: signed.id, seq, queuedAt: outbox.queuedAt });

    if (refused.has(signed.id)) continue;
    const byId = new Map(built.map((o) => [o.id, o]));
    const row = { id: signed.id, author, ts };
    signed.commit.ops.forEach((op, index) => {
      const stamp: Stamp = [ts, signed.id, index];
      if (op.type === 'post') {
        if (packed.has(op.object)) return;
        const object = byId.get(op.object);
        // A sealed post no local pseudonym could open gets no row: no one here sees it, and its blobs are held.
        if (!object && op.audience !== undefined) return;
        if (!object) throw new TypeError(`commit ${signed.id} is missing its post ${op.object}`);
        putPost(object, stamp, signed.commit.agent, marks.get(op.object));
      } else if (op.type === 'follow' || op.type === 'unfollow') {
        const next = followRowOf(op, row, index);
        const key = followKey(next.pseudonym, next.target);
        if (followWins(next, follows.get(key))) {
          follows.set(key, next);
          changedFollows.add(key);
        }
      }
    });
    for (const r of reposted ?? []) putPost(r.post, r.stamp, r.agent);
  }
  for (const id of changedPosts) writes.posts.push(posts.get(id) as HeldPostRow);
  for (const key of changedFollows) writes.follows.push(follows.get(key)!);
  for (const [author, rows] of added) writes.tips.push(advanceTips(author, existing.tips.get(author), rows));
  return writes;
}
