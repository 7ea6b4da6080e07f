/**
 * Live fan-out of head changes across hub processes on one database. Every
 * process keeps its own cursor in the change log and, when prompted, reads
 * the log after it and calls its subscribers for each change it finds. A
 * prompt is a NOTIFY (sent by the writing transaction, so delivered only
 * once it commits) or this process's own commit; the notification's payload
 * is ignored, so a lost notification loses nothing: the next prompt, or the
 * catch-up after the listening connection comes back, reads from the cursor.
 *
 * Reads never skip: change numbers come from a counter row locked until the
 * writer commits (migrations.ts), so once change N is visible every lower
 * number that will ever be visible already is. A change superseded before
 * the read (a newer head of its author) is passed over for the newer one.
 */
import pg from 'pg';
import { decodeHead } from '../../../protocol/heads.ts';
import type { HeadChange } from '../hub-store.ts';
import type { Database } from './database.ts';

/** The NOTIFY channel of head changes. */
export const CHANGES_CHANNEL = 'murmur_changes';

/** Changes read per query while catching up. */
const PAGE = 256;
/** Waits between attempts to listen again after the connection is lost, and to read again after a failure. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

type Listener = (change: HeadChange) => void;

export class ChangeFeed {
  readonly #db: Database;
  readonly #listeners = new Set<Listener>();
  #cursor = 0;
  /** The read under way, if any; prompts while it runs make it read again before it ends. */
  #reading: Promise<void> | undefined;
  #again = false;
  #listener: pg.Client | undefined;
  /** Separate backoffs: a failed read must not cancel the pending attempt to listen again, nor the reverse. */
  readonly #readRetry = new Retry();
  readonly #listenRetry = new Retry();
  #closed = false;

  private constructor(db: Database) {
    this.#db = db;
  }

  /** Listens for changes, then starts the cursor at the end of the log: subscribers hear what comes after. */
  static async open(db: Database): Promise<ChangeFeed> {
    const feed = new ChangeFeed(db);
    await feed.#listen();
    feed.#cursor = await feed.#lastSeq();
    return feed;
  }

  /** The greatest change number this process has read up to. */
  get cursor(): number {
    return this.#cursor;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads the log until the cursor reaches `seq` (a change this process committed); never rejects. */
  async reach(seq: number): Promise<void> {
    while (this.#cursor < seq && !this.#closed) {
      this.#again = true;
      try {
        await this.#read();
      } catch {
        // Reported and retried by #read; the change is durable, and subscribers hear it once a read succeeds.
        return;
      }
    }
  }

  /** Asks for a read of the log from the cursor (coalesced with one under way). */
  prompt(): void {
    this.#again = true;
    this.#read().catch(() => undefined);
  }

  /** Stops listening and reading; no subscriber is called after it resolves. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#readRetry.cancel();
    this.#listenRetry.cancel();
    const listener = this.#listener;
    this.#listener = undefined;
    await Promise.allSettled([listener?.end(), this.#reading]);
  }

  #read(): Promise<void> {
    this.#reading ??= this.#readLoop();
    return this.#reading;
  }

  async #readLoop(): Promise<void> {
    // Yields first, so #read has set #reading before this can end and clear it.
    await Promise.resolve();
    try {
      while (this.#again && !this.#closed) {
        this.#again = false;
        await this.#drain();
      }
      this.#readRetry.reset();
    } catch (error) {
      if (!this.#closed) {
        console.error('hub store: reading the change log failed; retrying', (error as Error).message);
        this.#readRetry.later(() => this.prompt());
      }
      throw error;
    } finally {
      // In the same turn as the last look at #again: a prompt after this starts a new loop, none is lost.
      this.#reading = undefined;
    }
  }

  async #drain(): Promise<void> {
    if (this.#listeners.size === 0) {
      // Nobody to tell: move the cursor to the end without reading the heads.
      this.#cursor = Math.max(this.#cursor, await this.#lastSeq());
      return;
    }
    for (;;) {
      const { rows } = await this.#db.query<{ change: string; bytes: Buffer }>(
        'SELECT change, bytes FROM heads WHERE change > $1 ORDER BY change LIMIT $2',
        [this.#cursor, PAGE],
      );
      for (const row of rows) {
        if (this.#closed) return;
        const change: HeadChange = { seq: Number(row.change), signed: decodeHead(new Uint8Array(row.bytes)) };
        this.#cursor = change.seq;
        for (const listener of this.#listeners) {
          // As the other stores: the head is stored whatever a listener does; its failure is only reported.
          try {
            listener(change);
          } catch (error) {
            console.error('head listener failed', error);
          }
        }
      }
      if (rows.length < PAGE) return;
    }
  }

  async #lastSeq(): Promise<number> {
    const { rows } = await this.#db.query<{ value: string }>("SELECT value FROM counters WHERE name = 'changes'");
    return Number(rows[0]!.value);
  }

  /** Opens the listening connection; when it is lost, opens another and reads what was missed meanwhile. */
  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#db.url });
    const lost = (error?: Error) => {
      if (this.#listener !== client || this.#closed) return;
      this.#listener = undefined;
      console.error('hub store: the change listener lost its connection; listening again', error?.message ?? '');
      client.end().catch(() => undefined);
      this.#listenRetry.later(() => this.#relisten());
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', () => this.prompt());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    this.#listener = client;
  }

  #relisten(): void {
    if (this.#closed) return;
    this.#listen().then(
      () => {
        this.#listenRetry.reset();
        // Whatever was committed while nobody listened is in the log after the cursor.
        this.prompt();
      },
      () => this.#listenRetry.later(() => this.#relisten()),
    );
  }
}

/** One pending retry with a doubling wait, back to the shortest after a success. */
class Retry {
  #ms = RETRY_MIN_MS;
  #timer: NodeJS.Timeout | undefined;
  #cancelled = false;

  later(run: () => void): void {
    if (this.#cancelled) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(run, this.#ms);
    this.#ms = Math.min(this.#ms * 2, RETRY_MAX_MS);
  }

  reset(): void {
    this.#ms = RETRY_MIN_MS;
  }

  cancel(): void {
    this.#cancelled = true;
    clearTimeout(this.#timer);
  }
}
