/** What the worker's core is made of: its database, the network, the clock, randomness and its settings. */
import type { Verify } from '../../src/protocol/keys.ts';
import type { CoreDb } from '../store/db.ts';
import type { Fetch } from '../net/hub-client.ts';
import type { LockManagerLike } from '../tabs/leader.ts';
import type { ChannelLike } from '../tabs/tab-channel.ts';
import type { StorageEstimator } from './keys-api.ts';
import type { ScryptParams } from '../keys/passphrase.ts';
import type { Random } from '../keys/keyring.ts';
import type { NotificationQuery } from '../inbox/notifications.ts';

export interface CoreDeps {
  readonly db: CoreDb;
  readonly fetch: Fetch;
  readonly now: () => number;
  readonly random: Random;
  readonly verify: Verify;
  /** The page's view of connectivity at start (default true). */
  readonly online?: boolean;
  /** Outbox retry backoff while something is queued (default 1 s doubling to 60 s). */
  readonly retry?: { readonly baseMs: number; readonly maxMs: number };
  /**
   * How long follow waits for the new feed's catch-up before
   * answering and letting it go on in the background (default 2 s).
   */
  readonly followWaitMs?: number;
  /** Live stream reconnect backoff (default 1 s doubling to 30 s). */
  readonly streamBackoff?: { readonly baseMs: number; readonly maxMs: number };
  /** navigator.storage, for getStorageInfo (absent in Node tests). */
  readonly storage?: StorageEstimator;
  /** Passphrase KDF cost for backups and the lock (default passphrase.ts SCRYPT_DEFAULT; tests lower it). */
  readonly scrypt?: ScryptParams;
  /** Bytes of a feed file's commits an import keeps from its verifying read (feed-file-io.ts; tests set 0). */
  readonly feedFileStageBytes?: number;
  /** navigator.locks: one tab leads each pseudonym's sync; commits are serialized across tabs (leader.ts). */
  readonly tabLocks?: LockManagerLike;
  /** A BroadcastChannel to the other tabs' workers (tab-channel.ts). */
  readonly tabChannel?: ChannelLike;
  /**
   * The database where queued pushes are left signed for the service worker (handoff.ts); none when
   * undefined (Node tests that do not ask for it). The worker passes HANDOFF_DB.
   */
  readonly handoffDb?: string;
  /** How often the shown pseudonym's inbox is pulled (default 15 s). */
  readonly inboxPollMs?: number;
  /** Wraps the notifications query (mutes, blocks): the list and the unread count both go through it. */
  readonly notificationFilter?: (query: NotificationQuery) => NotificationQuery;
  /** Private state sync timing (private-api.ts defaults: poll 15 s, push 2 s after a change, at most every 10 s). */
  readonly privateSync?: { readonly pollMs?: number; readonly pushDelayMs?: number; readonly pushGapMs?: number };
}
