/**
 * Directory listings: `{type:"listing", author, seq, ts, handle, name?, bio?,
 * topics?, searchable?, hive?}` signed by a pseudonym that chose to be
 * discoverable (or by a hive's key, `hive: true`: hives.ts), or
 * `{type:"listing", author, seq, ts, unlisted:true}` when it stops. A hub
 * keeps the one with the greatest seq per author (an unlisting too, so it
 * replaces the listing wherever it is mirrored) and answers
 * `GET /v1/directory` from the listed ones; it checks signatures and limits,
 * never what a listing says, and readers verify each listing themselves.
 */
import { ProtocolError } from './errors.ts';
import { invalid, readPseudonymId, readSeqOrTs, readString, requireKeys } from './fields.ts';
import { parseHandle } from './handle-names.ts';
import type { PseudonymId } from './ids.ts';
import { type SecretKey, type Verify, pseudonymOf } from './keys.ts';
import { OP_LIMITS } from './ops.ts';
import { type Fields, type SignedRecord, buildSigned, decodeSigned, verifySigned } from './signed.ts';
import { readTopics } from './topics.ts';

export const LISTING_LIMITS = { bytes: 4096, bioChars: 280 } as const;

export type Listing =
  | {
      readonly type: 'listing';
      readonly author: PseudonymId;
      readonly seq: number;
      readonly ts: number;
      /** name@host: where its feed is found. */
      readonly handle: string;
      readonly name?: string;
      /** A short bio (at most 280 characters): a listing is a card, the profile says more. */
      readonly bio?: string;
      readonly topics?: readonly string[];
      /** Found by words in its handle, name and bio too; without it, by topic only (or by paging through all). */
      readonly searchable?: true;
      /** A hive's listing, signed by the hive key (PROTOCOL.md, Hives): shown among hives, never among people. */
      readonly hive?: true;
      readonly unlisted?: undefined;
    }
  | {
      readonly type: 'listing';
      readonly author: PseudonymId;
      readonly seq: number;
      readonly ts: number;
      readonly unlisted: true;
    };

export interface SignedListing {
  readonly listing: Listing;
  readonly sig: string;
  readonly bytes: Uint8Array;
  readonly signed: SignedRecord;
}

/** The JSON of a signed listing on the wire (its fields and sig): canonical re-encoding gives its bytes. */
export type ListingJson = Listing & { readonly sig: string };

type ListedFields = {
  handle: string;
  name?: string;
  bio?: string;
  topics?: readonly string[];
  searchable?: true;
  hive?: true;
};

/** @throws ProtocolError as decodeListing */
export function buildListing(
  secretKey: SecretKey,
  fields: { seq: number; ts: number } & (ListedFields | { unlisted: true }),
): SignedListing {
  const { seq, ts, ...rest } = fields;
  const unsigned = { type: 'listing', author: pseudonymOf(secretKey), seq, ts, ...rest } as unknown as Fields;
  return decodeListing(buildSigned(unsigned, secretKey).bytes);
}

/** @throws ProtocolError TooLarge, DecodeError, NonCanonical, InvalidField, MalformedId, BadSeq */
export function decodeListing(bytes: Uint8Array): SignedListing {
  if (bytes.length > LISTING_LIMITS.bytes)
    throw new ProtocolError('TooLarge', `a listing is at most ${LISTING_LIMITS.bytes} bytes`);
  const signed = decodeSigned(bytes, 'listing');
  const { fields, sig } = signed;
  requireKeys(
    fields,
    ['type', 'author', 'seq', 'ts', 'handle', 'name', 'bio', 'topics', 'searchable', 'hive', 'unlisted'],
    'listing',
  );
  const base = {
    type: 'listing' as const,
    author: readPseudonymId(fields, 'author'),
    seq: readSeqOrTs(fields, 'seq', 1),
    ts: readSeqOrTs(fields, 'ts', 0),
  };
  if (fields.unlisted !== undefined) {
    if (fields.unlisted !== true) throw invalid('unlisted', 'expected true (a listing leaves it out)');
    if (Object.keys(fields).length !== 5) throw invalid('unlisted', 'an unlisting carries no listing fields');
    return { listing: { ...base, unlisted: true }, sig, bytes, signed };
  }
  const handle = readString(fields, 'handle', OP_LIMITS.handleChars)!;
  try {
    parseHandle(handle);
  } catch {
    throw invalid('handle', 'expected name@host');
  }
  const name = readString(fields, 'name', OP_LIMITS.profileNameChars, true);
  const bio = readString(fields, 'bio', LISTING_LIMITS.bioChars, true);
  const topics = readTopics(fields);
  if (fields.searchable !== undefined && fields.searchable !== true)
    throw invalid('searchable', 'expected true (a listing found by topic only leaves it out)');
  if (fields.hive !== undefined && fields.hive !== true)
    throw invalid('hive', "expected true (a person's listing leaves it out)");
  const listing: Listing = {
    ...base,
    handle,
    ...(name !== undefined && { name }),
    ...(bio !== undefined && { bio }),
    ...(topics !== undefined && { topics }),
    ...(fields.searchable === true && { searchable: true as const }),
    ...(fields.hive === true && { hive: true as const }),
  };
  return { listing, sig, bytes, signed };
}

export function verifyListing(signed: SignedListing, verify: Verify): Promise<boolean> {
  return verifySigned(signed.signed, signed.listing.author, verify);
}

/**
 * Whether a listing is found by `topic` and the words `q` (lowercase, in its handle, name or bio: only a
 * searchable listing is found by words).
 */
export function listingMatches(listing: Listing, query: { topic?: string; q?: string }): boolean {
  if (listing.unlisted) return false;
  if (query.topic !== undefined && !listing.topics?.includes(query.topic)) return false;
  if (query.q === undefined) return true;
  return searchTextOf(listing).includes(query.q.toLowerCase());
}

/** What `q` is matched against: handle, name and bio, lowercase, one line each; nothing unless searchable. */
export function searchTextOf(listing: Listing): string {
  if (listing.unlisted || !listing.searchable) return '';
  return [listing.handle, listing.name ?? '', listing.bio ?? ''].join('\n').toLowerCase();
}
