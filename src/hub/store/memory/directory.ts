/** Directory listings in memory (DirectoryStore: hub-store.ts), each put checked and written in one step. */
import type { PseudonymId } from '../../../protocol/ids.ts';
import type { SignedListing } from '../../../protocol/listing.ts';
import { listMatching } from '../directory-query.ts';
import type { DirectoryQuery, DirectoryStore } from '../hub-store.ts';
import { listingOutcome } from '../record-rules.ts';

export class MemoryDirectory implements DirectoryStore {
  readonly #listings = new Map<PseudonymId, SignedListing>();

  async findListing(author: PseudonymId): Promise<SignedListing | undefined> {
    return this.#listings.get(author);
  }

  async putListing(signed: SignedListing): Promise<'created' | 'held'> {
    if (listingOutcome(this.#listings.get(signed.listing.author), signed) === 'held') return 'held';
    this.#listings.set(signed.listing.author, signed);
    return 'created';
  }

  async listListings(query: DirectoryQuery): Promise<SignedListing[]> {
    return listMatching(this.#listings.values(), query);
  }
}
