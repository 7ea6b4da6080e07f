/**
 * The core worker's IndexedDB schema: one `DBSchema`, its row types, and the
 * named functions that map wire values (signed commits, post objects, follow
 * ops) to rows. Rows are derived from verified blobs only. Every blob is kept
 * once, exactly as signed or hashed: a held commit's in its commit row or
 * its pack, a post object's in its post row, any other (edit versions, media, logs,
 * reposted commits) in the blobs store; so any index can be rebuilt from them.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey } from '../../src/protocol/keys.ts';
import type { FollowOp, SealedAudienceKind, UnfollowOp } from '../../src/protocol/ops.ts';
import type { ContactRow, DeliveryRow, DmRow, InboxCursorRow, NotificationRow } from './inbox-rows.ts';
import type { PrivateSyncRow, PrivateUpdateRow } from './private-rows.ts';
import type { EditRow, ProfileRow, ReactionRow, RepostRow, TombstoneRow, VoteRow } from './social-rows.ts';
import type { PackBytesRow, PackKey, PackRow } from './pack-rows.ts';
import { type BackfillVotes, upgradeCoreDb } from './db-upgrade.ts';

export type { ContactRow, DeliveryRow, DmRow, InboxCursorRow, NotificationRow } from './inbox-rows.ts';
export type { PrivateSyncRow, PrivateUpdateRow, PrivateViewCache } from './private-rows.ts';
export type { EditRow, ProfileRow, ReactionRow, RepostRow, TombstoneRow, VoteRow } from './social-rows.ts';
export type { PackBytesRow, PackKey, PackRow } from './pack-rows.ts';

export const DB_NAME = 'murmur';
export const DB_VERSION = 9;

export interface PseudonymRow {
  readonly id: PseudonymId;
  readonly name: string;
  /** `name@host` once claimed on the home hub; those of the hubs it moved away from (mentions of them count). */
  readonly handle?: string;
  readonly formerHandles?: readonly string[];
  /** Hub origins; the first is home. */
  readonly hubs: readonly string[];
  readonly createdAt: number;
  /** Never leaves the worker. Absent while a passphrase lock is set (then sealedKey holds it). */
  readonly secretKey?: SecretKey;
  /** The secret key under the lock's key (key-lock.ts): XChaCha20-Poly1305, the id as associated data. */
  readonly sealedKey?: { readonly nonce: Uint8Array; readonly ciphertext: Uint8Array };
  /** Hubs the feed moved away from that do not hold its pointer commit yet (sync/pointer-retry.ts). */
  readonly pointersOwed?: readonly PointerOwedRow[];
}

export type PointerOwedRow = { readonly hub: string; readonly pointer: CommitId };

export interface BlobRow {
  readonly id: ObjectId;
  /** Exactly the bytes that hash to id (commits as signed, objects as encoded). */
  readonly bytes: Uint8Array;
}

/**
 * A held commit made on this device (v3; before v6 every held commit): its
 * signed bytes, kept only here (not also in blobs), and its seq for DAG
 * walks. Parents and ops are read from the bytes. Ingested commits are packed.
 */
export interface CommitRow {
  readonly id: CommitId;
  /** Exactly the signed bytes that hash to id. */
  readonly bytes: Uint8Array;
  readonly seq: number;
  /** Media its posts name (blobs a push carries along beyond the ops' own ids); only when there are any. */
  readonly media?: readonly ObjectId[];
}

/** Our current view of one feed: the commits we hold that no held commit names as parent. */
export interface TipsRow {
  readonly author: PseudonymId;
  /** Sorted, distinct. */
  readonly heads: readonly CommitId[];
  /** The greatest seq held for this feed (always the seq of some tip). */
  readonly seq: number;
}

/** A media index key: [viewer tag, -ts, ...tie] (post-rows.ts), newest first ascending. */
export type TimelineKey = [string, number, number, number];

/** A post row's key: [-ts, ...tie] (post-rows.ts), so newest first is ascending key order. */
export type PostKey = [number, number, number];

/**
 * One row per post (v3): the post object's bytes (kept only here, not also in
 * blobs), the merge-rule facts about it, and its materialized view, so one
 * row serves the thread, profile and timeline reads. Short field names and
 * compact ids because the row is stored once per post (and strings, not
 * byte arrays: each array read back costs an allocation on every page); post-rows.ts
 * maps it to and from what the rest of the worker reads.
 *
 * A row without bytes is a stub: a post not held yet that some held row
 * names (a reply, reaction, repost, edit or delete). Because every such
 * target has a row, a post arriving where no row exists has no social rows to
 * read: ingest's fast path (timeline-rows.ts).
 */
/** An agent that wrote a post for its author, as its verified commit says. */
export interface AgentMark {
  readonly id: PseudonymId;
  readonly model: string;
  /** Signed by the agent's key under the author's delegation (else the author signed and declares it). */
  readonly delegated: boolean;
  readonly name?: string;
}

export interface PostRow {
  /** [-ts, ...tie]: the store is in timeline order, so a page is one getAll on it. A stub's is [Infinity, ...tie]. */
  readonly k: PostKey;
  readonly id: ObjectId;
  /**
   * The post object's canonical text: its bytes are exactly utf8(text) (they
   * were strict UTF-8 when verified), kept as a string because a byte array
   * read back costs an allocation per row on every page. Absent on a stub.
   */
  readonly text?: string;
  /** The commit that published it first (earliest stamp), its 32 bytes in base64url (post-rows.ts idKey). */
  readonly c?: string;
  /** Its author, as idKey (the byAuthorTs index, with k). */
  readonly a?: string;
  /** The publishing stamp's commit ts, when it is not the post's ts. */
  readonly st?: number;
  /** The publishing stamp's op index, when it is not 0. */
  readonly o?: number;
  /** reply_to (the byReplyTo index). */
  readonly rt?: ObjectId;
  /** Verified provenance of the publishing commit (`name`: what the owner's delegation calls the agent). */
  readonly ag?: AgentMark;
  /** The author's tombstone names it. */
  readonly del?: 1;
  /** The local viewers whose timeline shows it, by tag (post-rows.ts viewerTag). */
  readonly vw?: string[];
  /** Media index keys, one per viewer in vw, only on posts with media. */
  readonly tm?: TimelineKey[];
  /** Per viewer (hex id), what only that viewer sees: the handle it knows the author by, the reposters it sees. */
  readonly v?: Readonly<Record<string, { readonly h?: string; readonly rb?: readonly PseudonymId[] }>>;
  /** The author's profile name. */
  readonly an?: string;
  /** Edited: 1; eb the shown version's body when an edit is shown. */
  readonly ed?: 1;
  readonly eb?: string;
  /** Reactions per emoji: count, and the local viewers among the reactors. */
  readonly rx?: readonly { readonly e: string; readonly n: number; readonly m?: readonly PseudonymId[] }[];
  /** Replies held that are not deleted. */
  readonly rc?: number;
  /** Standing votes (v7): up and down counts, and the local voters' own non-zero votes. */
  readonly vo?: { readonly u: number; readonly d: number; readonly m?: readonly (readonly [PseudonymId, -1 | 1])[] };
  /**
   * A sealed post's audience (audience.ts): its row holds the opened post under the sealed blob's id, and the
   * sealed bytes are a blob row of their own (what a push sends). Absent on a public post.
   */
  readonly au?: SealedAudienceKind;
  /** The local pseudonyms (viewer tags) that opened a sealed post's key envelope: only they, and its author, see it. */
  readonly rd?: readonly string[];
  /** A link post's secret (base64url), kept on the author's device only: never in a blob, never sent. */
  readonly lk?: string;
  /**
   * An opened sealed post's content key (base64url): its media and its edits' versions are sealed under it.
   * Kept beside the opened text it protects, on this device only.
   */
  readonly ck?: string;
}

/** The follow state of `pseudonym` towards `target`: last writer wins by stamp (ts, commitId, op index). */
export interface FollowRow {
  readonly pseudonym: PseudonymId;
  readonly target: PseudonymId;
  readonly handle?: string;
  readonly hubs: readonly string[];
  readonly ts: number;
  readonly commitId: CommitId;
  readonly opIndex: number;
  readonly active: boolean;
}

/** An own commit the home hub has not acknowledged (its head does not cover it yet). */
export interface OutboxRow {
  readonly pseudonym: PseudonymId;
  readonly commitId: CommitId;
  readonly seq: number;
  readonly queuedAt: number;
  /** Listed in the pseudonym's feed log already (own-log.ts), so a retried push does not list it twice. */
  readonly logged?: true;
}

export interface CoreSchema extends DBSchema {
  pseudonyms: { key: PseudonymId; value: PseudonymRow };
  blobs: { key: ObjectId; value: BlobRow };
  commits: { key: CommitId; value: CommitRow };
  tips: { key: PseudonymId; value: TipsRow };
  /** Ingested commits, many to a row (commit-packs.ts): the index here, the bytes in packBytes under the same key. */
  packs: { key: PackKey; value: PackRow };
  packBytes: { key: PackKey; value: PackBytesRow };
  /** Post rows with their view (post-rows.ts), in timeline order; byId finds one by its id. */
  posts: {
    key: PostKey;
    value: PostRow;
    indexes: { byId: ObjectId; byAuthorTs: [string, PostKey]; byReplyTo: ObjectId; media: TimelineKey };
  };
  follows: { key: [PseudonymId, PseudonymId]; value: FollowRow; indexes: { byTarget: PseudonymId } };
  outbox: { key: [PseudonymId, CommitId]; value: OutboxRow };
  /** Edit versions: [target, version id]; byVersion finds the post a version edits (a delete names the version). */
  edits: { key: [ObjectId, ObjectId]; value: EditRow; indexes: { byVersion: ObjectId } };
  /** Deletes: [target, deleting author]; the post's author's wins over it, a reposter's withdraws that repost. */
  tombstones: { key: [ObjectId, PseudonymId]; value: TombstoneRow };
  /** Per (target, emoji, reactor): last writer wins by stamp. */
  reactions: { key: [ObjectId, string, PseudonymId]; value: ReactionRow; indexes: { byReactor: PseudonymId } };
  reposts: { key: [ObjectId, PseudonymId]; value: RepostRow; indexes: { byReposter: PseudonymId } };
  /** Per (target, voter): last writer wins by stamp (v7); a withdrawn vote stays as value 0. */
  votes: { key: [ObjectId, PseudonymId]; value: VoteRow };
  /** Per (author, field): last writer wins by stamp. */
  profiles: { key: [PseudonymId, string]; value: ProfileRow };
  /** Verified commits whose parents no hub had yet: applied when the parents arrive (ingest.ts). */
  pending: { key: CommitId; value: PendingRow; indexes: { byAuthor: PseudonymId } };
  /** Small device-wide settings (lock state, key-derivation salt, ...), one row per key. */
  meta: { key: string; value: MetaRow };
  /** Direct messages, sent and received, per local pseudonym: [owner, sealed blob id] (dm-rows.ts). */
  dms: { key: [PseudonymId, ObjectId]; value: DmRow; indexes: { byPeer: [PseudonymId, PseudonymId, number] } };
  /** Notices (and DM blobs) waiting to reach someone's inbox: [owner, delivery id] (deliveries.ts). */
  deliveries: { key: [PseudonymId, string]; value: DeliveryRow };
  /** Verified notifications per local pseudonym: [owner, notification id] (notifications.ts). */
  notifications: { key: [PseudonymId, string]; value: NotificationRow; indexes: { byTs: [PseudonymId, number] } };
  /** How far each pseudonym has read its inbox on each hub: [owner, hub origin]. */
  inboxCursors: { key: [PseudonymId, string]; value: InboxCursorRow };
  /** What one pseudonym knows of a person it exchanges DMs with (key, hubs, handle): [owner, peer]. */
  contacts: { key: [PseudonymId, PseudonymId]; value: ContactRow };
  /** Private state (private/docs.ts): Yjs updates per pseudonym, appended and compacted now and then. */
  privateUpdates: { key: [PseudonymId, string]; value: PrivateUpdateRow };
  /** Local full-text search (v8, search-rows.ts): one row per held post not deleted, in timeline order. */
  search: { key: PostKey; value: SearchRow; indexes: { bySeq: number } };
  /** Private state's sync bookkeeping, one row per pseudonym (keyed [pseudonym] so retiring clears it with a range). */
  privateSync: { key: [PseudonymId]; value: PrivateSyncRow };
}

/**
 * A post's search terms (v8, search-rows.ts): its shown version's words, its
 * tags, its author and whether it has media, under the post's key. The index
 * over the terms is built in memory from these rows (workers/search/
 * term-index.ts; v8 kept an IndexedDB index entry per term, v9 dropped it).
 * Rebuilt from the store when the meta mark `search-index` is missing or
 * older (workers/search/search-index.ts).
 */
export interface SearchRow {
  readonly k: PostKey;
  /** A post kept only in its pack: its id as idKey (post-rows.ts). A held post's row has it. */
  readonly i?: string;
  /**
   * Distinct terms (search-terms.ts termsOf) joined by spaces (none has one: search-rows.ts termsOfRow); as one
   * string a post's row took 146 B on disk beside 167 B as a list (bench/search.bench.ts). */
  readonly w: string;
  /** The seq of the transaction that wrote it (v9, search-rows.ts searchSeqOf); rows from v8 have none. */
  readonly s?: number;
}

export interface PendingRow {
  readonly id: CommitId;
  readonly author: PseudonymId;
  readonly bytes: Uint8Array;
}

export interface MetaRow {
  readonly key: string;
  readonly value: unknown;
}

export type CoreDb = IDBPDatabase<CoreSchema>;

/**
 * Opens (creating or upgrading) the core database. The v7 upgrade's data step (vote-backfill.ts) is loaded only
 * for a database older than v7: an open that meets one gives up its upgrade, changing nothing, and opens again
 * with the step loaded, so the worker's first script carries neither it nor what it imports.
 */
export async function openCoreDb(name: string = DB_NAME): Promise<CoreDb> {
  let needsBackfill = false;
  try {
    return await openAt(name, undefined, () => {
      needsBackfill = true;
    });
  } catch (error) {
    if (!needsBackfill) throw error;
  }
  const { backfillVotes } = await import('./vote-backfill.ts');
  return openAt(name, backfillVotes, () => undefined);
}

function openAt(name: string, backfillVotes: BackfillVotes | undefined, missing: () => void): Promise<CoreDb> {
  return openDB<CoreSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      upgradeCoreDb(db, oldVersion, tx, backfillVotes, missing);
    },
  });
}

/** Every key [owner, x] of a store keyed by [owner, id]. */
export function ownedRange(owner: PseudonymId): IDBKeyRange {
  return IDBKeyRange.bound([owner, ''], [owner, '\uffff']);
}

/** A copy of exactly these bytes: a view into a larger buffer would store the whole buffer. */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

export function blobRowOf(id: ObjectId, bytes: Uint8Array): BlobRow {
  return { id, bytes: ownBytes(bytes) };
}

export function followRowOf(
  op: FollowOp | UnfollowOp,
  commit: { id: CommitId; author: PseudonymId; ts: number },
  opIndex: number,
): FollowRow {
  return {
    pseudonym: commit.author,
    target: op.target,
    ...(op.type === 'follow' && op.handle !== undefined && { handle: op.handle }),
    hubs: op.type === 'follow' ? (op.hubs ?? []) : [],
    ts: commit.ts,
    commitId: commit.id,
    opIndex,
    active: op.type === 'follow',
  };
}
