/**
 * The core worker's IndexedDB schema: one `DBSchema`, its row types, and the
 * named functions that map wire values (signed commits, post objects, follow
 * ops) to rows. Rows are derived from verified blobs only; the blobs store
 * keeps every commit and object exactly as signed or hashed, so any index can
 * be rebuilt from it.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { AgentField } from '../src/protocol/agents.ts';
import { type SignedCommit, objectIdsOf } from '../src/protocol/commits.ts';
import type { Stamp } from '../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../src/protocol/ids.ts';
import type { SecretKey } from '../src/protocol/keys.ts';
import type { BuiltObject, PostObject } from '../src/protocol/objects.ts';
import type { FollowOp, UnfollowOp } from '../src/protocol/ops.ts';
import type { ContactRow, DeliveryRow, DmRow, InboxCursorRow, NotificationRow } from './inbox-rows.ts';

export type { ContactRow, DeliveryRow, DmRow, InboxCursorRow, NotificationRow } from './inbox-rows.ts';

export const DB_NAME = 'murmur';
export const DB_VERSION = 5;

export interface PseudonymRow {
  readonly id: PseudonymId;
  readonly name: string;
  /** `name@host` once claimed on the home hub. */
  readonly handle?: string;
  /** Hub origins; the first is home. */
  readonly hubs: readonly string[];
  readonly createdAt: number;
  /** Never leaves the worker. Absent while a passphrase lock is set (then sealedKey holds it). */
  readonly secretKey?: SecretKey;
  /** The secret key under the lock's key (key-lock.ts): XChaCha20-Poly1305, the id as associated data. */
  readonly sealedKey?: { readonly nonce: Uint8Array; readonly ciphertext: Uint8Array };
}

export interface BlobRow {
  readonly id: ObjectId;
  /** Exactly the bytes that hash to id (commits as signed, objects as encoded). */
  readonly bytes: Uint8Array;
}

export interface CommitRow {
  readonly id: CommitId;
  readonly author: PseudonymId;
  readonly seq: number;
  readonly ts: number;
  readonly parents: readonly CommitId[];
  /** Blobs its ops name (objects, reposted commits, media): what a push carries along. */
  readonly objects: readonly ObjectId[];
}

/** Our current view of one feed: the commits we hold that no held commit names as parent. */
export interface TipsRow {
  readonly author: PseudonymId;
  /** Sorted, distinct. */
  readonly heads: readonly CommitId[];
  /** The greatest seq held for this feed (always the seq of some tip). */
  readonly seq: number;
}

export interface PostRow {
  readonly id: ObjectId;
  /** The commit that published this object first (earliest stamp: a merge's re-assertion never wins). */
  readonly commitId: CommitId;
  /** (commit ts, commit id, op index) of that publication. */
  readonly stamp: Stamp;
  readonly author: PseudonymId;
  readonly body: string;
  readonly ts: number;
  readonly replyTo?: ObjectId;
  readonly quoteOf?: ObjectId;
  readonly tags?: readonly string[];
  readonly media?: readonly ObjectId[];
  /** Verified provenance of the publishing commit. */
  readonly agent?: { readonly id: PseudonymId; readonly model: string; readonly delegated: boolean };
  /** The author's tombstone names it (set whichever arrived first). */
  readonly deleted?: true;
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
  commits: { key: CommitId; value: CommitRow; indexes: { byAuthor: [PseudonymId, number] } };
  tips: { key: PseudonymId; value: TipsRow };
  posts: { key: ObjectId; value: PostRow; indexes: { byTs: number; byAuthorTs: [PseudonymId, number]; byReplyTo: ObjectId } };
  follows: { key: [PseudonymId, PseudonymId]; value: FollowRow; indexes: { byTarget: PseudonymId } };
  outbox: { key: [PseudonymId, CommitId]; value: OutboxRow };
  /** Edit versions: [target, version id]. */
  edits: { key: [ObjectId, ObjectId]; value: EditRow };
  /** Deletes: [target, deleting author]; the post's author's wins over it, a reposter's withdraws that repost. */
  tombstones: { key: [ObjectId, PseudonymId]; value: TombstoneRow };
  /** Per (target, emoji, reactor): last writer wins by stamp. */
  reactions: { key: [ObjectId, string, PseudonymId]; value: ReactionRow; indexes: { byReactor: PseudonymId } };
  reposts: { key: [ObjectId, PseudonymId]; value: RepostRow; indexes: { byReposter: PseudonymId } };
  /** Per (author, field): last writer wins by stamp. */
  profiles: { key: [PseudonymId, string]; value: ProfileRow };
  /** The materialized timeline: one row per (local viewer, visible post), see timeline-rows.ts. */
  timeline: { key: [PseudonymId, number, string]; value: TimelineRow; indexes: { byMedia: [PseudonymId, number, string]; byAuthor: [PseudonymId, PseudonymId, number, string] } };
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
  /** Private state (private-docs.ts): Yjs updates per pseudonym, appended and compacted now and then. */
  privateUpdates: { key: [PseudonymId, string]; value: PrivateUpdateRow };
  /** Private state's sync bookkeeping, one row per pseudonym (keyed [pseudonym] so retiring clears it with a range). */
  privateSync: { key: [PseudonymId]; value: PrivateSyncRow };
}

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
}


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

export interface ProfileRow {
  readonly author: PseudonymId;
  readonly field: string;
  readonly value: unknown;
  readonly stamp: Stamp;
}

/**
 * A timeline item as `viewer` sees it, kept up to date in the transaction of
 * each commit that changes it. Keyed [viewer, -ts, complement(id)] so that
 * newest-first is ascending key order and a page is one bounded getAll.
 */
export interface TimelineRow {
  readonly viewer: PseudonymId;
  readonly k: number;
  readonly r: string;
  /** k, only on items with media (so the byMedia index holds only those). */
  readonly mk?: number;
  readonly author: PseudonymId;
  readonly item: import('./api-types.ts').TimelineItem;
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

/** Opens (creating or upgrading) the core database. */
export function openCoreDb(name: string = DB_NAME): Promise<CoreDb> {
  return openDB<CoreSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, transaction) {
      // Cumulative blocks; a shipped block is never edited.
      if (oldVersion < 1) {
        db.createObjectStore('pseudonyms', { keyPath: 'id' });
        db.createObjectStore('blobs', { keyPath: 'id' });
        const commits = db.createObjectStore('commits', { keyPath: 'id' });
        commits.createIndex('byAuthor', ['author', 'seq']);
        db.createObjectStore('tips', { keyPath: 'author' });
        const posts = db.createObjectStore('posts', { keyPath: 'id' });
        posts.createIndex('byTs', 'ts');
        posts.createIndex('byAuthorTs', ['author', 'ts']);
        const follows = db.createObjectStore('follows', { keyPath: ['pseudonym', 'target'] });
        follows.createIndex('byTarget', 'target');
        db.createObjectStore('outbox', { keyPath: ['pseudonym', 'commitId'] });
        db.createObjectStore('meta', { keyPath: 'key' });
      }
      if (oldVersion < 2) {
        transaction.objectStore('posts').createIndex('byReplyTo', 'replyTo');
        db.createObjectStore('edits', { keyPath: ['target', 'id'] });
        db.createObjectStore('tombstones', { keyPath: ['target', 'author'] });
        db.createObjectStore('reactions', { keyPath: ['target', 'emoji', 'reactor'] }).createIndex('byReactor', 'reactor');
        db.createObjectStore('reposts', { keyPath: ['object', 'reposter'] }).createIndex('byReposter', 'reposter');
        db.createObjectStore('profiles', { keyPath: ['author', 'field'] });
        const timeline = db.createObjectStore('timeline', { keyPath: ['viewer', 'k', 'r'] });
        timeline.createIndex('byMedia', ['viewer', 'mk', 'r']);
        timeline.createIndex('byAuthor', ['viewer', 'author', 'k', 'r']);
        db.createObjectStore('pending', { keyPath: 'id' }).createIndex('byAuthor', 'author');
      }
      if (oldVersion < 4) {
        db.createObjectStore('privateUpdates', { keyPath: ['pseudonym', 'key'] });
        db.createObjectStore('privateSync', { keyPath: ['pseudonym'] });
      }
      if (oldVersion < 5) {
        // DMs, outgoing notices and notifications (inbox-rows.ts); versions 3 and 4 belong to other stores.
        db.createObjectStore('dms', { keyPath: ['owner', 'id'] }).createIndex('byPeer', ['owner', 'peer', 'ts']);
        db.createObjectStore('deliveries', { keyPath: ['owner', 'id'] });
        db.createObjectStore('notifications', { keyPath: ['owner', 'id'] }).createIndex('byTs', ['owner', 'ts']);
        db.createObjectStore('inboxCursors', { keyPath: ['owner', 'hub'] });
        db.createObjectStore('contacts', { keyPath: ['owner', 'peer'] });
      }
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

/** @param extra blobs the commit's objects name in turn (media of its posts), pushed with it. */
export function commitRowOf(signed: SignedCommit, extra: readonly ObjectId[] = []): CommitRow {
  const { author, seq, ts, parents } = signed.commit;
  return { id: signed.id, author, seq, ts, parents, objects: [...new Set([...objectIdsOf(signed.commit), ...extra])] };
}

export function postRowOf(post: BuiltObject<PostObject>, stamp: Stamp, agent?: AgentField): PostRow {
  const { author, body, ts, reply_to, quote_of, tags, media } = post.value;
  return {
    id: post.id, commitId: stamp[1], stamp, author, body, ts,
    ...(reply_to !== undefined && { replyTo: reply_to }),
    ...(quote_of !== undefined && { quoteOf: quote_of }),
    ...(tags && { tags }),
    ...(media && { media }),
    ...(agent && { agent: { id: agent.id, model: agent.model, delegated: agent.delegation !== undefined } }),
  };
}

export function followRowOf(op: FollowOp | UnfollowOp, commit: { id: CommitId; author: PseudonymId; ts: number }, opIndex: number): FollowRow {
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
