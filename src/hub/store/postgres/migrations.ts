/**
 * The PostgreSQL store's schema, as numbered migrations applied at open.
 * schema_version holds every version applied; a shipped migration is never
 * edited (STYLE.md's rule for IndexedDB, here too): a change is a new entry.
 *
 * Two hub processes starting at once on an empty database must not both
 * create the tables: the migration runs in one transaction holding a
 * transaction-level advisory lock, so the second waits, then finds the
 * version current and does nothing.
 */
import type { Database } from './database.ts';

/** The advisory lock key of migrations (any constant; "murmur" in ASCII, to be recognisable in pg_locks). */
const MIGRATION_LOCK = 0x6d75726d7572;

/**
 * Migration N is MIGRATIONS[N - 1]. Numbers (change, notice) come from the one-row counters, updated in
 * the writing transaction, never from a sequence: a sequence hands out 7 before 6 commits, and a reader
 * paging by cursor that sees 7 first would skip 6 for good. Holds are reservations with an expiry
 * (ledgers.ts says why).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
   INSERT INTO counters (name, value) VALUES ('changes', 0), ('notices', 0);
   CREATE TABLE heads (
     author text PRIMARY KEY, seq bigint NOT NULL, change bigint NOT NULL UNIQUE, bytes bytea NOT NULL);
   CREATE TABLE handles (name text PRIMARY KEY, author text NOT NULL, bytes bytea NOT NULL);
   CREATE TABLE notices (
     seq bigint PRIMARY KEY, recipient text NOT NULL, digest bytea NOT NULL UNIQUE, bytes bytea NOT NULL);
   CREATE INDEX notices_by_recipient ON notices (recipient, seq);
   CREATE TABLE quota_charges (blob text PRIMARY KEY, author text NOT NULL, bytes bigint NOT NULL);
   CREATE TABLE budgets (kind text NOT NULL, key text NOT NULL, used bigint NOT NULL, PRIMARY KEY (kind, key));
   CREATE TABLE holds (
     id bigserial PRIMARY KEY, kind text NOT NULL, key text NOT NULL, bytes bigint NOT NULL,
     expires timestamptz NOT NULL);
   CREATE INDEX holds_by_key ON holds (kind, key);
   CREATE TABLE mirror_cursors (origin text PRIMARY KEY, cursor bigint NOT NULL);
   CREATE TABLE verified_commits (id text PRIMARY KEY);`,
  // 2: the write guard's counts, shared by every process (guard-ledgers.ts).
  `CREATE TABLE rate_buckets (
     key text PRIMARY KEY, tokens float8 NOT NULL, at timestamptz NOT NULL, full_at timestamptz NOT NULL);
   CREATE INDEX rate_buckets_by_full ON rate_buckets (full_at);
   CREATE TABLE seen_requests (
     author text NOT NULL, nonce text NOT NULL, expires timestamptz NOT NULL, PRIMARY KEY (author, nonce));
   CREATE INDEX seen_requests_by_expiry ON seen_requests (expires);`,
  // 3: a budget hold in one round trip (ledgers.ts): the key's row stays locked for microseconds, not round trips.
  // Each statement of a VOLATILE plpgsql function takes a fresh snapshot (READ COMMITTED), so the sum of holds,
  // read after the row lock is granted, sees every hold committed before.
  `CREATE FUNCTION reserve_hold(p_kind text, p_key text, p_bytes bigint, p_limit bigint, p_ttl_ms bigint)
     RETURNS TABLE (hold bigint, used bigint) LANGUAGE plpgsql VOLATILE AS $$
   DECLARE
     charged bigint;
     held bigint;
     taken bigint;
   BEGIN
     INSERT INTO budgets AS b (kind, key, used) VALUES (p_kind, p_key, 0)
       ON CONFLICT (kind, key) DO UPDATE SET used = b.used RETURNING b.used INTO charged;
     SELECT coalesce(sum(h.bytes), 0) INTO held FROM holds h
       WHERE h.kind = p_kind AND h.key = p_key AND h.expires > now();
     IF charged + held + p_bytes > p_limit THEN
       RETURN QUERY SELECT NULL::bigint, charged + held;
       RETURN;
     END IF;
     DELETE FROM holds h WHERE h.kind = p_kind AND h.key = p_key AND h.expires <= now();
     INSERT INTO holds (kind, key, bytes, expires)
       VALUES (p_kind, p_key, p_bytes, now() + p_ttl_ms * interval '1 millisecond') RETURNING id INTO taken;
     RETURN QUERY SELECT taken, charged + held;
   END $$;`,
  // 4: inbox policies (inbox-policy.ts), the newest per pseudonym (records.ts replaces one only by a greater seq).
  `CREATE TABLE inbox_policies (author text PRIMARY KEY, seq bigint NOT NULL, bytes bytea NOT NULL);`,
  // 5: retirements (retirement.ts), each its author's tombstone; its handles rows are deleted with it.
  `CREATE TABLE retirements (author text PRIMARY KEY, bytes bytea NOT NULL);
   CREATE INDEX handles_by_author ON handles (author);`,
  // 6: directory listings (listing.ts), the newest per pseudonym; topics searchable by a GIN index.
  `CREATE TABLE listings (
     author text PRIMARY KEY, seq bigint NOT NULL, listed boolean NOT NULL, topics text[] NOT NULL,
     search text NOT NULL, bytes bytea NOT NULL);
   CREATE INDEX listings_by_topic ON listings USING gin (topics);`,
  // 7: which policies are boards (a hive's inbox, which mirrors copy), so listing them reads no policy's bytes.
  `ALTER TABLE inbox_policies ADD COLUMN board boolean NOT NULL DEFAULT false;
   UPDATE inbox_policies SET board = (convert_from(bytes, 'UTF8')::jsonb ->> 'mode') = 'board';
   CREATE INDEX inbox_policies_boards ON inbox_policies (author) WHERE board;`,
];

/**
 * Brings the database's schema to the latest version; safe to run from several processes at once.
 * @returns the version now applied.
 * @throws Error when the database has a version newer than this hub knows (a newer hub migrated it).
 */
export async function migrate(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_version (
         version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await tx.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM schema_version');
    const current = rows[0]!.v;
    if (current > MIGRATIONS.length)
      throw new Error(`the database's schema is version ${current}; this hub knows up to ${MIGRATIONS.length}`);
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      await tx.query(MIGRATIONS[version - 1]!);
      await tx.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
    }
    return MIGRATIONS.length;
  });
}
