/**
 * Mirroring's state in PostgreSQL (MirrorStore, hub-store.ts): a cursor row
 * per peer, and the set of commits verified while mirroring. The set only
 * grows, so an id once found is remembered in this process and asked no
 * more; the ids a mirror asks about together (a segment of a feed log, a
 * step of the DAG walk, each asked with Promise.all) go in one query.
 */
import type { CommitId } from '../../../protocol/ids.ts';
import type { MirrorCursor, MirrorStore, VerifiedCommits } from '../hub-store.ts';
import type { Database } from './database.ts';

class PostgresMirrorCursor implements MirrorCursor {
  readonly #db: Database;
  readonly #origin: string;
  #value: number;

  constructor(db: Database, origin: string, value: number) {
    this.#db = db;
    this.#origin = origin;
    this.#value = value;
  }

  get value(): number {
    return this.#value;
  }

  async save(value: number): Promise<void> {
    if (value === this.#value) return;
    await this.#db.query(
      `INSERT INTO mirror_cursors (origin, cursor) VALUES ($1, $2)
       ON CONFLICT (origin) DO UPDATE SET cursor = EXCLUDED.cursor`,
      [this.#origin, value],
    );
    this.#value = value;
  }
}

class PostgresVerifiedCommits implements VerifiedCommits {
  readonly #db: Database;
  /** Ids known verified: the set never shrinks, so a yes stays true. */
  readonly #known = new Set<string>();
  /** The ids asked in this turn of the event loop, and the one query that will answer them. */
  #batch: { ids: Set<string>; found: Promise<Set<string>> } | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  has(id: CommitId): Promise<boolean> {
    if (this.#known.has(id)) return Promise.resolve(true);
    if (!this.#batch) {
      const ids = new Set<string>();
      const found = (async () => {
        // Lets the caller's other has() calls of this turn join the batch before it is sent.
        await Promise.resolve();
        this.#batch = undefined;
        const { rows } = await this.#db.query<{ id: string }>('SELECT id FROM verified_commits WHERE id = ANY($1)', [
          [...ids],
        ]);
        const hits = new Set(rows.map((row) => row.id));
        for (const hit of hits) this.#known.add(hit);
        return hits;
      })();
      this.#batch = { ids, found };
    }
    this.#batch.ids.add(id);
    return this.#batch.found.then((hits) => hits.has(id));
  }

  async add(ids: readonly CommitId[]): Promise<void> {
    const fresh = ids.filter((id) => !this.#known.has(id));
    if (fresh.length === 0) return;
    await this.#db.query('INSERT INTO verified_commits (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING', [
      fresh,
    ]);
    for (const id of fresh) this.#known.add(id);
  }
}

export function postgresMirrorStore(db: Database): MirrorStore {
  const verified = new PostgresVerifiedCommits(db);
  return {
    async openCursor(origin) {
      const { rows } = await db.query<{ cursor: string }>('SELECT cursor FROM mirror_cursors WHERE origin = $1', [
        origin,
      ]);
      return new PostgresMirrorCursor(db, origin, Number(rows[0]?.cursor ?? 0));
    },
    openVerified: async () => verified,
  };
}
