/**
 * The private-state half of the worker API as the UI sees it: drafts, mutes,
 * blocks, private follows and lens settings of one pseudonym. They live in
 * a Yjs document in the worker (private/docs.ts) and reach the pseudonym's
 * other devices only sealed (private/sync.ts). Plain data only.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { Result } from '../api/api-types.ts';
import type { InboxMode } from '../../src/protocol/inbox-policy.ts';

export interface DraftView {
  readonly id: string;
  readonly body: string;
  /** Milliseconds since the epoch of the last change on any device. */
  readonly updatedAt: number;
  readonly replyTo?: ObjectId;
  readonly quoteOf?: ObjectId;
}

export interface DraftInput {
  /** 1..80 characters of [A-Za-z0-9:_-]: the UI names reply and quote drafts after their post. */
  readonly id: string;
  readonly body: string;
  readonly replyTo?: ObjectId;
  readonly quoteOf?: ObjectId;
}

export type MuteKind = 'user' | 'word' | 'tag';

/** One entry of a list, with when it was added. */
export interface ListedEntry<T extends string = string> {
  readonly value: T;
  readonly at: number;
}

/** Lens settings are small scalars by name (the lens feature reads them). */
export type LensValue = string | number | boolean;

export interface PrivateSettings {
  readonly mutedUsers: readonly ListedEntry<PseudonymId>[];
  /** Lowercased words or phrases. */
  readonly mutedWords: readonly ListedEntry[];
  /** Lowercased, without '#'. */
  readonly mutedTags: readonly ListedEntry[];
  readonly blocked: readonly ListedEntry<PseudonymId>[];
  /** Feeds followed without a public follow commit. */
  readonly privateFollows: readonly ListedEntry<PseudonymId>[];
  readonly lens: Readonly<Record<string, LensValue>>;
  /**
   * Whose notices (DMs, replies, mentions, follows) the inbox takes: `closed` only people this pseudonym follows
   * publicly, `allowlist` only `inboxAllow`, `open` and `public` anyone. Published to its hubs as a signed policy.
   */
  readonly inboxMode: InboxMode;
  /** Who an `allowlist` inbox takes notices from. */
  readonly inboxAllow: readonly ListedEntry<PseudonymId>[];
  /**
   * The followers this pseudonym approved: a `followers` post is sealed to them (and to no one else who follows).
   * Taking one off affects later posts only.
   */
  readonly approvedFollowers: readonly ListedEntry<PseudonymId>[];
  /**
   * Whether the pseudonym is in the directory of its hubs (a signed listing of its handle, name, topics and a short
   * bio): `never` (the default: nothing published), `listed`, or `unlisted` (an unlisting replaced the listing).
   */
  readonly listing: 'never' | 'listed' | 'unlisted';
  /** Whether a listed pseudonym is found by words in its handle, name and bio too (else by topic only). */
  readonly searchable: boolean;
  /** Why the last sync with this pseudonym's other devices failed, in words (absent when it worked). */
  readonly syncProblem?: string;
}

export interface PrivateApi {
  /** Newest change first. */
  listDrafts(pseudonym: PseudonymId): Promise<DraftView[]>;
  /**
   * Creates or updates a draft; the text merges with other devices' edits
   * character by character. Errors: InvalidField, TooLarge, NotFound
   */
  saveDraft(pseudonym: PseudonymId, draft: DraftInput): Promise<Result<DraftView>>;
  /** Deleting a draft that is not there is not an error. */
  deleteDraft(pseudonym: PseudonymId, id: string): Promise<Result<null>>;
  getPrivateSettings(pseudonym: PseudonymId): Promise<PrivateSettings>;
  /** Mutes hide from timelines, threads and reaction counts; unmuting brings everything back. Errors: InvalidField */
  setMute(pseudonym: PseudonymId, kind: MuteKind, value: string, muted: boolean): Promise<Result<PrivateSettings>>;
  /**
   * A blocked feed is hidden like a mute and never fetched (no
   * head, blob or stream requests name it). Errors: InvalidField
   */
  setBlock(pseudonym: PseudonymId, target: PseudonymId, blocked: boolean): Promise<Result<PrivateSettings>>;
  setPrivateFollow(pseudonym: PseudonymId, target: PseudonymId, following: boolean): Promise<Result<PrivateSettings>>;
  /** Changes whose notices the inbox takes; its hubs learn it at the next private sync. Errors: InvalidField */
  setInboxMode(pseudonym: PseudonymId, mode: InboxMode): Promise<Result<PrivateSettings>>;
  /** Adds or removes someone an `allowlist` inbox takes notices from. Errors: InvalidField */
  setInboxAllow(pseudonym: PseudonymId, target: PseudonymId, allowed: boolean): Promise<Result<PrivateSettings>>;
  /** Approves a follower as a reader of `followers` posts, or takes them off (later posts only). */
  setFollowerApproved(pseudonym: PseudonymId, target: PseudonymId, approved: boolean): Promise<Result<PrivateSettings>>;
  /** Lists the pseudonym in its hubs' directory, or takes it out; they hear of it at the next private sync. */
  setDiscoverable(pseudonym: PseudonymId, discoverable: boolean): Promise<Result<PrivateSettings>>;
  /** Lets the directory find a listed pseudonym by words too, or by topic only; from the next private sync. */
  setSearchable(pseudonym: PseudonymId, searchable: boolean): Promise<Result<PrivateSettings>>;
  /** Undefined removes the setting. */
  setLens(pseudonym: PseudonymId, name: string, value: LensValue | undefined): Promise<Result<PrivateSettings>>;
}

/**
 * A pseudonym's inbox takes notices from anyone until it says otherwise: a new pseudonym follows no one, so a
 * `closed` default would refuse every first reply and message it could get.
 */
export const DEFAULT_INBOX_MODE: InboxMode = 'open';

/** Every PrivateApi method, by name (api.ts lists them for the deferred facade). */
export const PRIVATE_METHODS = [
  'listDrafts',
  'saveDraft',
  'deleteDraft',
  'getPrivateSettings',
  'setMute',
  'setBlock',
  'setPrivateFollow',
  'setInboxMode',
  'setInboxAllow',
  'setFollowerApproved',
  'setDiscoverable',
  'setSearchable',
  'setLens',
] as const satisfies readonly (keyof PrivateApi)[];
