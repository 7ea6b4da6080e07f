/**
 * Handle claims and inboxes in PostgreSQL (HandleStore, InboxStore:
 * hub-store.ts). A claim is first-claim-wins by the primary key on the name:
 * of racing inserts, from any process, one gets the row; a retirement deletes
 * its author's rows and stays as a tombstone. A notice takes its
 * number from the counter row in the writing transaction, as changes do
 * (head-store.ts), so a reader paging by cursor never passes a notice that
 * commits later with a lower number; the same bytes twice are one row (a
 * unique digest), and a repeat rolls back without using a number. An inbox
 * policy replaces the held one in one statement only when its seq is greater.
 */
import { createHash } from 'node:crypto';
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHandleClaim, decodeHandleClaim } from '../../../protocol/handles.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { type SignedInboxPolicy, decodeInboxPolicy } from '../../../protocol/inbox-policy.ts';
import { type SignedNotice, decodeNotice } from '../../../protocol/notices.ts';
import type { HandleStore, InboxStore, StoredNotice } from '../hub-store.ts';
import { type SignedRetirement, decodeRetirement } from '../../../protocol/retirement.ts';
import { policyOutcome, retiredError } from '../record-rules.ts';
import type { Database } from './database.ts';

export class PostgresHandleStore implements HandleStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async findClaim(name: string): Promise<SignedHandleClaim | undefined> {
    const { rows } = await this.#db.query<{ bytes: Buffer }>('SELECT bytes FROM handles WHERE name = $1', [name]);
    return rows[0] && decodeHandleClaim(new Uint8Array(rows[0].bytes));
  }

  async findRetirement(author: PseudonymId): Promise<SignedRetirement | undefined> {
    const { rows } = await this.#db.query<{ bytes: Buffer }>('SELECT bytes FROM retirements WHERE author = $1', [
      author,
    ]);
    return rows[0] && decodeRetirement(new Uint8Array(rows[0].bytes));
  }

  /**
   * Under the author's advisory lock, which retire() takes too: a claim racing its author's retirement, from any
   * process, either lands before it (and is released by it) or sees it.
   * @throws ProtocolError HandleTaken when another author holds the name; Retired
   */
  async putClaim(signed: SignedHandleClaim): Promise<'created' | 'held'> {
    const { name, author } = signed.claim;
    return this.#db.transaction(async (tx) => {
      await tx.query(AUTHOR_LOCK, [author]);
      const retired = await tx.query('SELECT 1 FROM retirements WHERE author = $1', [author]);
      if (retired.rowCount === 1) throw retiredError();
      const inserted = await tx.query(
        'INSERT INTO handles (name, author, bytes) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
        [name, author, Buffer.from(signed.bytes)],
      );
      if (inserted.rowCount === 1) return 'created' as const;
      const { rows } = await tx.query<{ author: string }>('SELECT author FROM handles WHERE name = $1', [name]);
      if (rows[0]?.author !== author) throw new ProtocolError('HandleTaken', `${name} is taken on this hub`);
      return 'held' as const;
    });
  }

  async retire(signed: SignedRetirement): Promise<'created' | 'held'> {
    const { author } = signed.retirement;
    return this.#db.transaction(async (tx) => {
      await tx.query(AUTHOR_LOCK, [author]);
      const put = await tx.query(
        'INSERT INTO retirements (author, bytes) VALUES ($1, $2) ON CONFLICT (author) DO NOTHING',
        [author, Buffer.from(signed.bytes)],
      );
      if (put.rowCount === 0) return 'held' as const;
      await tx.query('DELETE FROM handles WHERE author = $1', [author]);
      return 'created' as const;
    });
  }
}

/** A transaction-level advisory lock per author (hashtext: any stable 32-bit key will do; a collision only waits). */
const AUTHOR_LOCK = 'SELECT pg_advisory_xact_lock(hashtext($1))';

const PUT_NOTICE = `
  WITH next AS (UPDATE counters SET value = value + 1 WHERE name = 'notices' RETURNING value)
  INSERT INTO notices (seq, recipient, digest, bytes) SELECT next.value, $1, $2, $3 FROM next
  ON CONFLICT (digest) DO NOTHING
  RETURNING seq`;

const PUT_POLICY = `
  INSERT INTO inbox_policies AS p (author, seq, bytes, board) VALUES ($1, $2, $3, $4)
  ON CONFLICT (author) DO UPDATE SET seq = excluded.seq, bytes = excluded.bytes, board = excluded.board
  WHERE p.seq < excluded.seq`;

/** Thrown inside the transaction to roll back a repeated notice (its number with it); never escapes. */
class AlreadyHeld extends Error {}

export class PostgresInboxStore implements InboxStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async putNotice(signed: SignedNotice): Promise<'created' | 'held'> {
    const digest = createHash('sha256').update(signed.bytes).digest();
    try {
      return await this.#db.transaction(async (tx) => {
        const put = await tx.query(PUT_NOTICE, [signed.notice.to, digest, Buffer.from(signed.bytes)]);
        if (put.rowCount === 0) throw new AlreadyHeld();
        return 'created' as const;
      });
    } catch (error) {
      if (error instanceof AlreadyHeld) return 'held';
      throw error;
    }
  }

  async findPolicy(author: PseudonymId): Promise<SignedInboxPolicy | undefined> {
    const { rows } = await this.#db.query<{ bytes: Buffer }>('SELECT bytes FROM inbox_policies WHERE author = $1', [
      author,
    ]);
    return rows[0] && decodeInboxPolicy(new Uint8Array(rows[0].bytes));
  }

  async listBoards(): Promise<PseudonymId[]> {
    const { rows } = await this.#db.query<{ author: PseudonymId }>(
      'SELECT author FROM inbox_policies WHERE board ORDER BY author',
    );
    return rows.map((r) => r.author);
  }

  async putPolicy(signed: SignedInboxPolicy): Promise<'created' | 'held'> {
    const { author, seq } = signed.policy;
    const board = signed.policy.mode === 'board';
    const put = await this.#db.query(PUT_POLICY, [author, seq, Buffer.from(signed.bytes), board]);
    if (put.rowCount === 1) return 'created';
    // Not newer: the same bytes are 'held', anything else StalePolicy (by the rule every store shares).
    const held = await this.findPolicy(author);
    if (policyOutcome(held, signed) === 'replace') throw new Error('an inbox policy was neither stored nor stale');
    return 'held';
  }

  async listNotices(to: PseudonymId, { cursor, limit }: { cursor: number; limit: number }): Promise<StoredNotice[]> {
    const { rows } = await this.#db.query<{ seq: string; bytes: Buffer }>(
      'SELECT seq, bytes FROM notices WHERE recipient = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [to, cursor, limit],
    );
    return rows.map((row) => ({ seq: Number(row.seq), signed: decodeNotice(new Uint8Array(row.bytes)) }));
  }
}
