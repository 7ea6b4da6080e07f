/**
 * The directory's query over listings held in memory (the memory and file
 * stores answer it this way; PostgreSQL in SQL, to the same contract).
 */
import type { SignedListing } from '../../protocol/listing.ts';
import { listingMatches } from '../../protocol/listing.ts';
import type { DirectoryQuery } from './hub-store.ts';

/**
 * The listed ones among `all` matching `query` (unlistings too when it asks), by author id after `query.after`, at
 * most `query.limit`.
 */
export function listMatching(all: Iterable<SignedListing>, query: DirectoryQuery): SignedListing[] {
  const wanted = (l: SignedListing) =>
    (query.unlisted === true && l.listing.unlisted) || listingMatches(l.listing, query);
  return [...all]
    .filter((l) => (query.after === undefined || l.listing.author > query.after) && wanted(l))
    .sort((a, b) => (a.listing.author < b.listing.author ? -1 : 1))
    .slice(0, query.limit);
}
