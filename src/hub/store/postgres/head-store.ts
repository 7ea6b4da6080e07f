/**
 * Heads and the change log in PostgreSQL (HeadStore, hub-store.ts). The heads
 * table is the log compacted: one row per author holding its current head and
 * the change number it was taken at, so listing the changes after a cursor is
 * a range scan of that number, superseded changes left out by construction.
 *
 * Puts are group-committed (group-commit.ts): those that arrive together in
 * this process share one transaction. It locks the change counter row first
 * (held until commit, which is what keeps numbers from becoming visible out
 * of order, across processes too), then takes every head by compare-and-set
 * on seq in one statement, numbers the winners contiguously, bumps the
 * counter by their count and NOTIFYs every process's change feed (the payload
 * is a hint; the log is the truth). A stale put fails alone and takes no
 * number, so refused puts leave no hole in the log; a failed transaction
 * (StoreUnavailable) fails the whole batch, none of it acknowledged.
 */
import { ProtocolError } from '../../../protocol/errors.ts';
import { type SignedHead, decodeHead } from '../../../protocol/heads.ts';
import type { PseudonymId } from '../../../protocol/ids.ts';
import { GroupCommit } from '../group-commit.ts';
import type { HeadChange, HeadStore } from '../hub-store.ts';
import { CHANGES_CHANNEL, type ChangeFeed } from './change-feed.ts';
import type { Database, Tx } from './database.ts';

interface HeadRow {
  change: string;
  bytes: Buffer;
}

const changeOf = (row: HeadRow): HeadChange => ({
  seq: Number(row.change),
  signed: decodeHead(new Uint8Array(row.bytes)),
});

/**
 * Taken first in each batch's transaction, so the statement after it runs on a snapshot taken with the lock held:
 * every head written before is visible (every writer of heads takes this lock first), and the winners it counts
 * are exactly the rows its insert takes.
 */
const LOCK_COUNTER = "SELECT value FROM counters WHERE name = 'changes' FOR UPDATE";

/**
 * The compare-and-set of one round (at most one put per author: ON CONFLICT cannot touch a row twice in a
 * statement). A put wins when strictly newer (isNewerHead: a greater seq); winners are numbered after the counter
 * in arrival order and the counter moves by their count, so numbers stay contiguous. Every put comes back: a
 * winner with its change, a loser with the seq held. The NOTIFY rides in the statement (delivered only on commit,
 * its one payload deduplicated within the transaction): the counter row stays locked until commit, so every round
 * trip saved while holding it is write throughput.
 */
const PUT_HEADS = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[]) WITH ORDINALITY AS t(author, seq, bytes, ord)),
  counter AS (SELECT value FROM counters WHERE name = 'changes'),
  win AS (
    SELECT input.*, counter.value + row_number() OVER (ORDER BY input.ord) AS change
    FROM input CROSS JOIN counter LEFT JOIN heads ON heads.author = input.author
    WHERE heads.seq IS NULL OR heads.seq < input.seq),
  bump AS (
    UPDATE counters SET value = value + (SELECT count(*) FROM win) WHERE name = 'changes' RETURNING value),
  put AS (
    INSERT INTO heads (author, seq, change, bytes) SELECT author, seq, change, bytes FROM win
    ON CONFLICT (author) DO UPDATE SET seq = EXCLUDED.seq, change = EXCLUDED.change, bytes = EXCLUDED.bytes
      WHERE heads.seq < EXCLUDED.seq
    RETURNING author)
  SELECT input.ord, win.change, heads.seq AS held,
    CASE WHEN win.change IS NOT NULL THEN pg_notify($4, (SELECT max(change) FROM win)::text) END AS notified
  FROM input LEFT JOIN win ON win.ord = input.ord LEFT JOIN heads ON heads.author = input.author
  ORDER BY input.ord`;

/** One put waiting for its batch, and what the batch made of it. */
interface Put {
  readonly signed: SignedHead;
  outcome?: { change: number } | { held: number };
}

/** `puts` in rounds holding at most one put per author, each author's puts in arrival order across the rounds. */
function roundsOf(puts: readonly Put[]): Put[][] {
  const rounds: Put[][] = [];
  const seen = new Map<PseudonymId, number>();
  for (const put of puts) {
    const author = put.signed.head.author;
    const round = seen.get(author) ?? 0;
    seen.set(author, round + 1);
    if (round === rounds.length) rounds.push([]);
    rounds[round]!.push(put);
  }
  return rounds;
}

/** Runs one round's compare-and-set inside the batch's transaction and records each put's outcome. */
async function putRound(tx: Tx, round: readonly Put[]): Promise<void> {
  const { rows } = await tx.query<{ ord: string; change: string | null; held: string | null }>(PUT_HEADS, [
    round.map((p) => p.signed.head.author),
    round.map((p) => p.signed.head.seq),
    round.map((p) => Buffer.from(p.signed.bytes)),
    CHANGES_CHANNEL,
  ]);
  for (const row of rows) {
    const put = round[Number(row.ord) - 1]!;
    put.outcome = row.change === null ? { held: Number(row.held) } : { change: Number(row.change) };
  }
}

export class PostgresHeadStore implements HeadStore {
  readonly #db: Database;
  readonly #feed: ChangeFeed;
  readonly #batches: GroupCommit<Put>;

  constructor(db: Database, feed: ChangeFeed) {
    this.#db = db;
    this.#feed = feed;
    this.#batches = new GroupCommit((batch) => this.#commit(batch));
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
    const put: Put = { signed };
    await this.#batches.submit(put);
    const outcome = put.outcome!;
    if ('held' in outcome) {
      const current = outcome.held;
      const message = `the hub holds seq ${current} for this author; send a head with a greater seq`;
      throw new ProtocolError('StaleHead', message, { current });
    }
    // This process's subscribers hear the head before the put resolves, as with the other stores.
    await this.#feed.reach(outcome.change);
    return { seq: outcome.change, signed };
  }

  /**
   * One transaction for a whole batch: the counter locked once, a compare-and-set statement per round (a second
   * put of an author waits for the next round, which sees the first), one COMMIT.
   */
  async #commit(batch: readonly Put[]): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.query(LOCK_COUNTER);
      for (const round of roundsOf(batch)) await putRound(tx, round);
    });
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
