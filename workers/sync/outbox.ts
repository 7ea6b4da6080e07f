/**
 * The outbox's sync decision, as one pure function: given what we know about
 * our own feed (local tips, queued commits, the home hub's head), which
 * actions to run next. The executor (sync.ts) runs them, learns, and asks
 * again until the answer is 'done' or 'wait-online'.
 */
import type { CommitId } from '../../src/protocol/ids.ts';
import { LIMITS } from '../../src/protocol/limits.ts';
import { sameMembers } from '../../src/runtime/sets.ts';

/** What we know of the home hub's head of our own feed. */
export type RemoteHead =
  | { readonly kind: 'unknown' }
  /** The hub just refused our head as not newer: its head must be learned again. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'head';
      readonly heads: readonly CommitId[];
      readonly seq: number;
      /** True when we hold every commit it names (so our tips cover it). */
      readonly held: boolean;
    };

export interface OutboxState {
  /** The page's view of connectivity. */
  readonly online: boolean;
  /** Own commits the hub has not acknowledged (read in one snapshot with tips). */
  readonly queued: readonly CommitId[];
  /** Our tips of our own feed; undefined before the first commit. */
  readonly tips: { readonly heads: readonly CommitId[]; readonly seq: number } | undefined;
  readonly remote: RemoteHead;
  /** Queued commits whose blobs (commit and objects) the hub is known to hold. */
  readonly pushed: ReadonlySet<CommitId>;
}

export type OutboxAction =
  /** Offline: no requests until the page says it is online. */
  | { readonly type: 'wait-online' }
  /** GET the hub's head of our feed (and verify it). */
  | { readonly type: 'fetch-head' }
  /** The hub's head names commits we lack (another device of ours): ingest them. */
  | { readonly type: 'pull' }
  /** Ask which blobs of these commits the hub lacks, PUT only those. */
  | { readonly type: 'push-blobs'; readonly commits: readonly CommitId[] }
  /** Make one commit naming our tips, so one head with a greater seq covers both lines. */
  | { readonly type: 'merge' }
  /** PUT a signed head of exactly these tips. */
  | { readonly type: 'put-head'; readonly heads: readonly CommitId[]; readonly seq: number }
  /** Synced: the hub's head equals our tips; these outbox rows are acknowledged. */
  | { readonly type: 'done'; readonly ack: readonly CommitId[] };

/**
 * Decides the next actions.
 *
 * Invariants (each holds for every state; outbox.test.ts checks them):
 * 1. Offline means no request: the only answer is wait-online.
 * 2. A head is put only when the hub's current head is known, held, and
 *    covered by the tips we put: we never hide another device's commits.
 * 3. A head is put only once every queued commit's blobs are confirmed on
 *    the hub: no reader ever gets a head whose commits it cannot fetch.
 * 4. Outbox rows are acknowledged only when the hub's head equals our tips,
 *    and then all of them (every queued commit is an ancestor of our tips).
 *    A hub head identical to ours counts as synced: nothing is sent twice.
 * 5. A merge is made only when it is needed: the hub's head is held, differs
 *    from our tips, and its seq is not below ours (a head of our tips would be
 *    refused as stale), or our tips are more than one head may name. After a
 *    merge our seq exceeds the hub's, so one lost race makes one merge.
 * 6. Pure: the same state always gives the same actions; no input is changed.
 */
export function decide(state: OutboxState): OutboxAction[] {
  const { remote, tips } = state;
  if (!state.online) return [{ type: 'wait-online' }];
  if (remote.kind === 'unknown' || remote.kind === 'stale') return [{ type: 'fetch-head' }];
  if (remote.kind === 'head' && !remote.held) return [{ type: 'pull' }];
  if (!tips) return [{ type: 'done', ack: [] }];
  if (remote.kind === 'head' && sameMembers(remote.heads, tips.heads))
    return [{ type: 'done', ack: [...state.queued] }];
  if (tips.heads.length > LIMITS.headsPerHead || (remote.kind === 'head' && remote.seq >= tips.seq))
    return [{ type: 'merge' }];
  const unpushed = state.queued.filter((id) => !state.pushed.has(id));
  const put: OutboxAction = { type: 'put-head', heads: [...tips.heads].sort(), seq: tips.seq };
  return unpushed.length > 0 ? [{ type: 'push-blobs', commits: unpushed }, put] : [put];
}
