/**
 * Replication's decision, as one pure function: given our tips (which the
 * home hub holds) and what another hub of ours says, what to do at that hub.
 * The executor (replicate.ts) learns, asks again, and runs the answer.
 */
import type { CommitId } from '../../src/protocol/ids.ts';
import { sameMembers } from '../../src/runtime/sets.ts';

export interface ReplicaState {
  /** Our tips of our own feed, held by the home hub already. */
  readonly tips: { readonly heads: readonly CommitId[]; readonly seq: number };
  /** The other hub's verified head of our feed; undefined when it has none. */
  readonly theirs: { readonly heads: readonly CommitId[]; readonly seq: number } | undefined;
  /** Whether we hold every commit their head names; undefined until looked up. */
  readonly held: boolean | undefined;
}

export type ReplicaStep =
  /** Their head equals our tips: nothing to send. */
  | { readonly type: 'synced' }
  /** Look up whether we hold the commits their head names (the next state says). */
  | { readonly type: 'look-up'; readonly heads: readonly CommitId[] }
  /**
   * Their head names commits we lack (another device of ours pushed there first): ingest them from that hub,
   * copy them home (the merge will name them), and run the home sync again, which merges.
   */
  | { readonly type: 'pull'; readonly heads: readonly CommitId[] }
  /** Send the blobs of our commits from our tips back to (not including) `since`, then put our head. */
  | { readonly type: 'push'; readonly since: readonly CommitId[] };

/**
 * Decides the next step at one hub.
 *
 * Invariants (replica-plan.test.ts checks them on every state of small random DAG ids):
 * 1. Never push over a head that names commits we lack: another device's commits are never hidden
 *    (a push is only decided with their head absent or held).
 * 2. Nothing is sent to a hub whose head already equals our tips; no look-up is made for it either.
 * 3. A push sends only what lies above their head: `since` is exactly their heads (none when they have none).
 * 4. Pure: the same state gives the same step; no input is changed.
 */
export function decideReplica(state: ReplicaState): ReplicaStep {
  const { theirs, tips, held } = state;
  if (!theirs) return { type: 'push', since: [] };
  if (sameMembers(theirs.heads, tips.heads)) return { type: 'synced' };
  if (held === undefined) return { type: 'look-up', heads: [...theirs.heads] };
  if (!held) return { type: 'pull', heads: [...theirs.heads] };
  return { type: 'push', since: [...theirs.heads] };
}
