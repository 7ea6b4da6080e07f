/**
 * The hub's storage seam: what the routes, the guard, the event streams and
 * mirroring call, as interfaces only. startHub receives an OpenHubStore and
 * never learns where the bytes live; store/files/ keeps them under a data
 * folder, store/memory/ in Maps, store/postgres/ in a PostgreSQL database
 * that several hub processes share (its blobs in a BlobStore it is handed).
 * Every implementation must pass the one acceptance suite,
 * runHubStoreContract (contract.ts); ARCHITECTURE.md describes the seam.
 *
 * Every write resolves only once durable (what "durable" means is the
 * implementation's: fsynced for files, committed for a database), so a write
 * the hub acknowledges survives a crash.
 */
import type { SignedHandleClaim } from '../../protocol/handles.ts';
import type { SignedHead } from '../../protocol/heads.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { SignedInboxPolicy } from '../../protocol/inbox-policy.ts';
import type { SignedListing } from '../../protocol/listing.ts';
import type { SignedRetirement } from '../../protocol/retirement.ts';
import type { SignedNotice } from '../../protocol/notices.ts';
import type { StoreHealth } from '../../protocol/routes.ts';
import type { HubLimits, Rate } from '../hub-limits.ts';

/** Immutable bytes named by their sha256. */
export interface BlobStore {
  has(id: ObjectId): Promise<boolean>;
  /** The bytes, or undefined when the blob is not held. */
  find(id: ObjectId): Promise<Uint8Array | undefined>;
  /**
   * Stores bytes the caller has checked hash to `id` and fit the size limit; resolves once durable.
   * Idempotent: 'held' when the blob was already there.
   */
  put(id: ObjectId, bytes: Uint8Array): Promise<'created' | 'held'>;
  /**
   * The blob for an answer written with backpressure: its size, and its bytes
   * in chunks of at most READ_CHUNK_BYTES read only as each is wanted, so a
   * reader that stalls holds a chunk of memory, not the blob. Undefined when
   * not held. The caller iterates `chunks` to its end or calls `close`, and may
   * hand each chunk to returnReadBuffer (read-buffers.ts) once written.
   */
  openRead(id: ObjectId): Promise<BlobReader | undefined>;
  /**
   * A hint that `ids` are about to be read (a batch answer's next blobs): a store may read them together
   * ahead (the file store reads neighbours in one system call). Reads after it answer the same either way.
   */
  prefetch?(ids: readonly ObjectId[]): Promise<void>;
  /** What holds the blobs, when another service does ('s3'): health() asks it; absent for the store's own. */
  readonly service?: { readonly kind: string; check(): Promise<void> };
}

export interface BlobReader {
  readonly size: number;
  readonly chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Lets go of what the reader holds (a file) when the chunks will not be read to their end. */
  close(): Promise<void>;
}

/** An accepted head and its change number in this hub's log. */
export interface HeadChange {
  readonly seq: number;
  readonly signed: SignedHead;
}

/**
 * Heads, one per author, and the hub's ordered log of head changes. A head is
 * taken only when strictly newer than the one held (isNewerHead): a
 * compare-and-set on the head's seq, so two devices racing cannot both win.
 */
export interface HeadStore {
  findHeads(authors: readonly PseudonymId[]): Promise<Map<PseudonymId, HeadChange>>;
  /**
   * Stores a head already checked for form, signature and time; resolves once durable,
   * with the next change number of the log.
   * @throws ProtocolError StaleHead when the head held has an equal or greater seq.
   */
  putHead(signed: SignedHead): Promise<HeadChange>;
  /**
   * The current changes after `since`, oldest first (a change superseded by a later head of its
   * author is left out, its number kept); `next` is the `since` to ask with next.
   */
  listChanges(page: { since: number; limit: number }): Promise<{ changes: HeadChange[]; next: number }>;
  /** The greatest change number so far (0 for none). */
  lastSeq(): Promise<number>;
  /**
   * Live fan-out: `listener` is called after each accepted head is durable and readable
   * (findHeads and listChanges answer it). Returns an unsubscribe.
   */
  subscribe(listener: (change: HeadChange) => void): () => void;
}

/** Handle claims: which pseudonym holds `name` on this hub. First claim wins; a retired pseudonym holds none. */
export interface HandleStore {
  findClaim(name: string): Promise<SignedHandleClaim | undefined>;
  /**
   * Stores a claim already checked for form, host and signature; resolves once durable.
   * @returns 'created', or 'held' when this author already holds the name (the first claim stays).
   * @throws ProtocolError HandleTaken when another author holds the name; Retired when its author retired.
   */
  putClaim(signed: SignedHandleClaim): Promise<'created' | 'held'>;
  /**
   * Keeps a retirement already checked (retirement.ts) as its author's tombstone and releases every name the
   * author holds, so others may claim them; resolves once durable. 'held' when the author had retired already.
   */
  retire(signed: SignedRetirement): Promise<'created' | 'held'>;
  findRetirement(author: PseudonymId): Promise<SignedRetirement | undefined>;
}

export interface StoredNotice {
  /** Position in this hub's inbox log: the cursor after this notice. */
  readonly seq: number;
  readonly signed: SignedNotice;
}

/** Inboxes: signed notices kept for their recipient, in arrival order. */
export interface InboxStore {
  /** Stores a notice already checked; resolves once durable. 'held' when the same bytes were stored before. */
  putNotice(signed: SignedNotice): Promise<'created' | 'held'>;
  /**
   * The recipient's notices after `cursor` (a seq), oldest first, at most `limit`. A notice is
   * listed only once durable, and never with a seq at or below one listed before it, so paging
   * by the last seq seen never skips or repeats.
   */
  listNotices(to: PseudonymId, page: { cursor: number; limit: number }): Promise<StoredNotice[]>;
  /** The inbox policy of `author` with the greatest seq held, if any (inbox-policy.ts). */
  findPolicy(author: PseudonymId): Promise<SignedInboxPolicy | undefined>;
  /**
   * Stores a policy already checked for form and signature, when its seq is above the one held (a
   * compare-and-set, as for heads); resolves once durable. 'held' when the same bytes are held.
   * @throws ProtocolError StalePolicy when the held policy's seq is equal or greater (and its bytes differ).
   */
  putPolicy(signed: SignedInboxPolicy): Promise<'created' | 'held'>;
  /** The pseudonyms whose held policy is a board (mode `board`): what a mirroring hub sweeps on each peer. */
  listBoards(): Promise<PseudonymId[]>;
}

/** What GET /v1/directory asks: listed pseudonyms by id after `after`, filtered by topic and words. */
export interface DirectoryQuery {
  readonly topic?: string;
  /** Lowercase words found in a listing's handle, name or bio (listing.ts searchTextOf). */
  readonly q?: string;
  readonly after?: PseudonymId;
  readonly limit: number;
  /** Unlistings too (what a mirroring hub copies, so an unlisting reaches every hub that kept the listing). */
  readonly unlisted?: boolean;
}

/** Directory listings (listing.ts): the newest per pseudonym, an unlisting included, as a tombstone. */
export interface DirectoryStore {
  findListing(author: PseudonymId): Promise<SignedListing | undefined>;
  /**
   * Stores a listing (or unlisting) already checked for form and signature when its seq is above the one held;
   * resolves once durable. 'held' when the same bytes are held.
   * @throws ProtocolError StaleListing when the held one's seq is equal or greater (and its bytes differ).
   */
  putListing(signed: SignedListing): Promise<'created' | 'held'>;
  /** The listed ones matching `query` (and unlistings, when it asks), by author id ascending, at most `limit`. */
  listListings(query: DirectoryQuery): Promise<SignedListing[]>;
}

/**
 * Gives back what a reserve held; calling it again does nothing. It never rejects: a store that cannot
 * give a hold back now (its database is away) lets the hold lapse on its own (postgres/: an expiry).
 */
export type Release = () => Promise<void>;

/**
 * Storage quotas per pseudonym: each is charged the bytes of the blobs it was
 * the first to upload; a blob is charged once, to one author. The reads and
 * reservations are async because several hub processes may share one ledger
 * (store/postgres/): a number in this process's memory would not hold for them.
 */
export interface QuotaLedger {
  /** Bytes charged to `author`. */
  usedBy(author: PseudonymId): Promise<number>;
  isCharged(id: ObjectId): Promise<boolean>;
  /**
   * Holds `bytes` of `author`'s quota while an upload is stored; call the
   * returned release when done, whatever the outcome.
   * @throws ProtocolError QuotaExceeded
   */
  reserve(author: PseudonymId, bytes: number): Promise<Release>;
  /** Charges `author` for blob `id` unless someone already was; resolves once durable. */
  charge(author: PseudonymId, id: ObjectId, bytes: number): Promise<void>;
}

/** Per-address storage budgets (guard/address-group.ts names the groups); they never refill. */
export interface AddressLedger {
  /** Bytes charged to the address group `group`. */
  usedBy(group: string): Promise<number>;
  /**
   * Holds `bytes` of `group`'s budget while a write is stored, so concurrent
   * writes (in any process on the store) cannot together pass it; call the returned release when done.
   * @throws ProtocolError AddressQuotaExceeded
   */
  reserve(group: string, bytes: number): Promise<Release>;
  /** Charges `group` for `bytes` (negative: a refund of an earlier charge); resolves once durable. */
  charge(group: string, bytes: number): Promise<void>;
}

/** The hub-wide disk budget: bytes held against the operator's limit (--disk-bytes). */
export interface DiskMeter {
  /** Bytes held. */
  used(): Promise<number>;
  /**
   * Holds `bytes` while a write is stored; call the returned release when done, whatever the outcome.
   * @throws ProtocolError HubFull
   */
  reserve(bytes: number): Promise<Release>;
  /** Counts `bytes` newly stored. */
  add(bytes: number): Promise<void>;
}

/** Where mirroring of one peer has got to in the peer's change log. */
export interface MirrorCursor {
  readonly value: number;
  /** Moves the cursor; resolves once the new value is durable. */
  save(value: number): Promise<void>;
}

/** Commits this hub has itself verified while mirroring, with all their ancestors verified and held too. */
export interface VerifiedCommits {
  has(id: CommitId): Promise<boolean>;
  /** Records commits verified with their whole ancestry; resolves once durable. */
  add(ids: readonly CommitId[]): Promise<void>;
}

/** Mirroring's own state, opened only when the hub has peers. */
export interface MirrorStore {
  /** The saved cursor of the peer at `origin` (0 when there is none yet). */
  openCursor(origin: string): Promise<MirrorCursor>;
  /** The record of verified commits; the same one each call. */
  openVerified(): Promise<VerifiedCommits>;
}

/**
 * Token buckets per key (`ip <address>`, `pseudonym <id>`), shared by every process of the hub, so a write
 * rate holds whichever process a request reaches. The ledger keeps its own clock (one database's, for
 * processes on many machines).
 */
export interface RateLedger {
  /**
   * Takes one token from `key`'s bucket, which holds at most `rate.burst` and refills at `rate.perSecond`
   * (0: no limit).
   * @returns 0 when taken, else the milliseconds until a token is there (none is taken).
   */
  take(key: string, rate: Rate): Promise<number>;
}

/** The signed requests taken, so each is good once on this hub whichever process it reaches (PROTOCOL.md). */
export interface SeenRequestLedger {
  /** Requests signed before this time (ms since the epoch) are Replayed: the memory may not cover them. */
  readonly since: number;
  /**
   * Remembers `nonce` of `author` (its signature checked), signed at `ts`, until the clock window closes
   * on it; resolves once every process would refuse it again.
   * @throws ProtocolError Replayed (taken before, or signed before `since`), HubBusy (the memory is full),
   *   RateLimited (this signer's share of it is full)
   */
  admit(author: PseudonymId, nonce: string, ts: number): Promise<void>;
}

export interface HubStore {
  readonly blobs: BlobStore;
  readonly heads: HeadStore;
  readonly handles: HandleStore;
  readonly inbox: InboxStore;
  readonly directory: DirectoryStore;
  readonly quota: QuotaLedger;
  readonly addresses: AddressLedger;
  readonly disk: DiskMeter;
  readonly mirror: MirrorStore;
  readonly rates: RateLedger;
  readonly seen: SeenRequestLedger;
  /**
   * What holds the data and whether every service it uses answers now (GET /v1/status); never rejects.
   */
  health(): Promise<StoreHealth>;
  /** Waits for writes under way, then lets go of what the store holds; no listener is called after. */
  close(): Promise<void>;
}

/** The limits a store enforces itself (0: none). */
export type StoreLimits = Pick<HubLimits, 'quotaBytes' | 'addressBytes' | 'diskBytes' | 'seenRequests'>;

/**
 * Opens a hub store with these limits: what startHub receives, so it opens the
 * store once per start and closes it when it stops.
 * @throws when the store cannot be opened (the message says why).
 */
export type OpenHubStore = (limits: StoreLimits) => Promise<HubStore>;
