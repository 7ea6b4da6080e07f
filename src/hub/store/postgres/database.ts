/**
 * The PostgreSQL store's one way to the database: a pool of connections, one
 * statement or one transaction at a time, and the naming of a lost database.
 * A query that cannot reach the server (refused, reset, the server shutting
 * down) rejects with StoreUnavailable, never with whatever the driver threw,
 * so the hub answers an error instead of crashing, and the pool opens fresh
 * connections once the server is back.
 */
import pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.ts';
import { StoreUnavailable } from '../store-errors.ts';

/** A connection inside a transaction: only queries, no begin or end of its own. */
export interface Tx {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** SQLSTATE classes and codes that mean the server, not the statement, failed (PostgreSQL's appendix A). */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i;

/** `error` as StoreUnavailable when it says the database cannot be reached; else `error` itself. */
export function unavailableOr(error: unknown): unknown {
  if (error instanceof ProtocolError || error instanceof StoreUnavailable) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const lost =
    (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) ||
    UNAVAILABLE_MESSAGES.test(message);
  return lost ? new StoreUnavailable(`the hub's database cannot be reached: ${message}`, { cause: error }) : error;
}

export class Database {
  readonly #pool: pg.Pool;
  readonly url: string;

  /**
   * @param relaxed commits on these connections do not wait for their WAL flush (synchronous_commit off): a crash
   *   of the database may lose the last fraction of a second of them, never corrupt or reorder anything. Only
   *   for what no acknowledged write depends on (the guard's rate buckets, budget holds).
   */
  constructor(url: string, max = 10, relaxed = false) {
    this.url = url;
    // A bounded wait for a connection, so a hub whose database is gone answers StoreUnavailable, not never.
    this.#pool = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: 5_000,
      ...(relaxed && { options: '-c synchronous_commit=off' }),
    });
    // An idle connection the server dropped: the pool discards it and opens another when asked.
    // Without a listener Node would end the process on this event.
    this.#pool.on('error', (error) => console.error('hub store: an idle database connection was lost', error.message));
  }

  /**
   * One statement, in a transaction of its own.
   * @throws StoreUnavailable when the database cannot be reached; the driver's error for anything else.
   */
  async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  /**
   * Runs `body` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it throws
   * (its error is rethrown, so a ProtocolError such as StaleHead undoes everything the body wrote).
   * @throws StoreUnavailable when the database is lost, before or during the commit (then not acknowledged).
   */
  async transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw unavailableOr(error);
    }
    // A checked-out connection has no listener of the pool's: a server going away would otherwise end the process.
    const onError = (error: Error) => console.error('hub store: a database connection was lost', error.message);
    client.on('error', onError);
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw unavailableOr(error);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** Closes every connection; queries after it reject. */
  close(): Promise<void> {
    return this.#pool.end();
  }
}
