/**
 * The directory as one pseudonym reads it: a page of listings from its own
 * home hub (the request names no one, and goes where this pseudonym's
 * requests already go, so it links it to no other), each listing verified
 * before it is shown (a hub could answer anything), blocked people and the
 * pseudonyms of this device left out, and who it already follows marked.
 * Storage and keys are parameters (the worker's IndexedDB store and keyring,
 * or the command line's own), so `murmur discover` reads it as the app does.
 */
import { encodeCanonical } from '../../src/protocol/canonical.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { type ListingJson, decodeListing, listingMatches, verifyListing } from '../../src/protocol/listing.ts';
import type { DirectoryCard, DirectoryPage, DirectoryQuery } from './types.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { FeedStore } from '../store/core-store.ts';

export interface DiscoverDeps {
  readonly store: Pick<FeedStore, 'listFollows'>;
  readonly keys: Pick<KeySource, 'getHubs' | 'listPseudonyms'>;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  /** Feeds the pseudonym blocked: never shown. */
  readonly blocked: (pseudonym: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
}

/**
 * The query as a hub reads it: a topic without its '#', lowercase like every topic; words lowercase; empty
 * fields left out (a hub refuses an empty topic as no topic at all).
 */
export function directoryQueryOf(query: DirectoryQuery): DirectoryQuery {
  const topic = query.topic?.trim().replace(/^#/, '').toLowerCase();
  const q = query.q?.trim().toLowerCase();
  return {
    ...(topic && { topic }),
    ...(q && { q }),
    ...(query.cursor && { cursor: query.cursor }),
    ...(query.limit !== undefined && { limit: query.limit }),
  };
}

/** @throws CoreError Offline, NotFound (no such pseudonym here); HubError as the hub names it */
export async function discover(
  deps: DiscoverDeps,
  pseudonym: PseudonymId,
  query: DirectoryQuery,
): Promise<DirectoryPage> {
  const [home] = await deps.keys.getHubs(pseudonym);
  if (!home) return { people: [] };
  const asked = directoryQueryOf(query);
  const answer = await deps.hub(home, pseudonym).listDirectory(asked);
  const blocked = await deps.blocked(pseudonym);
  const followed = new Set((await deps.store.listFollows(pseudonym)).map((f) => f.target));
  // This device's pseudonyms, the reader among them: following one's own other pseudonym would tie the two.
  const own = new Set(await deps.keys.listPseudonyms());
  const people: DirectoryCard[] = [];
  for (const json of answer.listings) {
    const listing = await verifiedListing(json, deps.verify);
    // A hub may answer with what the query did not ask for: only what matches it is shown. A hive is no person.
    if (!listing || listing.unlisted || listing.hive || !listingMatches(listing, asked)) continue;
    if (own.has(listing.author) || blocked.has(listing.author)) continue;
    people.push({
      id: listing.author,
      handle: listing.handle,
      ...(listing.name && { name: listing.name }),
      ...(listing.bio && { bio: listing.bio }),
      topics: listing.topics ?? [],
      listedAt: listing.ts,
      followed: followed.has(listing.author),
    });
  }
  return { people, ...(answer.next && { next: answer.next }) };
}

/** The listing a hub's JSON carries when its signature holds; undefined for anything else. */
export async function verifiedListing(json: ListingJson, verify: Verify) {
  try {
    const signed = decodeListing(encodeCanonical(json));
    return (await verifyListing(signed, verify)) ? signed.listing : undefined;
  } catch {
    return undefined;
  }
}
