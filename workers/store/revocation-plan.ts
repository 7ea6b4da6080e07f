/**
 * Revocation in the worker's store (PROTOCOL.md, Agents; the model is
 * feed-state.ts refusedCommits): a commit an agent signed under a delegation
 * its owner has revoked counts only if it is an ancestor of a revocation of
 * that agent; a refused commit is stored (the DAG stays whole), its ops make
 * no rows. Pure; revocation-rows.ts reads and writes for it.
 *
 * Two paths, so the rows are the model's in any arrival order:
 * - refusedInBatch, for every batch: the store is closed under parents and a
 *   batch is in DAG order, so a commit new to the store is never an ancestor
 *   of a revocation held before it: it is refused. Within one batch, a
 *   revocation refuses the agent's commits that are not its ancestors there.
 * - planRevokedRows, when a batch brings a revocation: an agent commit held
 *   before it keeps rows it must lose (concurrent with the revocation), and a
 *   later revocation can make an earlier-refused commit its ancestor. So the
 *   feed's held commits are decoded, the model's refused set is taken over all
 *   of them, and every row a revoked agent's commit touches (post, edit,
 *   delete, reaction, repost, vote, profile field, follow) is recomputed from
 *   the feed's counted commits: as if the refused commits' ops never applied.
 */
import type { AgentField } from '../../src/protocol/agents.ts';
import type { Commit, SignedCommit } from '../../src/protocol/commits.ts';
import { type Stamp, compareStamps, refusedCommits } from '../../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type VerifiedCommit, followKey, followWins } from './apply-plan.ts';
import {
  type EditRow,
  type FollowRow,
  type ProfileRow,
  type ReactionRow,
  type RepostRow,
  type TombstoneRow,
  type VoteRow,
  followRowOf,
} from './db.ts';
import { planSocial, revokedField, socialKey, socialKeysOf } from './social-plan.ts';

/**
 * @param profiles the profile rows held, keyed by socialKey(author, field); they hold the revocations
 *   (social-plan.ts revokedField), and socialKeysOf asks for each agent's.
 */
export function refusedInBatch(
  items: readonly VerifiedCommit[],
  profiles: ReadonlyMap<string, ProfileRow>,
): Set<CommitId> {
  const byId = new Map<CommitId, Commit>(items.map((i) => [i.signed.id, i.signed.commit]));
  const revokes = new Map<string, CommitId[]>();
  for (const [id, commit] of byId) {
    if (commit.agent?.delegation) continue;
    for (const op of commit.ops) {
      if (op.type !== 'revoke') continue;
      const key = socialKey(commit.author, revokedField(op.agent));
      revokes.set(key, [...(revokes.get(key) ?? []), id]);
    }
  }
  const refused = new Set<CommitId>();
  for (const [id, commit] of byId) {
    if (!commit.agent?.delegation) continue;
    const key = socialKey(commit.author, revokedField(commit.agent.id));
    const inBatch = revokes.get(key) ?? [];
    if (profiles.has(key) || (inBatch.length > 0 && !inBatch.some((r) => isAncestor(id, r, byId)))) refused.add(id);
  }
  return refused;
}

/** Whether `ancestor` is reached from `of` through parents within the batch. */
function isAncestor(ancestor: CommitId, of: CommitId, byId: ReadonlyMap<CommitId, Commit>): boolean {
  const seen = new Set<CommitId>();
  const stack = [...(byId.get(of)?.parents ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === ancestor) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.parents ?? []));
  }
  return false;
}

/** One held commit of a feed, decoded. */
export interface FeedCommit {
  readonly id: CommitId;
  readonly commit: Commit;
}

/** A row's key and what the row must be: `row` undefined means no row. */
export interface KeyedRow<K, R> {
  readonly key: K;
  readonly row: R | undefined;
}

/** A post's earliest counted publication: its stamp, and the agent of its commit. */
export interface PlannedPost {
  readonly stamp: Stamp;
  readonly agent?: AgentField;
}

/** The rows of the keys a revoked agent's commits touch, as the feed's counted commits make them. */
export interface RevokedRowsPlan {
  readonly refused: ReadonlySet<CommitId>;
  readonly edits: KeyedRow<[ObjectId, ObjectId], EditRow>[];
  readonly tombstones: KeyedRow<[ObjectId, PseudonymId], TombstoneRow>[];
  readonly reactions: KeyedRow<[ObjectId, string, PseudonymId], ReactionRow>[];
  readonly reposts: KeyedRow<[ObjectId, PseudonymId], RepostRow>[];
  readonly profiles: KeyedRow<[PseudonymId, string], ProfileRow>[];
  readonly votes: KeyedRow<[ObjectId, PseudonymId], VoteRow>[];
  readonly follows: KeyedRow<[PseudonymId, PseudonymId], FollowRow>[];
  /** The feed's own posts: the earliest counted publication of each (its stamp and agent), or none. */
  readonly posts: KeyedRow<ObjectId, PlannedPost>[];
  /** Posts whose rows' views may change (every post a recomputed key names). */
  readonly touchedPosts: ReadonlySet<ObjectId>;
}

/** planSocial and socialKeysOf read only a commit's id and fields: a held commit needs no bytes or objects here. */
function asItem({ id, commit }: FeedCommit): VerifiedCommit {
  return { signed: { id, commit } as SignedCommit, blobs: [], posts: [] };
}

/**
 * What one feed's rows must be once a revocation is held, from ALL its held commits (`feed`, any order):
 * undefined when no agent of the feed is revoked or none of them signed a held commit.
 */
export function planRevokedRows(feed: readonly FeedCommit[]): RevokedRowsPlan | undefined {
  const revoked = new Set<PseudonymId>();
  for (const { commit } of feed)
    if (!commit.agent?.delegation) for (const op of commit.ops) if (op.type === 'revoke') revoked.add(op.agent);
  const affected = feed.filter((c) => c.commit.agent?.delegation && revoked.has(c.commit.agent.id));
  if (affected.length === 0) return undefined;
  const refused = refusedCommits(feed);
  const counted = feed.filter((c) => !refused.has(c.id));
  const planned = planSocial(counted.map(asItem), {
    edits: new Map(),
    tombstones: new Map(),
    reactions: new Map(),
    reposts: new Map(),
    profiles: new Map(),
    votes: new Map(),
  });
  const keys = socialKeysOf(affected.map(asItem));
  const touchedPosts = new Set<ObjectId>();
  const plan = <K extends readonly string[], R>(list: readonly K[], rows: readonly R[], of: (r: R) => K) => {
    const wanted = new Map(rows.map((r) => [socialKey(...of(r)), r]));
    const unique = new Map(list.map((k) => [socialKey(...k), k]));
    return [...unique].map(([k, key]) => ({ key: [...key] as unknown as K, row: wanted.get(k) }));
  };
  const result: RevokedRowsPlan = {
    refused,
    edits: plan(keys.edits, planned.edits, (r) => [r.target, r.id]),
    tombstones: plan(keys.tombstones, planned.tombstones, (r) => [r.target, r.author]),
    reactions: plan(keys.reactions, planned.reactions, (r) => [r.target, r.emoji, r.reactor]),
    reposts: plan(keys.reposts, planned.reposts, (r) => [r.object, r.reposter]),
    profiles: plan(keys.profiles, planned.profiles, (r) => [r.author, r.field]),
    votes: plan(keys.votes, planned.votes, (r) => [r.target, r.voter]),
    follows: planFollows(affected, counted),
    posts: planPosts(affected, counted),
    touchedPosts,
  };
  for (const { key } of [...result.edits, ...result.tombstones, ...result.reactions, ...result.votes])
    touchedPosts.add(key[0]);
  for (const { key } of [...result.reposts]) touchedPosts.add(key[0]);
  for (const { key } of result.posts) touchedPosts.add(key);
  return result;
}

/** The follow rows of every target an affected commit follows or unfollows: last writer of the counted ones. */
function planFollows(affected: readonly FeedCommit[], counted: readonly FeedCommit[]): RevokedRowsPlan['follows'] {
  const keys = new Map<string, [PseudonymId, PseudonymId]>();
  for (const { commit } of affected)
    for (const op of commit.ops)
      if (op.type === 'follow' || op.type === 'unfollow')
        keys.set(followKey(commit.author, op.target), [commit.author, op.target]);
  const rows = new Map<string, FollowRow>();
  for (const { id, commit } of counted) {
    commit.ops.forEach((op, index) => {
      if (op.type !== 'follow' && op.type !== 'unfollow') return;
      const key = followKey(commit.author, op.target);
      if (!keys.has(key)) return;
      const next = followRowOf(op, { id, author: commit.author, ts: commit.ts }, index);
      if (followWins(next, rows.get(key))) rows.set(key, next);
    });
  }
  return [...keys].map(([k, key]) => ({ key, row: rows.get(k) }));
}

/** The earliest counted publication of every post an affected commit publishes (posts are a set: apply-plan.ts). */
function planPosts(affected: readonly FeedCommit[], counted: readonly FeedCommit[]): RevokedRowsPlan['posts'] {
  const ids = new Set<ObjectId>();
  for (const { commit } of affected) for (const op of commit.ops) if (op.type === 'post') ids.add(op.object);
  const first = new Map<ObjectId, PlannedPost>();
  for (const { id, commit } of counted) {
    commit.ops.forEach((op, index) => {
      if (op.type !== 'post' || !ids.has(op.object)) return;
      const stamp: Stamp = [commit.ts, id, index];
      const current = first.get(op.object);
      if (!current || compareStamps(stamp, current.stamp) < 0)
        first.set(op.object, { stamp, ...(commit.agent && { agent: commit.agent }) });
    });
  }
  return [...ids].map((key) => ({ key, row: first.get(key) }));
}
