/**
 * Directory listings in PostgreSQL (DirectoryStore: hub-store.ts): a row per
 * pseudonym, replaced in one statement only by a greater seq (any process),
 * with its topics as an array and its handle, name and bio lowercase in
 * `search`, so the directory is one indexed query.
 */
import type { PseudonymId } from '../../../protocol/ids.ts';
import { type SignedListing, decodeListing, searchTextOf } from '../../../protocol/listing.ts';
import type { DirectoryQuery, DirectoryStore } from '../hub-store.ts';
import { listingOutcome } from '../record-rules.ts';
import type { Database } from './database.ts';

const PUT_LISTING = `
  INSERT INTO listings AS l (author, seq, listed, topics, search, bytes) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (author) DO UPDATE SET seq = excluded.seq, listed = excluded.listed, topics = excluded.topics,
    search = excluded.search, bytes = excluded.bytes
  WHERE l.seq < excluded.seq`;

// strpos, not LIKE: the words are matched as typed, with no wildcard in them to escape.
const LIST_LISTINGS = `
  SELECT bytes FROM listings
  WHERE (listed OR $5) AND author > $1 AND ($2::text IS NULL OR $2 = ANY (topics))
    AND ($3::text IS NULL OR strpos(search, $3) > 0)
  ORDER BY author LIMIT $4`;

export class PostgresDirectory implements DirectoryStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async findListing(author: PseudonymId): Promise<SignedListing | undefined> {
    const { rows } = await this.#db.query<{ bytes: Buffer }>('SELECT bytes FROM listings WHERE author = $1', [author]);
    return rows[0] && decodeListing(new Uint8Array(rows[0].bytes));
  }

  async putListing(signed: SignedListing): Promise<'created' | 'held'> {
    const { listing } = signed;
    const put = await this.#db.query(PUT_LISTING, [
      listing.author,
      listing.seq,
      !listing.unlisted,
      listing.unlisted ? [] : [...(listing.topics ?? [])],
      searchTextOf(listing),
      Buffer.from(signed.bytes),
    ]);
    if (put.rowCount === 1) return 'created';
    // Not newer: the same bytes are 'held', anything else StaleListing (the rule every store shares).
    if (listingOutcome(await this.findListing(listing.author), signed) === 'replace')
      throw new Error('a listing was neither stored nor stale');
    return 'held';
  }

  async listListings(query: DirectoryQuery): Promise<SignedListing[]> {
    const { rows } = await this.#db.query<{ bytes: Buffer }>(LIST_LISTINGS, [
      query.after ?? '',
      query.topic ?? null,
      query.q?.toLowerCase() ?? null,
      query.limit,
      query.unlisted === true,
    ]);
    return rows.map((row) => decodeListing(new Uint8Array(row.bytes)));
  }
}
