/**
 * The core worker's API as the UI sees it through comlink: plain structured-cloneable data only; secret keys never
 * appear here (methods take a pseudonym id). Expected failures come back as values (`Result`) to survive comlink.
 */
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { SealedAudienceKind } from '../../src/protocol/ops.ts';
import type { LensName } from '../../src/protocol/lens-settings.ts';
import type { PostLink } from '../feed/link-post.ts';
import type { PrivateApi } from '../private/types.ts';
import type { MistsApi } from './mists-types.ts';
import type { HivesApi } from './hives-types.ts';
import type { ConversationSummary, MessageItem, NotificationItem, NotificationPage } from './inbox-types.ts';
import type { ProfileFields, ProfileView } from './profile-types.ts';
import type { DirectoryCard, DirectoryPage, DirectoryQuery } from '../directory/types.ts';

export interface PseudonymSummary {
  readonly id: PseudonymId;
  /** Display name chosen by the person (local until profiles exist). */
  readonly name: string;
  /** `name@host` once claimed on the home hub. */
  readonly handle?: string;
  /** Origins of this pseudonym's hubs; the first is home. */
  readonly hubs: readonly string[];
  readonly createdAt: number;
}

/** offline: this device has no network; unreachable: online, but a hub (`hub`) cannot be reached: queued waits. */
export type SyncStateName = 'offline' | 'unreachable' | 'queued' | 'syncing' | 'synced' | 'error';

export interface SyncStatus {
  readonly state: SyncStateName;
  /** Local commits not yet acknowledged by the home hub. */
  readonly queued: number;
  /** For 'error', 'offline' and 'unreachable': what went wrong, in words. */
  readonly message?: string;
  /** For 'unreachable': the hub that cannot be reached; for 'syncing': the home hub being sent to. */
  readonly hub?: string;
  /** For 'syncing': when this sync run began (ms), so a hub that is slow to answer can be named. */
  readonly since?: number;
  /** For long catch-ups: commits fetched so far of those known to be missing. */
  readonly progress?: { readonly done: number; readonly total: number };
}

export interface TimelineItem {
  /** The post object's id: the same post shows once however it arrived. */
  readonly id: ObjectId;
  readonly commitId: CommitId;
  readonly author: PseudonymId;
  readonly authorHandle?: string;
  /** The author's profile name, when their feed has set one. */
  readonly authorName?: string;
  /** The shown version's body (the latest edit, by the merge rules). */
  readonly body: string;
  /** Milliseconds since the epoch, from the signed post. */
  readonly ts: number;
  /** Only verified posts are ever stored; kept explicit for the UI's mark. */
  readonly verified: true;
  /** True for own posts the home hub has not acknowledged yet. */
  readonly queued: boolean;
  readonly replyTo?: ObjectId;
  readonly quoteOf?: ObjectId;
  readonly tags?: readonly string[];
  /** Media blob ids (fetch bytes with findMedia). */
  readonly media?: readonly ObjectId[];
  /** True when at least one edit exists (history via getEditHistory). */
  readonly edited?: boolean;
  /** Followed feeds (or self) that reposted it; the item shows once however many did. */
  readonly repostedBy?: readonly PseudonymId[];
  readonly reactions?: readonly { readonly emoji: string; readonly count: number; readonly mine: boolean }[];
  readonly replies?: number;
  /** Standing votes (+1 up, -1 down; last vote per voter by stamp), and the viewer's own; absent when nobody votes. */
  readonly votes?: { readonly up: number; readonly down: number; readonly mine: -1 | 0 | 1 };
  /** Set when an agent wrote the commit (verified provenance). */
  readonly agent?: {
    readonly id: PseudonymId;
    readonly model: string;
    readonly delegated: boolean;
    /** The name the author's delegation gives the agent. */
    readonly name?: string;
  };
  /** Who the post is for, when it is not public (the sealed post was opened on this device). */
  readonly audience?: SealedAudienceKind;
  /** A link post's URL fragment (`#k=...`), for its author only: with it, anyone can read the post. */
  readonly linkKey?: string;
  /** In the home feed, the lens that brought a post not from `following`, and why (workers/read/lenses.ts). */
  readonly lens?: { readonly name: LensName; readonly why: string };
}

/** Newest-first paging position: the last item of the previous page. */
export interface TimelineCursor {
  readonly ts: number;
  readonly id: ObjectId;
}

export interface TimelinePage {
  readonly limit: number;
  /** Items strictly after this position in the chosen order. */
  readonly cursor?: TimelineCursor;
  /** Only these authors (a handle filter resolves to ids in the UI). */
  readonly authors?: readonly PseudonymId[];
  readonly hasMedia?: boolean;
  /** Only items with ts >= since. */
  readonly since?: number;
  /** 'newest' (default) or 'oldest' first. */
  readonly order?: 'newest' | 'oldest';
}

/** A post found by search, with where the query's words and tags lie in its (shown) body. */
export interface SearchHit extends TimelineItem {
  /** Sorted, non-overlapping [start, end) ranges of `body` in UTF-16 units. */
  readonly highlights: readonly (readonly [number, number])[];
}

/** A topic page: who is listed under it, and their recent posts on it. */
export interface TopicView {
  readonly people: readonly DirectoryCard[];
  readonly posts: readonly TimelineItem[];
}

export interface SearchPage {
  /** At most 1,000 (workers/search/search.ts MAX_SEARCH_PAGE). */
  readonly limit: number;
  /** Hits strictly older than this one (the last hit of the previous page). */
  readonly cursor?: TimelineCursor;
}

/** A direct message found by search, with where the query's words and tags lie in its body. */
export interface MessageHit extends MessageItem {
  readonly highlights: readonly (readonly [number, number])[];
  readonly peerName?: string;
  readonly peerHandle?: string;
}

export interface SearchResults {
  /** Newest first (no ranking). */
  readonly items: readonly SearchHit[];
  /** Direct messages that match, newest first, at most 20: with the first page only (no cursor asked). */
  readonly messages?: readonly MessageHit[];
  /** Where the next page starts; absent when there is none. */
  readonly cursor?: TimelineCursor;
}

export interface MediaInput {
  /** Already resized on the device (the UI does that). */
  readonly bytes: Uint8Array;
  readonly type: string;
}

export interface PostOptions {
  readonly replyTo?: ObjectId;
  readonly quoteOf?: ObjectId;
  readonly tags?: readonly string[];
  readonly media?: readonly MediaInput[];
  /** Public when absent. Readers are sealed to by their profiles' DM keys; a link's key is in the link only. */
  readonly audience?: AudienceChoice;
}

/** Someone a pseudonym follows, as a possible reader of a post for named people. */
export interface AudienceCandidate {
  readonly id: PseudonymId;
  readonly handle?: string;
  readonly name?: string;
  /** This device holds their DM key, so a post can be sealed to them. */
  readonly canRead: boolean;
}

/** Someone who follows a pseudonym (by a verified follow notice or a held feed), for approving as a reader. */
export interface FollowerView {
  readonly id: PseudonymId;
  readonly handle?: string;
  readonly name?: string;
  /** Approved: `followers` posts are sealed to them from now on. */
  readonly approved: boolean;
  /** This device holds their DM key, so a post can be sealed to them. */
  readonly canRead: boolean;
  /** When they were first seen following (or approved), for the order of the list. */
  readonly since: number;
}

/** A post's audience as the composer picks it: `followers` means the followers the author approved. */
export type AudienceChoice =
  | { readonly kind: 'public' }
  | { readonly kind: 'followers' }
  | { readonly kind: 'allowlist'; readonly readers: readonly PseudonymId[] }
  | { readonly kind: 'link' };

export interface ThreadView {
  /** The root of the reply tree and everything under it held locally, each with its parent. */
  readonly root: ObjectId;
  readonly items: readonly (TimelineItem & { readonly depth: number })[];
}

export interface EditVersion {
  readonly id: ObjectId;
  readonly body: string;
  readonly ts: number;
}

export interface StorageInfo {
  readonly usage?: number;
  readonly quota?: number;
  readonly persisted: boolean;
  readonly posts: number;
  readonly blobs: number;
}

export type LockState = 'none' | 'locked' | 'unlocked';

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string; readonly message: string };

export type { ConversationSummary, MessageItem, NotificationItem, NotificationPage } from './inbox-types.ts';
export type { ProfileAgent, ProfileFields, ProfileView } from './profile-types.ts';
export type { DirectoryCard, DirectoryPage, DirectoryQuery } from '../directory/types.ts';

/** A feed file's export or import under way: commits written, checked, or stored, of `total`. */
export interface FeedFileProgress {
  readonly phase: 'exporting' | 'checking' | 'storing';
  readonly done: number;
  readonly total: number;
}

export interface Change {
  readonly kind:
    | 'pseudonyms'
    | 'timeline'
    | 'sync'
    | 'profile'
    | 'lock'
    | 'notifications'
    | 'messages'
    | 'private'
    | 'feed-file';
  readonly pseudonym?: PseudonymId;
}

/** Where a move of hubs is: each step once, in order; `copying` repeats with the blobs sent of those it lacked. */
export type MoveProgress =
  | { readonly step: 'claiming' }
  | { readonly step: 'copying'; readonly done: number; readonly total: number }
  | { readonly step: 'pointing' };

export interface MoveOutcome {
  /** The pseudonym's hubs now, the new home first. */
  readonly hubs: readonly string[];
  /** The handle on the new hub, when the pseudonym had one. */
  readonly handle?: string;
  /**
   * Whether the old hub holds the pointer as its head. False when it could not be reached: the move is done, and
   * the pointer is left there by the first sync after that hub answers again (sync/pointer-retry.ts).
   */
  readonly pointerLeft: boolean;
}

export interface CoreApi extends PrivateApi, MistsApi, HivesApi {
  listPseudonyms(): Promise<PseudonymSummary[]>;
  /** Makes a new keypair in the worker. `homeHub` is an origin, e.g. location.origin. */
  createPseudonym(input: { name: string; homeHub: string }): Promise<PseudonymSummary>;
  /** Claims `name@<home hub host>` with a signed claim. Errors: HandleTaken, Offline, InvalidField, ... */
  claimHandle(pseudonym: PseudonymId, name: string): Promise<Result<{ handle: string }>>;
  /**
   * A local signed commit at once; pushed when the home hub is reachable. Media become blobs. A link post's
   * result carries the link's fragment (`#k=...`), which its timeline item keeps for its author.
   */
  post(
    pseudonym: PseudonymId,
    body: string,
    options?: PostOptions,
  ): Promise<Result<{ id: ObjectId; commitId: CommitId; linkKey?: string }>>;
  repost(pseudonym: PseudonymId, post: ObjectId): Promise<Result<{ commitId: CommitId }>>;
  react(pseudonym: PseudonymId, post: ObjectId, emoji: string): Promise<Result<{ commitId: CommitId }>>;
  unreact(pseudonym: PseudonymId, post: ObjectId, emoji: string): Promise<Result<{ commitId: CommitId }>>;
  /** A new version of one of this pseudonym's posts (all versions are kept). */
  edit(pseudonym: PseudonymId, post: ObjectId, body: string): Promise<Result<{ id: ObjectId; commitId: CommitId }>>;
  deletePost(pseudonym: PseudonymId, post: ObjectId): Promise<Result<{ commitId: CommitId }>>;
  unfollow(pseudonym: PseudonymId, target: PseudonymId): Promise<Result<{ commitId: CommitId }>>;
  setProfile(pseudonym: PseudonymId, fields: ProfileFields): Promise<Result<{ commitId: CommitId }>>;
  /** As seen by `viewer` (follow state, handles it knows). Undefined when nothing of that feed is held. */
  findProfile(viewer: PseudonymId, author: PseudonymId): Promise<ProfileView | undefined>;
  findThread(viewer: PseudonymId, post: ObjectId): Promise<ThreadView | undefined>;
  /** Oldest first. */
  getEditHistory(viewer: PseudonymId, post: ObjectId): Promise<EditVersion[]>;
  /** A medium's verified bytes (fetched as `viewer` when missing); a sealed post's open with `post`'s key. */
  findMedia(id: ObjectId, post?: ObjectId, viewer?: PseudonymId): Promise<Uint8Array | undefined>;
  /**
   * The post a link opens (its hub, its commit and the key from the URL fragment), fetched and checked; nothing
   * is stored and the key is sent nowhere. Needs no pseudonym.
   */
  openLink(link: PostLink): Promise<Result<TimelineItem>>;
  /**
   * A page of the directory of `pseudonym`'s home hub, by topic and words: verified listings, blocked people and
   * itself left out. Errors: Offline, NotFound, and as the hub names them
   */
  discover(pseudonym: PseudonymId, query: DirectoryQuery): Promise<Result<DirectoryPage>>;
  /**
   * A topic page: the pseudonyms listed under `topic` in the home hub's directory, and their newest public posts
   * carrying it, newest first (their feeds fetched for `pseudonym` first, a few at a time). Errors: as discover
   */
  readTopic(pseudonym: PseudonymId, topic: string): Promise<Result<TopicView>>;
  /** Who follows `pseudonym` as far as this device knows, waiting first, then those approved as readers. */
  listFollowers(pseudonym: PseudonymId): Promise<FollowerView[]>;
  /** The people `pseudonym` follows, who could be named as a post's readers. */
  listAudienceCandidates(pseudonym: PseudonymId): Promise<AudienceCandidate[]>;
  /** Resolves `name@host` by WebFinger, records a follow commit and fetches the feed. */
  follow(pseudonym: PseudonymId, handle: string): Promise<Result<{ target: PseudonymId }>>;
  /** Own and followed posts and reposts (one copy each), newest first unless page.order says otherwise. */
  listTimeline(pseudonym: PseudonymId, page: TimelinePage): Promise<TimelineItem[]>;
  /**
   * Posts `viewer` sees on this device matching `query` (workers/search/query.ts: words, `word*`,
   * `#tag`, `from:handle`, `has:media`, `since:`/`until:`), mutes and blocks applied, newest first.
   */
  search(viewer: PseudonymId, query: string, page: SearchPage): Promise<SearchResults>;
  getSyncStatus(pseudonym: PseudonymId): Promise<SyncStatus>;
  /** The pseudonym on screen: its live subscriptions run, others' stop (no cross-pseudonym connections). */
  setActive(pseudonym: PseudonymId | undefined): Promise<void>;
  /** The page's view of connectivity (navigator.onLine and its events). */
  setOnline(online: boolean): Promise<void>;
  /**
   * Loads the rest of the core and starts its background work (sync, live
   * updates, inbox, private state), if not yet: the page calls it once its
   * first screen shows (staged-api.ts); any call that needs the rest loads it.
   */
  startBackground(): Promise<void>;
  /** Push and pull now (also runs on start, on online, and on a timer while queued). */
  syncNow(pseudonym: PseudonymId): Promise<void>;
  renamePseudonym(pseudonym: PseudonymId, name: string): Promise<Result<PseudonymSummary>>;
  /** The hubs our feed is copied to beside home (origins; home stays first). Errors: InvalidField, NotFound. */
  setOtherHubs(pseudonym: PseudonymId, hubs: readonly string[]): Promise<Result<PseudonymSummary>>;
  /**
   * Moves the feed to a new home hub: copies it all there, claims the handle there, and leaves the old hub a
   * signed pointer (PROTOCOL.md, Moving hubs); followers follow by themselves. `onProgress` (a comlink proxy from
   * the page) hears each step. Errors: HubUnreachable, HandleTaken (nothing changed), InvalidField, Locked.
   */
  moveHub(
    pseudonym: PseudonymId,
    hub: string,
    onProgress?: (progress: MoveProgress) => void,
  ): Promise<Result<MoveOutcome>>;
  /**
   * Removes the pseudonym and its private data from this device (its feed stays on hubs). With `everywhere`, first
   * puts its signed retirement on each of its hubs, which release its handles for good; a hub that cannot be
   * reached fails the call and the pseudonym stays here. Errors: Offline, Locked, Forbidden, ...
   */
  retirePseudonym(pseudonym: PseudonymId, options?: { readonly everywhere?: boolean }): Promise<Result<null>>;
  /** An encrypted backup file (scrypt + XChaCha20-Poly1305); the passphrase never leaves the worker. */
  exportPseudonym(pseudonym: PseudonymId, passphrase: string): Promise<Result<{ fileName: string; bytes: Uint8Array }>>;
  importPseudonym(bytes: Uint8Array, passphrase: string): Promise<Result<PseudonymSummary>>;
  /**
   * The pseudonym's whole feed as one file (PROTOCOL.md, Feed files): its commits, their objects and media, its
   * private state sealed to its own key, and, given a passphrase, the key sealed by it as a backup file.
   * Errors: Locked, NotFound.
   */
  exportFeed(
    pseudonym: PseudonymId,
    options?: { readonly passphrase?: string },
  ): Promise<Result<{ fileName: string; file: Blob; commits: number }>>;
  /**
   * Verifies all of a feed file, changing nothing, then takes it in as the pseudonym's own (queued for its home
   * hub); a pseudonym not on this device comes from the file's key and `passphrase`. Errors: the file's damage
   * (Truncated, HashMismatch, BadSignature, DecodeError, ...), NotFound (no key for it), WrongPassphrase, Locked.
   */
  importFeed(
    file: Blob,
    passphrase?: string,
  ): Promise<Result<{ pseudonym: PseudonymSummary; commits: number; added: number; key: boolean }>>;
  /** How far the export or import running in this worker is (a 'feed-file' notice says it moved); none when idle. */
  findFeedFileProgress(): Promise<FeedFileProgress | undefined>;
  /** Encrypts every secret key at rest under a passphrase; signing then needs unlock(). */
  setLock(passphrase: string | undefined): Promise<Result<LockState>>;
  unlock(passphrase: string): Promise<Result<LockState>>;
  lock(): Promise<LockState>;
  getLockState(): Promise<LockState>;
  getStorageInfo(): Promise<StorageInfo>;
  /** Verified notifications of this pseudonym only, newest first. */
  listNotifications(pseudonym: PseudonymId, page: NotificationPage): Promise<NotificationItem[]>;
  countUnreadNotifications(pseudonym: PseudonymId): Promise<number>;
  /** Marks these (or, without ids, all) of this pseudonym's notifications read. */
  markNotificationsRead(pseudonym: PseudonymId, ids?: readonly string[]): Promise<void>;
  /** Pulls this pseudonym's inbox and sends its queued notices now. Errors: Offline, ... */
  refreshInbox(pseudonym: PseudonymId): Promise<Result<{ notifications: number; messages: number }>>;
  /** Publishes this pseudonym's DM key in its profile (once; a no-op when it is already there). */
  enableMessages(pseudonym: PseudonymId): Promise<Result<{ published: boolean }>>;
  /** Resolves a handle and fetches what is needed to write to it. Errors: NotFound, NoDmKey, Offline, ... */
  openConversation(pseudonym: PseudonymId, handle: string): Promise<Result<{ peer: PseudonymId }>>;
  listConversations(pseudonym: PseudonymId): Promise<ConversationSummary[]>;
  /** How `pseudonym` knows `peer` (handle, profile name), for a conversation's title; also before any message. */
  getContact(pseudonym: PseudonymId, peer: PseudonymId): Promise<{ peer: PseudonymId; handle?: string; name?: string }>;
  /** Oldest first. */
  listMessages(pseudonym: PseudonymId, peer: PseudonymId): Promise<MessageItem[]>;
  /**
   * Sealed at once and kept here; delivered to the peer's hub
   * when reachable, once. Errors: NoDmKey, NoHub, InvalidField
   */
  sendMessage(pseudonym: PseudonymId, peer: PseudonymId, body: string): Promise<Result<{ id: ObjectId }>>;
  markConversationRead(pseudonym: PseudonymId, peer: PseudonymId): Promise<void>;
  /** Change notices carry ids only; ask again. Returns an unsubscribe. */
  subscribe(listener: (change: Change) => void): Promise<() => void>;
}
