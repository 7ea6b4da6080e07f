/**
 * Mirroring a peer's directory: every listing and unlisting it holds, page
 * by page, each checked as a client's put is (form, signature, not dated
 * ahead: routes/directory.ts) and kept when newer than the one held, so an
 * unlisting replaces the listing on every hub that mirrored it. A sweep reads
 * them all (the peer's change log names heads only); listings change rarely
 * and are small, and the mirror sweeps once per poll (mirror/peer.ts).
 */
import { encodeCanonical } from '../../protocol/canonical.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { isPseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { decodeListing, verifyListing } from '../../protocol/listing.ts';
import type { DirectoryAnswer } from '../../protocol/routes.ts';
import type { DirectoryStore } from '../store/hub-store.ts';

/** A peer paging on for ever (each page's cursor above the last) is left after this many pages: 100,000 listings. */
export const MAX_SWEEP_PAGES = 2000;

export interface ListingSweepDeps {
  readonly directory: DirectoryStore;
  readonly verify: Verify;
  readonly now: () => number;
  /** Only these authors' listings are kept; undefined: all. */
  readonly authors: ReadonlySet<string> | undefined;
}

export interface SweepResult {
  /** Listings and unlistings newer than ours, now kept. */
  readonly stored: number;
  /** What the peer served that no client could have put: its author (or '?') and why. */
  readonly refused: readonly { readonly author: string; readonly error: ProtocolError }[];
}

/**
 * @param page one page of the peer's listings after `cursor` (PeerClient.listings).
 * @throws what `page` or the store throws (the peer unreachable, the disk failing): the caller sweeps again later.
 */
export async function sweepListings(
  page: (cursor?: string) => Promise<DirectoryAnswer>,
  deps: ListingSweepDeps,
): Promise<SweepResult> {
  let stored = 0;
  const refused: { author: string; error: ProtocolError }[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_SWEEP_PAGES; pages++) {
    const answer = await page(cursor);
    for (const json of answer.listings) {
      const outcome = await mirrorListing(json, deps);
      if (outcome === 'created') stored++;
      else if (outcome instanceof ProtocolError) refused.push({ author: authorOf(json), error: outcome });
    }
    // Pages go by author id: a cursor that does not move on would read the same page for ever.
    if (answer.next === undefined || (cursor !== undefined && answer.next <= cursor)) break;
    cursor = answer.next;
  }
  return { stored, refused };
}

async function mirrorListing(json: unknown, deps: ListingSweepDeps): Promise<'created' | 'held' | ProtocolError> {
  try {
    const signed = decodeListing(encodeCanonical(json));
    const { author, ts } = signed.listing;
    if (deps.authors && !deps.authors.has(author)) return 'held';
    if (!(await verifyListing(signed, deps.verify)))
      return new ProtocolError('BadSignature', 'the listing signature does not verify');
    if (ts - deps.now() > LIMITS.futureSkewMs)
      return new ProtocolError('FutureTimestamp', `the listing is dated ${ts - deps.now()} ms ahead of this hub`);
    return await deps.directory.putListing(signed);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    // Ours is as new or newer: nothing to copy.
    return error.name === 'StaleListing' ? 'held' : error;
  }
}

function authorOf(json: unknown): string {
  const author = (json as { author?: unknown } | null)?.author;
  return isPseudonymId(author) ? author : '?';
}
