/**
 * What storing one batch of verified commits changes, computed purely from
 * the batch and the rows it touches as they are before the write
 * (commit-store.ts reads them, calls planCommits, and writes the plan in the
 * same transaction). Two kinds of batch, with different rules:
 *
 * - own: commits made on this device (local-commits.ts). They exist nowhere
 *   else until pushed, so they are kept as commit rows, queued in the
 *   outbox, and flushed strictly; when built on tips that have moved since,
 *   nothing is written (Conflict).
 * - ingested: commits verified from a hub (ingest.ts). They are packed per
 *   feed (commit-packs.ts), written with relaxed durability (they can be
 *   fetched again), and a long first catch-up leaves its older plain posts
 *   in the packs without rows (lazy-posts.ts).
 *
 * The merge rules themselves are apply-plan.ts's and social-plan.ts's.
 */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type ExistingRows, type VerifiedCommit, type Writes, planApply } from './apply-plan.ts';
import type { PackInput } from './commit-packs.ts';
import type { CommitRow, PostKey, ProfileRow } from './db.ts';
import { postsToPack } from './lazy-posts.ts';
import { refusedInBatch } from './revocation-plan.ts';
import { type SocialExisting, type SocialWrites, planSocial, revokedField, socialKey } from './social-plan.ts';
import { sameMembers } from '../../src/runtime/sets.ts';

export type ApplyInput =
  | {
      readonly kind: 'own';
      readonly items: readonly VerifiedCommit[];
      /** Queue the commits in this pseudonym's outbox (own commits not yet on the home hub). */
      readonly outbox: { readonly pseudonym: PseudonymId; readonly queuedAt: number };
      /** The tips they were built on. If the feed moved meanwhile, nothing is written (Conflict). */
      readonly expectTips?: { readonly author: PseudonymId; readonly heads: readonly CommitId[] };
    }
  | {
      readonly kind: 'ingested';
      readonly items: readonly VerifiedCommit[];
      /** A long feed's first catch-up: plain posts older than this key stay in the packs without rows. */
      readonly packBelow?: PostKey;
    };

/** The rows a batch depends on, read inside its write transaction before planning. */
export interface HeldRows extends ExistingRows {
  /** The social rows the fresh items may touch (social-plan.ts socialKeysOf). */
  readonly social: SocialExisting;
  /** Whether any feed has posts held only in packs (lazy-posts.ts marks): then named posts need rows first. */
  readonly anyMarks: boolean;
}

export interface CommitPlan {
  readonly writes: Writes;
  readonly social: SocialWrites;
  /** Own commits: their rows. Ingested: rows per feed for its packs, with the post each keeps without a row. */
  readonly commits:
    | { readonly kind: 'rows'; readonly rows: readonly CommitRow[] }
    | { readonly kind: 'packs'; readonly byAuthor: ReadonlyMap<PseudonymId, readonly PackInput[]> };
  /** Feeds whose lazy mark goes down to this key (their older posts went to packs). */
  readonly lowerMarks: { readonly authors: readonly PseudonymId[]; readonly to?: PostKey };
  /** Posts only packs may hold that this batch names: they get rows before any pack is rewritten. */
  readonly materialize: ReadonlySet<ObjectId>;
  /** Keys of rows to delete: a stub filled is stored under the post's own key now. */
  readonly staleKeys: readonly PostKey[];
  /** Posts whose rows are rebuilt (more are added by the apply step: the posts of feeds whose follows moved). */
  readonly touched: ReadonlySet<ObjectId>;
  /** Posts with no row before that nothing in the batch names: nothing about them can be held. */
  readonly fresh: ReadonlySet<ObjectId>;
  readonly bodies: ReadonlyMap<ObjectId, string>;
  /** Feeds whose posts' rows change with a follow or a profile name. */
  readonly moved: readonly PseudonymId[];
  readonly added: readonly CommitId[];
  /** Feeds whose fresh commits carry a revocation: their rows are made the model's after the write. */
  readonly revoking: readonly PseudonymId[];
  readonly postCount: number;
  readonly followCount: number;
}

/** True when the batch was built on tips that are no longer the feed's (an own batch only). */
export function tipsMoved(input: ApplyInput, held: ExistingRows): boolean {
  if (input.kind !== 'own' || !input.expectTips) return false;
  const current = held.tips.get(input.expectTips.author)?.heads ?? [];
  return !sameMembers(current, input.expectTips.heads);
}

/** Plans the whole write of `input` (call tipsMoved first: a moved own batch must not be written). */
export function planCommits(input: ApplyInput, held: HeldRows): CommitPlan {
  const { items } = input;
  // Commits of a revoked agent: stored (the DAG stays whole), their ops make no rows.
  const refused = refusedInBatch(items, held.social.profiles);
  const counted = items.filter((i) => !refused.has(i.signed.id));
  const packBelow = input.kind === 'ingested' ? input.packBelow : undefined;
  const packed = packBelow ? postsToPack(counted, held.heldCommits, held.posts, packBelow) : new Map<CommitId, never>();
  const outbox = input.kind === 'own' ? input.outbox : undefined;
  const writes = planApply(items, held, outbox, new Set([...packed.values()].map((p) => p.id)), refused);
  const fresh = counted.filter((i) => !held.heldCommits.has(i.signed.id));
  const social = planSocial(fresh, held.social);
  const authorOf = new Map(items.map((i) => [i.signed.id, i.signed.commit.author]));

  const materialize = new Set<ObjectId>();
  if (held.anyMarks) {
    const parents = writes.posts.flatMap((p) => (p.rt ? [p.rt] : []));
    for (const id of [...social.touchedPosts, ...parents]) materialize.add(id);
    for (const p of writes.posts) materialize.delete(p.id);
  }
  const commits: CommitPlan['commits'] =
    input.kind === 'own'
      ? { kind: 'rows', rows: writes.commits }
      : {
          kind: 'packs',
          byAuthor: groupBy(
            writes.commits.map((row) => (packed.has(row.id) ? { ...row, lazy: packed.get(row.id)! } : row)),
            (row) => authorOf.get(row.id)!,
          ),
        };
  const staleKeys = writes.posts.flatMap((row) => {
    const old = held.posts.get(row.id);
    return old && old.k[0] !== row.k[0] ? [old.k] : [];
  });

  const touched = new Set(social.touchedPosts);
  const named = new Set(social.touchedPosts);
  const bodies = new Map<ObjectId, string>();
  for (const { posts: built, reposted } of fresh) {
    for (const p of [...built, ...(reposted ?? []).map((r) => r.post)]) bodies.set(p.id, p.value.body);
  }
  for (const row of writes.posts) {
    touched.add(row.id);
    if (row.rt) {
      touched.add(row.rt);
      named.add(row.rt);
    }
  }
  return {
    writes,
    social,
    commits,
    materialize,
    staleKeys,
    touched,
    bodies,
    lowerMarks: {
      authors: [...new Set([...packed.keys()].map((id) => authorOf.get(id)!))],
      ...(packBelow && { to: packBelow }),
    },
    fresh: new Set(writes.posts.filter((p) => !held.posts.has(p.id) && !named.has(p.id)).map((p) => p.id)),
    moved: [...writes.follows.map((f) => f.target), ...social.renamed],
    added: writes.commits.map((c) => c.id),
    revoking: revokingFeeds(items, held.heldCommits, refused, held.social.profiles),
    postCount: writes.posts.length + packed.size,
    followCount: writes.follows.length,
  };
}

/**
 * The feeds whose rows are made the model's after the write (revocation-rows.ts): those the batch brings a
 * revocation to; those it brings a refused commit to, whose post may hold a row from a repost held before; and
 * those of a post a fresh repost shares that its owner's held revocation may refuse (the repost made it a row).
 */
function revokingFeeds(
  items: readonly VerifiedCommit[],
  heldCommits: ReadonlySet<CommitId>,
  refused: ReadonlySet<CommitId>,
  profiles: ReadonlyMap<string, ProfileRow>,
): PseudonymId[] {
  const feeds = new Set<PseudonymId>();
  for (const { signed, reposted } of items) {
    if (heldCommits.has(signed.id)) continue;
    const { author, agent, ops } = signed.commit;
    if (refused.has(signed.id)) feeds.add(author);
    if (!agent?.delegation && ops.some((o) => o.type === 'revoke')) feeds.add(author);
    for (const r of reposted ?? []) {
      const owner = r.post.value.author;
      if (r.agent?.delegation && profiles.has(socialKey(owner, revokedField(r.agent.id)))) feeds.add(owner);
    }
  }
  return [...feeds];
}

/** Map.groupBy, which Node 20 lacks. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
