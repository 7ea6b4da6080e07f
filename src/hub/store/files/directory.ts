/**
 * Directory listings in the file store (DirectoryStore: hub-store.ts):
 * listings/<id>, one file per pseudonym (record-files.ts), and the directory
 * answered from the in-memory index (listings are few and small: a card each).
 */
import type { PseudonymId } from '../../../protocol/ids.ts';
import { type SignedListing, decodeListing } from '../../../protocol/listing.ts';
import type { DirectoryQuery, DirectoryStore } from '../hub-store.ts';
import { listMatching } from '../directory-query.ts';
import { listingOutcome } from '../record-rules.ts';
import { FileRecords } from './record-files.ts';

const LISTING_FILES = {
  folder: 'listings',
  what: 'a listing',
  decode: decodeListing,
  authorOf: (l: SignedListing) => l.listing.author,
  bytesOf: (l: SignedListing) => l.bytes,
  outcome: listingOutcome,
};

export class FileDirectory implements DirectoryStore {
  readonly #records: FileRecords<SignedListing>;

  private constructor(records: FileRecords<SignedListing>) {
    this.#records = records;
  }

  /** @throws CorruptStore when a file is not the listing of the pseudonym it is named for. */
  static async open(dir: string, tmpDir: string): Promise<FileDirectory> {
    return new FileDirectory(await FileRecords.open(dir, tmpDir, LISTING_FILES));
  }

  async findListing(author: PseudonymId): Promise<SignedListing | undefined> {
    return this.#records.find(author);
  }

  putListing(signed: SignedListing): Promise<'created' | 'held'> {
    return this.#records.put(signed);
  }

  async listListings(query: DirectoryQuery): Promise<SignedListing[]> {
    return listMatching(this.#records.all(), query);
  }

  close(): Promise<void> {
    return this.#records.close();
  }
}
