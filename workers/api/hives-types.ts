/** The hives half of the core's API (issue 21; PROTOCOL.md, Hives), as the UI sees it through comlink. */
import type { HiveState } from '../../src/protocol/hive-state.ts';
import type { HiveMemberAction } from '../../src/protocol/hive-ops.ts';
import type { HiveMembership, HiveSettings } from '../../src/protocol/hives.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Dropped } from '../hives/assemble.ts';
import type { ListedHive } from '../hives/hive-listing.ts';
import type { Result } from './api-types.ts';

export type { HiveState };

export interface NewHive {
  readonly name: string;
  readonly description?: string;
  readonly rules?: string;
  readonly membership: HiveMembership;
  readonly listed?: boolean;
  /** For a listed hive: the handle name its key claims on its home hub (default: from its name). */
  readonly handle?: string;
  /** Where its feed and board live, home first (default: the owner's own hubs). */
  readonly hubs?: readonly string[];
}

/** Where a hive is: its id and hubs, home first (from its handle, a listing or a link). */
export interface HiveAddress {
  readonly hive: PseudonymId;
  readonly hubs: readonly string[];
}

export interface NewHivePost {
  readonly title: string;
  readonly body?: string;
  readonly link?: string;
}

export interface NewHiveComment {
  /** The hive post's object id. */
  readonly post: ObjectId;
  /** The comment answered; absent at the top level. */
  readonly parent?: ObjectId;
  readonly body: string;
}

/** What a moderator (or the owner) decides; the owner's decisions are signed by the hive's own key. */
export type HiveDecision =
  | {
      readonly kind: 'member';
      readonly member: PseudonymId;
      readonly action: Exclude<HiveMemberAction, 'join' | 'leave'>;
    }
  | { readonly kind: 'moderator'; readonly member: PseudonymId; readonly action: 'add' | 'remove' }
  | { readonly kind: 'remove'; readonly target: ObjectId; readonly reason?: string }
  | { readonly kind: 'settings'; readonly settings: HiveSettings };

export interface HiveActed {
  readonly commitId: CommitId;
  /** The object a post or comment published. */
  readonly id?: ObjectId;
}

export interface HiveRead {
  readonly state: HiveState;
  /** The viewer's standing vote per target it voted on (0: withdrawn), from the signed votes. */
  readonly mine: Readonly<Record<ObjectId, -1 | 0 | 1>>;
  /** Notices the board held, and those a reader left out (forged, for another hive, not served). */
  readonly notices: number;
  readonly dropped: readonly Dropped[];
}

/** A hive the pseudonym made or joined, as this device last saw it. */
export interface KnownHiveItem extends HiveAddress {
  readonly name?: string;
  readonly since: number;
  readonly left: boolean;
  /** Made by this pseudonym (its owner). */
  readonly owned: boolean;
}

export type { ListedHive };

export interface HivesApi {
  /** The hives listed in the directory of the pseudonym's home hub (each listing verified), never people. */
  listListedHives(pseudonym: PseudonymId): Promise<Result<ListedHive[]>>;
  /** The hives `pseudonym` made or joined on this device, newest first. */
  listHives(pseudonym: PseudonymId): Promise<KnownHiveItem[]>;
  /** A new hive owned by `owner`: its key derived, its charter signed by it, its board opened on its hubs. */
  createHive(owner: PseudonymId, hive: NewHive): Promise<Result<HiveAddress>>;
  joinHive(pseudonym: PseudonymId, at: HiveAddress): Promise<Result<HiveActed>>;
  leaveHive(pseudonym: PseudonymId, at: HiveAddress): Promise<Result<HiveActed>>;
  postToHive(pseudonym: PseudonymId, at: HiveAddress, post: NewHivePost): Promise<Result<HiveActed>>;
  commentInHive(pseudonym: PseudonymId, at: HiveAddress, comment: NewHiveComment): Promise<Result<HiveActed>>;
  /** +1, -1, or 0 to withdraw: one standing vote per voter and target. */
  voteInHive(pseudonym: PseudonymId, at: HiveAddress, target: ObjectId, value: -1 | 0 | 1): Promise<Result<HiveActed>>;
  /** A decision of `pseudonym` as a moderator, or as the owner when it owns the hive. */
  moderateHive(pseudonym: PseudonymId, at: HiveAddress, decision: HiveDecision): Promise<Result<HiveActed>>;
  /** The hive as its hubs show it to anyone, assembled and checked on this device. */
  readHive(viewer: PseudonymId, at: HiveAddress): Promise<Result<HiveRead>>;
}
