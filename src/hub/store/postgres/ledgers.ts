/**
 * The pseudonym quota, the address budgets and the disk meter in PostgreSQL
 * (QuotaLedger, AddressLedger, DiskMeter: hub-store.ts), shared by every hub
 * process on the database. Bytes charged are a row per key in `budgets`
 * (kind 'quota', 'address' or 'disk'); a blob is charged once by the primary
 * key of `quota_charges`, in the same statement that adds to its author's row.
 *
 * Reservations across processes: a hold is a row in `holds` with an expiry.
 * reserve locks the key's budgets row (so reservations of one key take turns,
 * in any process), sums the unexpired holds, refuses when used + held + bytes
 * would pass the limit, and inserts its hold, all in one transaction; release
 * deletes the row. Why rows with an expiry rather than a `reserved` column
 * bumped by a conditional UPDATE: a process killed mid-upload would leave its
 * bytes reserved for good, shrinking the budget forever; an expired hold just
 * stops counting (and is swept by the next reserve of its key). The expiry
 * outlasts any write a hub lets run (a blob upload is read in full before it
 * reserves), so a hold does not lapse under a write still under way.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { ObjectId, PseudonymId } from '../../../protocol/ids.ts';
import type { AddressLedger, DiskMeter, QuotaLedger, Release } from '../hub-store.ts';
import type { Database } from './database.ts';

/** How long a hold counts when its release never comes (the process holding it died). */
export const HOLD_TTL_MS = 5 * 60_000;

type Kind = 'quota' | 'address' | 'disk';

/** The bytes charged and held per key of one kind, against one limit (0: none). */
class Budget {
  readonly #db: Database;
  readonly #kind: Kind;
  readonly #limit: number;
  readonly #refusal: (used: number, bytes: number, limit: number) => ProtocolError;

  constructor(
    db: Database,
    kind: Kind,
    limit: number,
    refusal: (used: number, bytes: number, limit: number) => ProtocolError,
  ) {
    this.#db = db;
    this.#kind = kind;
    this.#limit = limit;
    this.#refusal = refusal;
  }

  async used(key: string): Promise<number> {
    const { rows } = await this.#db.query<{ used: string }>('SELECT used FROM budgets WHERE kind = $1 AND key = $2', [
      this.#kind,
      key,
    ]);
    return Number(rows[0]?.used ?? 0);
  }

  /** @throws ProtocolError (the kind's refusal) when the bytes would pass the limit. */
  async reserve(key: string, bytes: number): Promise<Release> {
    // With no limit a hold can never refuse anyone, so none is written.
    if (this.#limit === 0) return async () => {};
    const id = await this.#db.transaction(async (tx) => {
      // Creates the row if need be and locks it until commit: the turn-taking of this key's reservations.
      const locked = await tx.query<{ used: string }>(
        `INSERT INTO budgets (kind, key, used) VALUES ($1, $2, 0)
         ON CONFLICT (kind, key) DO UPDATE SET used = budgets.used RETURNING used`,
        [this.#kind, key],
      );
      // A statement after the lock sees every hold committed before it was granted (READ COMMITTED).
      const held = await tx.query<{ held: string }>(
        'SELECT coalesce(sum(bytes), 0) AS held FROM holds WHERE kind = $1 AND key = $2 AND expires > now()',
        [this.#kind, key],
      );
      const used = Number(locked.rows[0]!.used) + Number(held.rows[0]!.held);
      if (used + bytes > this.#limit) throw this.#refusal(used, bytes, this.#limit);
      await tx.query('DELETE FROM holds WHERE kind = $1 AND key = $2 AND expires <= now()', [this.#kind, key]);
      const hold = await tx.query<{ id: string }>(
        `INSERT INTO holds (kind, key, bytes, expires) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
         RETURNING id`,
        [this.#kind, key, bytes, HOLD_TTL_MS],
      );
      return hold.rows[0]!.id;
    });
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await this.#db.query('DELETE FROM holds WHERE id = $1', [id]);
      } catch (error) {
        // Never rejects (Release): a hold that cannot be deleted now lapses at its expiry.
        console.error('hub store: a hold could not be released; it lapses on its own', (error as Error).message);
      }
    };
  }

  /** Adds `bytes` (negative: a refund) to `key`'s row; resolves once committed. */
  async charge(key: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    await this.#db.query(
      `INSERT INTO budgets (kind, key, used) VALUES ($1, $2, $3)
       ON CONFLICT (kind, key) DO UPDATE SET used = budgets.used + EXCLUDED.used`,
      [this.#kind, key, bytes],
    );
  }
}

export class PostgresQuotaLedger implements QuotaLedger {
  readonly #db: Database;
  readonly #budget: Budget;

  /** @param limit bytes per pseudonym; 0 means no limit (charges are still kept). */
  constructor(db: Database, limit: number) {
    this.#db = db;
    this.#budget = new Budget(
      db,
      'quota',
      limit,
      (used, bytes, max) =>
        new ProtocolError(
          'QuotaExceeded',
          `this pseudonym has stored ${used} of its ${max} bytes; a ${bytes}-byte blob would pass the quota`,
        ),
    );
  }

  usedBy(author: PseudonymId): Promise<number> {
    return this.#budget.used(author);
  }

  async isCharged(id: ObjectId): Promise<boolean> {
    const { rows } = await this.#db.query('SELECT 1 FROM quota_charges WHERE blob = $1', [id]);
    return rows.length > 0;
  }

  /** @throws ProtocolError QuotaExceeded */
  reserve(author: PseudonymId, bytes: number): Promise<Release> {
    return this.#budget.reserve(author, bytes);
  }

  /** One statement: the blob's charge row is taken by one author only, and only that one's total grows. */
  async charge(author: PseudonymId, id: ObjectId, bytes: number): Promise<void> {
    await this.#db.query(
      `WITH charged AS (
         INSERT INTO quota_charges (blob, author, bytes) VALUES ($1, $2, $3) ON CONFLICT (blob) DO NOTHING
         RETURNING author, bytes)
       INSERT INTO budgets (kind, key, used) SELECT 'quota', author, bytes FROM charged
       ON CONFLICT (kind, key) DO UPDATE SET used = budgets.used + EXCLUDED.used`,
      [id, author, bytes],
    );
  }
}

export class PostgresAddressLedger implements AddressLedger {
  readonly #budget: Budget;

  /** @param limit bytes per address group; 0 means no limit (charges are still kept). */
  constructor(db: Database, limit: number) {
    this.#budget = new Budget(
      db,
      'address',
      limit,
      (used, bytes, max) =>
        new ProtocolError(
          'AddressQuotaExceeded',
          `your network address has stored ${used} of its ${max} bytes on this hub; ` +
            `${bytes} more would pass its budget`,
        ),
    );
  }

  usedBy(group: string): Promise<number> {
    return this.#budget.used(group);
  }

  /** @throws ProtocolError AddressQuotaExceeded */
  reserve(group: string, bytes: number): Promise<Release> {
    return this.#budget.reserve(group, bytes);
  }

  charge(group: string, bytes: number): Promise<void> {
    return this.#budget.charge(group, bytes);
  }
}

/**
 * The hub-wide meter: the bytes of blobs and records the hubs on this database stored, counted as each is
 * stored (a crash between a write and its count under-counts that write, never over-counts).
 */
export class PostgresDiskMeter implements DiskMeter {
  readonly #budget: Budget;

  /** @param limit bytes; 0 means no limit (the meter still counts). */
  constructor(db: Database, limit: number) {
    this.#budget = new Budget(db, 'disk', limit, (used, bytes, max) => {
      const held = `this hub holds ${used} of the ${max} bytes its operator allows`;
      return new ProtocolError('HubFull', `${held}; it cannot take ${bytes} more`);
    });
  }

  used(): Promise<number> {
    return this.#budget.used('');
  }

  /** @throws ProtocolError HubFull */
  reserve(bytes: number): Promise<Release> {
    return this.#budget.reserve('', bytes);
  }

  add(bytes: number): Promise<void> {
    return this.#budget.charge('', bytes);
  }
}
