/** The directory in the worker API's plain data (api-types.ts re-exports them). */
import type { PseudonymId } from '../../src/protocol/ids.ts';

/** A page's filter: a topic, words in the handle, name or bio, and where the last page ended. */
export interface DirectoryQuery {
  readonly topic?: string;
  readonly q?: string;
  readonly cursor?: string;
  /** At most this many listings asked of the hub (which pages by at most its own page size anyway). */
  readonly limit?: number;
}

/** A listed pseudonym, from its verified listing. */
export interface DirectoryCard {
  readonly id: PseudonymId;
  readonly handle: string;
  readonly name?: string;
  readonly bio?: string;
  readonly topics: readonly string[];
  /** When its listing was signed (ms since the epoch): a listing is signed again whenever it changes. */
  readonly listedAt: number;
  /** Whether the reading pseudonym follows it already. */
  readonly followed: boolean;
}

export interface DirectoryPage {
  readonly people: readonly DirectoryCard[];
  /** Present when more may follow: the cursor of the next page. */
  readonly next?: string;
}
