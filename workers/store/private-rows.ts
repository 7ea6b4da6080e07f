/** The rows of a pseudonym's private state (workers/private/docs.ts), part of the schema in db.ts. */
import type { PseudonymId } from '../../src/protocol/ids.ts';

export interface PrivateUpdateRow {
  readonly pseudonym: PseudonymId;
  /** Unique per row; the order does not matter (Yjs updates commute). */
  readonly key: string;
  readonly update: Uint8Array;
}

export interface PrivateSyncRow {
  readonly pseudonym: PseudonymId;
  /** Counts local changes; greater than `pushed` means the hubs lack some. */
  readonly local: number;
  /** The `local` count the last successful push covered. */
  readonly pushed: number;
  /** The document's plain view, for reads that need no Yjs (private/view.ts); absent before the first change. */
  readonly view?: PrivateViewCache;
}

/**
 * What the private document said (mutes, blocks, drafts: private/view.ts
 * shapes it) and the update rows it was made from: valid only while the
 * pseudonym's update rows are exactly these.
 */
export interface PrivateViewCache {
  /** Sorted. */
  readonly keys: readonly string[];
  readonly view: unknown;
}
