/**
 * A pseudonym's directory listing (src/protocol/listing.ts) as its settings
 * say: `wantedListing` decides what to publish (pure), `listedFieldsOf`
 * reads the card from the pseudonym's own profile held here, and
 * `publishListing` puts it, signed, on each of its hubs. Each request is the
 * pseudonym's own, to its own hubs. A pseudonym never listed publishes
 * nothing; one taken out publishes an unlisting, which replaces its listing
 * wherever that is kept.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { LISTING_LIMITS, buildListing } from '../../src/protocol/listing.ts';
import { isTopic } from '../../src/protocol/topics.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { FeedStore } from '../store/core-store.ts';
import { errorName } from '../errors.ts';
import type { PrivateSettings } from '../private/types.ts';

/** What a listing says: the card of a listed pseudonym, or that it is not listed. */
export type WantedListing =
  | {
      readonly handle: string;
      readonly name?: string;
      readonly bio?: string;
      readonly topics?: readonly string[];
      readonly searchable?: true;
    }
  | { readonly unlisted: true };

/** The private settings a listing follows. */
export type ListingSettings = Pick<PrivateSettings, 'listing' | 'searchable'>;

export interface ListedFields {
  readonly handle?: string;
  readonly name?: string;
  readonly bio?: string;
  readonly topics?: readonly string[];
}

/**
 * Undefined when there is nothing to publish: never listed, or listed before its handle is claimed (a listing
 * names where the feed is found). A bio longer than a listing's is cut at a character boundary.
 */
export function wantedListing(settings: ListingSettings, fields: ListedFields): WantedListing | undefined {
  if (settings.listing === 'never') return undefined;
  if (settings.listing === 'unlisted') return { unlisted: true };
  if (!fields.handle) return undefined;
  const bio = fields.bio && [...fields.bio].slice(0, LISTING_LIMITS.bioChars).join('');
  const topics = fields.topics?.filter(isTopic) ?? [];
  return {
    handle: fields.handle,
    ...(fields.name && { name: fields.name }),
    ...(bio && { bio }),
    ...(topics.length > 0 && { topics }),
    ...(settings.searchable && { searchable: true as const }),
  };
}

/** wantedListing, with the profile fields read only when the settings list the pseudonym. */
export async function wantedListingOf(
  settings: ListingSettings,
  deps: Parameters<typeof listedFieldsOf>[0],
  pseudonym: PseudonymId,
): Promise<WantedListing | undefined> {
  return wantedListing(settings, settings.listing === 'listed' ? await listedFieldsOf(deps, pseudonym) : {});
}

/**
 * The pseudonym's handle and the fields of its own newest signed profile, as held on this device (the worker's
 * IndexedDB store and keyring, or the command line's own: storage and keys are parameters).
 * @throws ProtocolError NotFound (no such pseudonym here)
 */
export async function listedFieldsOf(
  deps: { readonly store: Pick<FeedStore, 'findProfileField'>; readonly keys: Pick<KeySource, 'findHandle'> },
  pseudonym: PseudonymId,
): Promise<ListedFields> {
  const [handle, name, bio, topics] = await Promise.all([
    deps.keys.findHandle(pseudonym),
    ...['name', 'bio', 'topics'].map((field) => deps.store.findProfileField(pseudonym, field)),
  ]);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    ...(text(handle) && { handle: text(handle) }),
    ...(text(name) && { name: text(name) }),
    ...(text(bio) && { bio: text(bio) }),
    ...(Array.isArray(topics) && { topics: topics.filter((t): t is string => typeof t === 'string') }),
  };
}

export interface ListingDeps {
  readonly keys: KeySource;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly now: () => number;
}

/**
 * Puts the wanted listing, signed, on each of the owner's hubs. Its seq is the time: another device of the owner
 * that published later wins (StaleListing here), as the private settings it read from will. A device acting as
 * an agent publishes none: the listing is the owner's.
 * @returns how many hubs took it.
 * @throws CoreError Offline, HubError (the first hub that could not be written)
 */
export async function publishListing(deps: ListingDeps, owner: PseudonymId, wanted: WantedListing): Promise<number> {
  if (await deps.keys.findAgent?.(owner)) return 0;
  const now = deps.now();
  const signed = buildListing(await deps.keys.getSecretKey(owner), { ...wanted, seq: now, ts: now });
  let put = 0;
  for (const origin of await deps.keys.getHubs(owner)) {
    try {
      await deps.hub(origin, owner).putListing(owner, signed.bytes);
      put++;
    } catch (error) {
      if (errorName(error) !== 'StaleListing') throw error;
    }
  }
  return put;
}
