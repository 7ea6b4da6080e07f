/**
 * The write guard's counts in PostgreSQL (RateLedger, SeenRequestLedger:
 * hub-store.ts), so every hub process on the database draws on the same
 * buckets and refuses the same replays. Both run on the database's clock
 * (clock_timestamp()), never a process's: processes on several machines
 * disagree by their skew, and a bucket must not refill because a request
 * reached a process whose clock runs ahead.
 *
 * A bucket is a row (key, tokens, at, full_at) updated by one statement that
 * refills it to now and takes a token only when one is there; `full_at` is
 * when it will be full again, after which it is the same as no row and is
 * swept. Buckets are taken on the relaxed connections (database.ts), whose
 * commits do not wait for the WAL flush: every write of one address takes
 * its one row, which a synchronous commit held locked through a flush each.
 * A database crash may forget the last fraction of a second of takes, giving
 * those tokens back once; nothing acknowledged depends on them. Signed
 * requests are remembered durably: a forgotten nonce could be replayed.
 *
 * A signed request is a row (author, nonce, expires): the primary key
 * makes a second admit of it refuse, in whichever process. Unlike the
 * in-process memory (seen-requests.ts), rows are on disk, so there is no
 * memory cap to enforce; the rates bound how fast anyone adds them, and
 * expired ones are swept.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { REQUEST_SKEW_MS } from '../../../protocol/request-auth.ts';
import type { Rate } from '../../hub-limits.ts';
import type { RateLedger, SeenRequestLedger } from '../hub-store.ts';
import type { Database } from './database.ts';

/** Expired rows are swept after this many writes of a process (a delete by an index, now and then). */
const SWEEP_EVERY = 1000;

export class PostgresRates implements RateLedger {
  readonly #db: Database;
  #takes = 0;

  constructor(db: Database) {
    this.#db = db;
  }

  async take(key: string, { perSecond, burst }: Rate): Promise<number> {
    if (perSecond === 0) return 0;
    if (++this.#takes % SWEEP_EVERY === 0)
      await this.#db.query('DELETE FROM rate_buckets WHERE full_at < clock_timestamp()');
    // refilled: the bucket's tokens now, at most `burst`; a row is taken only when refilled >= 1.
    const refilled = 'LEAST($2::float8, b.tokens + extract(epoch from (EXCLUDED.at - b.at)) * $3::float8)';
    const { rowCount } = await this.#db.query(
      `INSERT INTO rate_buckets AS b (key, tokens, at, full_at)
       SELECT $1, $2::float8 - 1, t, t + make_interval(secs => 1 / $3::float8) FROM (SELECT clock_timestamp() AS t) now
       ON CONFLICT (key) DO UPDATE SET
         tokens = ${refilled} - 1,
         at = EXCLUDED.at,
         full_at = EXCLUDED.at + make_interval(secs => ($2::float8 - (${refilled} - 1)) / $3::float8)
       WHERE ${refilled} >= 1`,
      [key, burst, perSecond],
    );
    if (rowCount === 1) return 0;
    const { rows } = await this.#db.query<{ tokens: number }>(
      `SELECT LEAST($2::float8, tokens + extract(epoch from (clock_timestamp() - at)) * $3::float8) AS tokens
       FROM rate_buckets WHERE key = $1`,
      [key, burst, perSecond],
    );
    const tokens = rows[0]?.tokens ?? 0;
    return Math.max(1, Math.ceil(((1 - tokens) * 1000) / perSecond));
  }
}

export class PostgresSeenRequests implements SeenRequestLedger {
  readonly since: number;
  readonly #db: Database;
  #admits = 0;

  /** @param since when the database began remembering signed requests (the migration that made the table). */
  constructor(db: Database, since: number) {
    this.#db = db;
    this.since = since;
  }

  /** Opens the ledger of `db`, whose schema is current (migrations.ts made the table). */
  static async open(db: Database): Promise<PostgresSeenRequests> {
    const { rows } = await db.query<{ ms: string }>(
      `SELECT (extract(epoch from applied) * 1000)::bigint AS ms FROM schema_version WHERE version = $1`,
      [SEEN_REQUESTS_MIGRATION],
    );
    return new PostgresSeenRequests(db, Number(rows[0]!.ms));
  }

  async admit(author: PseudonymId, nonce: string, ts: number): Promise<void> {
    if (ts < this.since)
      throw new ProtocolError('Replayed', 'the request was signed before this hub started; sign it again');
    if (++this.#admits % SWEEP_EVERY === 0)
      await this.#db.query('DELETE FROM seen_requests WHERE expires < clock_timestamp()');
    const { rowCount } = await this.#db.query(
      `INSERT INTO seen_requests (author, nonce, expires) VALUES ($1, $2, to_timestamp($3::float8 / 1000))
       ON CONFLICT DO NOTHING`,
      [author, nonce, ts + REQUEST_SKEW_MS],
    );
    if (rowCount === 0)
      throw new ProtocolError('Replayed', 'this signed request was already received; sign each request afresh');
  }
}

/** The migration (migrations.ts) that made seen_requests: requests signed before it are not covered. */
export const SEEN_REQUESTS_MIGRATION = 2;
