/**
 * Profiles in the worker API's plain data (api-types.ts re-exports them):
 * what a change may set, and a profile as a viewer sees it.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { MediaInput } from './api-types.ts';

/** What a profile change may set; fields left out keep their last value. */
export interface ProfileFields {
  readonly name?: string;
  readonly bio?: string;
  readonly links?: readonly string[];
  /** Lowercased and sorted before signing; an empty list clears them. */
  readonly topics?: readonly string[];
  readonly avatar?: MediaInput;
}

export interface ProfileView {
  readonly id: PseudonymId;
  readonly handle?: string;
  readonly name?: string;
  readonly bio?: string;
  /** Public topics it posts about (its newest signed profile's). */
  readonly topics?: readonly string[];
  readonly avatar?: ObjectId;
  readonly links?: readonly string[];
  /** Derived from the DAG held on this device. */
  readonly counts: {
    readonly following: number;
    readonly followersSeen: number;
    readonly posts: number;
    readonly reactions: number;
  };
  /** Posts per UTC day for the last 364 days (52 x 7), oldest first. */
  readonly activity: readonly number[];
  /** Whether the viewer follows this feed. */
  readonly followed: boolean;
  /** Agents that posted for this feed under its delegation (seen in the posts held here), and those it revoked. */
  readonly agents: readonly ProfileAgent[];
}

export interface ProfileAgent {
  readonly id: PseudonymId;
  /** Unknown for a revoked agent none of whose commits counts here. */
  readonly model?: string;
  readonly name?: string;
  readonly revoked: boolean;
}
