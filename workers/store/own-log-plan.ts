/**
 * What a push lists in one's own feed log (own-log-rows.ts writes it), pure:
 * which queued commits are new to the log and in which order, and which
 * segments the push carries. Both stores (IndexedDB and memory) call it.
 */
import type { FeedLog } from '../../src/protocol/feed-log.ts';
import type { CommitId, ObjectId } from '../../src/protocol/ids.ts';
import type { BuiltObject } from '../../src/protocol/objects.ts';

/** An outbox entry as the log sees it. */
export interface QueuedCommit {
  readonly commitId: CommitId;
  readonly seq: number;
  /** Listed in the log already (a retried push must not list it twice). */
  readonly logged?: true;
}

/**
 * The queued commits to append to the log: those not listed yet, once each, oldest first by seq and then by id,
 * so parents come before children (a parent's seq is lower) and two devices list the same commits in one order.
 * Entries that are not queued (undefined: acknowledged meanwhile) are left out.
 */
export function commitsToList<R extends QueuedCommit>(queued: readonly (R | undefined)[]): R[] {
  const fresh = new Map<CommitId, R>();
  for (const row of queued) if (row && !row.logged) fresh.set(row.commitId, row);
  return [...fresh.values()].sort((a, b) => a.seq - b.seq || (a.commitId < b.commitId ? -1 : 1));
}

/**
 * The segments a push carries: the newest and the one before it (an append may have filled the one before and
 * started a new one; older segments were carried by earlier pushes).
 */
export function segmentsToCarry(log: BuiltObject<FeedLog> | undefined): ObjectId[] {
  return log ? [log.id, ...(log.value.prev ? [log.value.prev] : [])] : [];
}
