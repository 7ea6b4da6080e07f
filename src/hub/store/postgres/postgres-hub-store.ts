/**
 * The PostgreSQL store: a HubStore (hub-store.ts) whose metadata (heads and
 * the change log, handles, inboxes, quotas, budgets, the disk meter,
 * mirroring's state) lives in one PostgreSQL database that any number of hub
 * processes share, and whose blobs live in the BlobStore it is given (S3 in
 * production, store/s3/; the memory or file blob store in tests). Opening it
 * migrates the schema (migrations.ts) and starts listening for changes
 * (change-feed.ts), so subscribers in every process hear every head.
 *
 * Every write resolves once committed. A lost database rejects with
 * StoreUnavailable (database.ts); the pool and the change listener reconnect
 * on their own once it is back.
 */
import type { BlobStore, HubStore, OpenHubStore, StoreLimits } from '../hub-store.ts';
import { ChangeFeed } from './change-feed.ts';
import { Database } from './database.ts';
import { PostgresHeadStore } from './head-store.ts';
import { PostgresRates, PostgresSeenRequests } from './guard-ledgers.ts';
import {
  BudgetCharges,
  type BudgetDbs,
  PostgresAddressLedger,
  PostgresDiskMeter,
  PostgresQuotaLedger,
} from './ledgers.ts';
import { migrate } from './migrations.ts';
import { postgresMirrorStore } from './mirror-store.ts';
import { PostgresHandleStore, PostgresInboxStore } from './records.ts';
import { PostgresDirectory } from './directory.ts';

/** Connections for relaxed commits: short single statements and small transactions. */
const RELAXED_POOL = 4;

export interface PostgresStoreOptions {
  /** A connection string, `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Where the blobs live; closed by its owner, not by this store. */
  readonly blobs: BlobStore;
  /** Connections in this process's pool (the listener of changes takes one more). */
  readonly poolSize?: number;
}

/** The PostgreSQL store at `options.url`, for startHub. */
export function postgresHubStore(options: PostgresStoreOptions): OpenHubStore {
  return (limits) => openPostgresHubStore(options, limits);
}

/** @throws when the database cannot be reached or its schema is newer than this hub knows (the message says). */
export async function openPostgresHubStore(options: PostgresStoreOptions, limits: StoreLimits): Promise<HubStore> {
  const db = new Database(options.url, options.poolSize);
  // For the rate buckets and budget holds: their commits need not wait for a flush (ledgers.ts says why).
  const relaxed = new Database(options.url, RELAXED_POOL, true);
  let feed: ChangeFeed | undefined;
  let seen: PostgresSeenRequests;
  try {
    await migrate(db);
    seen = await PostgresSeenRequests.open(db);
    feed = await ChangeFeed.open(db);
  } catch (error) {
    await Promise.allSettled([db.close(), relaxed.close()]);
    throw error;
  }
  const opened = feed;
  const budgets: BudgetDbs = { durable: db, relaxed, charges: new BudgetCharges(db) };
  return {
    blobs: options.blobs,
    heads: new PostgresHeadStore(db, opened),
    handles: new PostgresHandleStore(db),
    inbox: new PostgresInboxStore(db),
    directory: new PostgresDirectory(db),
    quota: new PostgresQuotaLedger(budgets, limits.quotaBytes),
    addresses: new PostgresAddressLedger(budgets, limits.addressBytes),
    disk: new PostgresDiskMeter(budgets, limits.diskBytes),
    mirror: postgresMirrorStore(db),
    rates: new PostgresRates(relaxed),
    seen,
    health: async () => {
      try {
        await db.query('SELECT 1');
        return { kind: 'postgres', ok: true };
      } catch (error) {
        return { kind: 'postgres', ok: false, problem: (error as Error).message };
      }
    },
    close: async () => {
      // The feed first: no subscriber is called once close resolves. The pool's end waits for queries under way.
      await opened.close();
      await Promise.all([db.close(), relaxed.close()]);
    },
  };
}
