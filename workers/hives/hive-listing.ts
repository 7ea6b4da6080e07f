/**
 * A hive in the directory (PROTOCOL.md, Hives): the hive key claims a handle
 * on the hive's home hub (`herons@hub.example`, first claim wins, as for
 * people) and signs a listing with `hive: true` on each of its hubs; leaving
 * the directory is an unlisting. Readers find listed hives through their own
 * home hub's directory, each listing verified; a person's Discover never shows
 * one (directory/discover.ts). A listing only says where to look: opening the
 * hive reads and checks its charter.
 */
import { hubOrigin, parseHandle } from '../../src/protocol/handle-names.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { SecretKey, Verify } from '../../src/protocol/keys.ts';
import { LISTING_LIMITS, buildListing } from '../../src/protocol/listing.ts';
import { verifiedListing } from '../directory/discover.ts';
import { putHandleClaim } from '../feed/handle-lookup.ts';
import type { HubClient } from '../net/hub-client.ts';

export interface HiveListingDeps {
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly now: () => number;
}

/** A listed hive as a reader's directory shows it. */
export interface ListedHive {
  readonly hive: PseudonymId;
  /** Its home hub (where its handle is claimed): where to read it. */
  readonly hubs: readonly string[];
  readonly handle: string;
  readonly name?: string;
  readonly bio?: string;
  readonly listedAt: number;
}

/** Most pages of the directory a reader asks for hives (50 listings a page). */
const PAGES = 20;

/** A handle name from a hive's name: lowercase letters, digits, _ . -; at most 32. */
export function handleNameFor(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return slug || 'hive';
}

/**
 * Claims `handleName` for the hive on its home hub (first claim wins). A new hive claims before it exists, so a name
 * taken is refused with nothing made.
 * @returns the handle. @throws ProtocolError HandleTaken, InvalidField; CoreError Offline
 */
export function claimHiveHandle(deps: HiveListingDeps, hiveKey: SecretKey, home: string, handleName: string) {
  return putHandleClaim(deps.hub, hiveKey, home, handleName, deps.now());
}

/**
 * Puts the hive's listing on each of its hubs, under its claimed `handle`. Called once the hive's charter is on its
 * home hub, so a reader who finds the listing can open the hive.
 * @throws ProtocolError InvalidField; CoreError Offline (the home hub)
 */
export async function putHiveListing(
  deps: HiveListingDeps,
  hiveKey: SecretKey,
  hubs: readonly string[],
  card: { readonly handle: string; readonly name: string; readonly description?: string },
): Promise<void> {
  const bio = card.description?.replace(/\s+/g, ' ').trim().slice(0, LISTING_LIMITS.bioChars);
  const ts = deps.now();
  const { handle, name } = card;
  const listing = buildListing(hiveKey, { seq: ts, ts, handle, name, ...(bio && { bio }), hive: true });
  await putEverywhere(deps, hubs, listing.listing.author, listing.bytes);
}

/**
 * Claims `handleName` (kept if the hive holds it already) and lists the hive on each of its hubs.
 * @returns the handle. @throws ProtocolError HandleTaken, InvalidField; CoreError Offline (the home hub)
 */
export async function listHive(
  deps: HiveListingDeps,
  hiveKey: SecretKey,
  hubs: readonly string[],
  card: { readonly handleName: string; readonly name: string; readonly description?: string },
): Promise<string> {
  const handle = await claimHiveHandle(deps, hiveKey, hubs[0]!, card.handleName);
  await putHiveListing(deps, hiveKey, hubs, { ...card, handle });
  return handle;
}

/** Takes the hive out of the directory on each of its hubs. */
export async function unlistHive(deps: HiveListingDeps, hiveKey: SecretKey, hubs: readonly string[]): Promise<void> {
  const ts = deps.now();
  const unlisting = buildListing(hiveKey, { seq: ts, ts, unlisted: true });
  await putEverywhere(deps, hubs, unlisting.listing.author, unlisting.bytes);
}

/** The home hub must take it (else the error is thrown); the others are asked as well, and may be down. */
async function putEverywhere(deps: HiveListingDeps, hubs: readonly string[], hive: PseudonymId, bytes: Uint8Array) {
  const [home, ...others] = hubs;
  await deps.hub(home!, hive).putListing(hive, bytes);
  await Promise.allSettled(others.map((h) => deps.hub(h, hive).putListing(hive, bytes)));
}

/**
 * The hives listed in the directory of `home` (the reader's own home hub, asked as `as`), each listing verified.
 * @throws CoreError Offline; HubError as the hub names it
 */
export async function listedHives(
  deps: { readonly hub: HiveListingDeps['hub']; readonly verify: Verify },
  home: string,
  as: PseudonymId,
): Promise<ListedHive[]> {
  const hives: ListedHive[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const answer = await deps.hub(home, as).listDirectory(cursor === undefined ? {} : { cursor });
    for (const json of answer.listings) {
      const listing = await verifiedListing(json, deps.verify);
      if (!listing || listing.unlisted || !listing.hive) continue;
      hives.push({
        hive: listing.author,
        hubs: [hubOrigin(parseHandle(listing.handle).host)],
        handle: listing.handle,
        ...(listing.name && { name: listing.name }),
        ...(listing.bio && { bio: listing.bio }),
        listedAt: listing.ts,
      });
    }
    cursor = answer.next;
    if (cursor === undefined) break;
  }
  return hives;
}
