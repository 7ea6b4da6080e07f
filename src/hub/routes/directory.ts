/**
 * The directory. `PUT /v1/listings/:author` stores a discoverable
 * pseudonym's signed listing, or its unlisting (listing.ts), when newer than
 * the one held; `GET /v1/directory?topic=&q=&cursor=&limit=` pages the listed
 * ones by id; `GET /v1/listings?cursor=&limit=` pages every listing held,
 * unlistings included, for the hubs that mirror this one (mirror/peer.ts).
 * The hub checks signatures and limits, never what a listing says; each
 * answer carries the signed listings, which readers verify.
 */
import { decodeCanonical } from '../../protocol/canonical.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { isPseudonymId, parsePseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { LISTING_LIMITS, type ListingJson, decodeListing, verifyListing } from '../../protocol/listing.ts';
import type { DirectoryAnswer } from '../../protocol/routes.ts';
import { isTopic } from '../../protocol/topics.ts';
import { intParam, readBody, sendJson } from '../http/http.ts';
import type { Handler } from '../http/router.ts';
import type { StorageBudget } from '../guard/storage-budget.ts';
import type { WriteGuard } from '../guard/write-guard.ts';
import type { DirectoryQuery, DirectoryStore } from '../store/hub-store.ts';

/** Listings in one page when the reader does not ask for fewer. */
export const DIRECTORY_PAGE = 50;
/** The longest words `q` may carry (a listing's searchable text is at most a handle, a name and a short bio). */
const MAX_QUERY_CHARS = 100;

export interface DirectoryRouteDeps {
  readonly directory: DirectoryStore;
  readonly verify: Verify;
  readonly now: () => number;
  readonly guard: WriteGuard;
  readonly budget: StorageBudget;
}

export function directoryRoutes({ directory, verify, now, guard, budget }: DirectoryRouteDeps): {
  putListing: Handler;
  listDirectory: Handler;
  listListings: Handler;
} {
  return {
    async putListing({ req, res, params }) {
      const author = parsePseudonymId(params.author);
      await guard.checkIp(req);
      const signed = decodeListing(await readBody(req, LISTING_LIMITS.bytes));
      if (signed.listing.author !== author)
        throw new ProtocolError('WrongAuthor', `the listing is signed for ${signed.listing.author}, not ${author}`);
      if (!(await verifyListing(signed, verify)))
        throw new ProtocolError('BadSignature', 'the listing signature does not verify');
      const ahead = signed.listing.ts - now();
      if (ahead > LIMITS.futureSkewMs)
        throw new ProtocolError('FutureTimestamp', `the listing is dated ${ahead} ms ahead of the hub's clock`);
      await guard.checkPseudonym(author);
      const outcome = await budget.store(
        req,
        signed.bytes.length,
        () => directory.putListing(signed),
        (o) => o === 'created',
      );
      sendJson(res, outcome === 'created' ? 201 : 200, { ok: true });
    },

    async listDirectory({ res, url }) {
      const topic = url.searchParams.get('topic') || undefined;
      const q = url.searchParams.get('q')?.trim().toLowerCase() || undefined;
      if (topic !== undefined && !isTopic(topic)) throw new ProtocolError('BadRequest', 'topic: a lowercase topic');
      if (q !== undefined && q.length > MAX_QUERY_CHARS)
        throw new ProtocolError('BadRequest', `q: at most ${MAX_QUERY_CHARS} characters`);
      sendJson(
        res,
        200,
        await pageOf(directory, url, { ...(topic !== undefined && { topic }), ...(q !== undefined && { q }) }),
      );
    },

    async listListings({ res, url }) {
      sendJson(res, 200, await pageOf(directory, url, { unlisted: true }));
    },
  };
}

/** One page by author id after `?cursor=`, at most `?limit=` (and DIRECTORY_PAGE). */
async function pageOf(
  directory: DirectoryStore,
  url: URL,
  query: Omit<DirectoryQuery, 'after' | 'limit'>,
): Promise<DirectoryAnswer> {
  const cursor = url.searchParams.get('cursor') || undefined;
  if (cursor !== undefined && !isPseudonymId(cursor))
    throw new ProtocolError('BadRequest', 'cursor: the next of a previous answer');
  const limit = Math.max(1, Math.min(intParam(url, 'limit', DIRECTORY_PAGE), DIRECTORY_PAGE));
  const page = await directory.listListings({ ...query, ...(cursor !== undefined && { after: cursor }), limit });
  return {
    listings: page.map((l) => decodeCanonical(l.bytes) as unknown as ListingJson),
    ...(page.length === limit && { next: page.at(-1)!.listing.author }),
  };
}
