/**
 * The rows of the social merge (social-plan.ts): edit versions, tombstones,
 * reactions, reposts, votes and profile fields, each with the stamp (commit
 * ts, commit id, op index) that decides which one counts. Part of the schema
 * in db.ts, which re-exports them.
 */
import type { Stamp } from '../../src/protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';

export interface EditRow {
  readonly target: ObjectId;
  readonly id: ObjectId;
  /** The editing commit's author: only the post's own author's edits count. */
  readonly author: PseudonymId;
  readonly stamp: Stamp;
}

export interface TombstoneRow {
  readonly target: ObjectId;
  readonly author: PseudonymId;
}

export interface ReactionRow {
  readonly target: ObjectId;
  readonly emoji: string;
  readonly reactor: PseudonymId;
  readonly on: boolean;
  readonly stamp: Stamp;
}

export interface RepostRow {
  readonly object: ObjectId;
  readonly reposter: PseudonymId;
  readonly stamp: Stamp;
}

export interface VoteRow {
  readonly target: ObjectId;
  readonly voter: PseudonymId;
  readonly value: -1 | 0 | 1;
  readonly stamp: Stamp;
}

export interface ProfileRow {
  readonly author: PseudonymId;
  readonly field: string;
  readonly value: unknown;
  readonly stamp: Stamp;
}
