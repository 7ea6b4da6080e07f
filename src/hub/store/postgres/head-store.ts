/**
 * Heads and the change log in PostgreSQL (HeadStore, hub-store.ts). The heads
 * table is the log compacted: one row per author holding its current head and
 * the change number it was taken at, so listing the changes after a cursor is
 * a range scan of that number, superseded changes left out by construction.
 *
 * A put is one transaction: the change counter row is bumped (and locked
 * until commit, which is what keeps numbers from becoming visible out of
 * order), the head is taken by compare-and-set on seq, and a NOTIFY prompts
 * every process's change feed (the payload is a hint; the log is the truth),
 * all in one statement. A stale head rolls all of it back, its number
 * included, so refused puts leave no hole in the log.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHead, decodeHead } from '../../../protocol/heads.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import type { HeadChange, HeadStore } from '../hub-store.ts';
import { CHANGES_CHANNEL, type ChangeFeed } from './change-feed.ts';
import type { Database } from './database.ts';

interface HeadRow {
  change: string;
  bytes: Buffer;
}

const changeOf = (row: HeadRow): HeadChange => ({
  seq: Number(row.change),
  signed: decodeHead(new Uint8Array(row.bytes)),
});

/**
 * The compare-and-set: the row is written only when strictly newer (isNewerHead: a greater seq), and the
 * counter is bumped in the same statement, so a put that returns no row took nothing (then rolled back).
 * The NOTIFY rides in the same statement (sent only for a row taken, delivered only on commit): the
 * counter row stays locked until commit, so every round trip saved while holding it is write throughput.
 */
const PUT_HEAD = `
  WITH next AS (UPDATE counters SET value = value + 1 WHERE name = 'changes' RETURNING value),
  put AS (
    INSERT INTO heads (author, seq, change, bytes) SELECT $1, $2, next.value, $3 FROM next
    ON CONFLICT (author) DO UPDATE SET seq = EXCLUDED.seq, change = EXCLUDED.change, bytes = EXCLUDED.bytes
      WHERE heads.seq < EXCLUDED.seq
    RETURNING change)
  SELECT change, pg_notify($4, change::text) FROM put`;

export class PostgresHeadStore implements HeadStore {
  readonly #db: Database;
  readonly #feed: ChangeFeed;

  constructor(db: Database, feed: ChangeFeed) {
    this.#db = db;
    this.#feed = feed;
  }

  async findHeads(authors: readonly PseudonymId[]): Promise<Map<PseudonymId, HeadChange>> {
    const found = new Map<PseudonymId, HeadChange>();
    if (authors.length === 0) return found;
    const { rows } = await this.#db.query<HeadRow & { author: PseudonymId }>(
      'SELECT author, change, bytes FROM heads WHERE author = ANY($1)',
      [[...authors]],
    );
    const byAuthor = new Map(rows.map((row) => [row.author, row]));
    // In the order asked, as the other stores answer.
    for (const author of authors) {
      const row = byAuthor.get(author);
      if (row) found.set(author, changeOf(row));
    }
    return found;
  }

  /**
   * @throws ProtocolError StaleHead when the head held has an equal or greater seq.
   * @throws StoreUnavailable when the database is lost (the head is then not acknowledged).
   */
  async putHead(signed: SignedHead): Promise<HeadChange> {
    const { author, seq } = signed.head;
    const change = await this.#db.transaction(async (tx) => {
      const put = await tx.query<{ change: string }>(PUT_HEAD, [
        author,
        seq,
        Buffer.from(signed.bytes),
        CHANGES_CHANNEL,
      ]);
      if (put.rows.length === 0) {
        const held = await tx.query<{ seq: string }>('SELECT seq FROM heads WHERE author = $1', [author]);
        const current = Number(held.rows[0]?.seq);
        const message = `the hub holds seq ${current} for this author; send a head with a greater seq`;
        throw new ProtocolError('StaleHead', message, { current });
      }
      return Number(put.rows[0]!.change);
    });
    // This process's subscribers hear the head before the put resolves, as with the other stores.
    await this.#feed.reach(change);
    return { seq: change, signed };
  }

  async listChanges({ since, limit }: { since: number; limit: number }): ReturnType<HeadStore['listChanges']> {
    const { rows } = await this.#db.query<HeadRow>(
      'SELECT change, bytes FROM heads WHERE change > $1 ORDER BY change LIMIT $2',
      [since, limit],
    );
    const changes = rows.map(changeOf);
    return { changes, next: changes.at(-1)?.seq ?? since };
  }

  async lastSeq(): Promise<number> {
    const { rows } = await this.#db.query<{ value: string }>("SELECT value FROM counters WHERE name = 'changes'");
    return Number(rows[0]!.value);
  }

  subscribe(listener: (change: HeadChange) => void): () => void {
    return this.#feed.subscribe(listener);
  }
}
