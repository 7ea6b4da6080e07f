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
 * would pass the limit, and inserts its hold, all in one transaction (one
 * call of the function reserve_hold, migrations.ts, so one round trip); release
 * deletes the row. Why rows with an expiry rather than a `reserved` column
 * bumped by a conditional UPDATE: a process killed mid-upload would leave its
 * bytes reserved for good, shrinking the budget forever; an expired hold just
 * stops counting (and is swept by the next reserve of its key). The expiry
 * outlasts any write a hub lets run (a blob upload is read in full before it
 * reserves), so a hold does not lapse under a write still under way.
 *
 * Holds are written on the relaxed connections (database.ts: commits not
 * waiting for the WAL flush): a hold only stands for a write in flight, and
 * one lost with a crashed database lets nothing through that was charged.
 * Waiting for the flush held the key's row locked for it, so that every
 * write of one address, or of the whole hub for the disk meter, took turns
 * at one flush each. Charges are durable, and group-committed
 * (BudgetCharges): those arriving together in one process are summed per
 * row and added by one statement, so a row is locked once per batch.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import type { ObjectId, PseudonymId } from '../../../protocol/ids.ts';
import type { AddressLedger, DiskMeter, QuotaLedger, Release } from '../hub-store.ts';
import { GroupCommit } from '../group-commit.ts';
import type { Database } from './database.ts';

/** How long a hold counts when its release never comes (the process holding it died). */
export const HOLD_TTL_MS = 5 * 60_000;

type Kind = 'quota' | 'address' | 'disk';

/** The connections a budget uses: durable ones for charges and reads, relaxed ones for holds. */
export interface BudgetDbs {
  readonly durable: Database;
  readonly relaxed: Database;
  readonly charges: BudgetCharges;
}

interface Charge {
  readonly kind: Kind;
  readonly key: string;
  readonly bytes: number;
}

/**
 * Budget charges group-committed: each batch is summed per row and added by
 * one statement, its rows locked in (kind, key) order, so two processes'
 * batches never wait on each other in a cycle.
 */
export class BudgetCharges {
  readonly #batches: GroupCommit<Charge>;

  constructor(db: Database) {
    this.#batches = new GroupCommit((batch) => commitCharges(db, batch));
  }

  /** Adds `bytes` (negative: a refund) to the row; resolves once committed. */
  add(kind: Kind, key: string, bytes: number): Promise<void> {
    return this.#batches.submit({ kind, key, bytes });
  }
}

async function commitCharges(db: Database, batch: readonly Charge[]): Promise<void> {
  const sums = new Map<string, Charge>();
  for (const c of batch) {
    const row = `${c.kind}\u0000${c.key}`;
    sums.set(row, { ...c, bytes: (sums.get(row)?.bytes ?? 0) + c.bytes });
  }
  const rows = [...sums.values()].filter((c) => c.bytes !== 0);
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO budgets (kind, key, used)
     SELECT kind, key, used FROM unnest($1::text[], $2::text[], $3::bigint[]) AS c(kind, key, used) ORDER BY kind, key
     ON CONFLICT (kind, key) DO UPDATE SET used = budgets.used + EXCLUDED.used`,
    [rows.map((c) => c.kind), rows.map((c) => c.key), rows.map((c) => c.bytes)],
  );
}

/** The bytes charged and held per key of one kind, against one limit (0: none). */
class Budget {
  readonly #dbs: BudgetDbs;
  readonly #kind: Kind;
  readonly #limit: number;
  readonly #refusal: (used: number, bytes: number, limit: number) => ProtocolError;

  constructor(
    dbs: BudgetDbs,
    kind: Kind,
    limit: number,
    refusal: (used: number, bytes: number, limit: number) => ProtocolError,
  ) {
    this.#dbs = dbs;
    this.#kind = kind;
    this.#limit = limit;
    this.#refusal = refusal;
  }

  async used(key: string): Promise<number> {
    const { rows } = await this.#dbs.durable.query<{ used: string }>(
      'SELECT used FROM budgets WHERE kind = $1 AND key = $2',
      [this.#kind, key],
    );
    return Number(rows[0]?.used ?? 0);
  }

  /** @throws ProtocolError (the kind's refusal) when the bytes would pass the limit. */
  async reserve(key: string, bytes: number): Promise<Release> {
    // With no limit a hold can never refuse anyone, so none is written.
    if (this.#limit === 0) return async () => {};
    // One round trip (migration 3's reserve_hold): lock the key's row, sum its live holds, refuse or hold.
    const { rows } = await this.#dbs.relaxed.query<{ hold: string | null; used: string }>(
      'SELECT hold, used FROM reserve_hold($1, $2, $3, $4, $5)',
      [this.#kind, key, bytes, this.#limit, HOLD_TTL_MS],
    );
    const { hold: id, used } = rows[0]!;
    if (id === null) throw this.#refusal(Number(used), bytes, this.#limit);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await this.#dbs.relaxed.query('DELETE FROM holds WHERE id = $1', [id]);
      } catch (error) {
        // Never rejects (Release): a hold that cannot be deleted now lapses at its expiry.
        console.error('hub store: a hold could not be released; it lapses on its own', (error as Error).message);
      }
    };
  }

  /** Adds `bytes` (negative: a refund) to `key`'s row; resolves once committed. */
  async charge(key: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    await this.#dbs.charges.add(this.#kind, key, bytes);
  }
}

export class PostgresQuotaLedger implements QuotaLedger {
  readonly #db: Database;
  readonly #budget: Budget;

  /** @param limit bytes per pseudonym; 0 means no limit (charges are still kept). */
  constructor(dbs: BudgetDbs, limit: number) {
    this.#db = dbs.durable;
    this.#budget = new Budget(
      dbs,
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
  constructor(dbs: BudgetDbs, limit: number) {
    this.#budget = new Budget(
      dbs,
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
 * The hub-wide meter: the bytes of blobs and records the hubs on this database stored, counted while each is
 * stored (storage-budget.ts; a crash mid-write may over-count that one write, never acknowledged).
 */
export class PostgresDiskMeter implements DiskMeter {
  readonly #budget: Budget;

  /** @param limit bytes; 0 means no limit (the meter still counts). */
  constructor(dbs: BudgetDbs, limit: number) {
    this.#budget = new Budget(dbs, 'disk', limit, (used, bytes, max) => {
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
