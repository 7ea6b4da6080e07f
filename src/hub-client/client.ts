/**
 * The one client of a hub's routes (src/protocol/routes.ts) over an injected
 * fetch, spoken by the worker, a mirroring hub (its peer client), and the
 * tests. URLs come only from routePath(ROUTES). It returns values or throws a
 * HubError (errors.ts) whose name is the hub's error name, Offline when the
 * hub cannot be reached, or HubUnavailable when it answers outside the
 * protocol. It checks nothing about content: callers verify every byte.
 *
 * Reads are bounded when the caller says so (ClientBounds): in bytes as the
 * answer arrives, and in time for headers and body together. The worker
 * leaves its own hub unbounded; a mirror bounds a peer it does not run.
 */
import { type BlobEntry, decodeBlobBatch } from '../protocol/batch.ts';
import { utf8 } from '../protocol/bytes.ts';
import type { HeadJson } from '../protocol/heads.ts';
import { INBOX_POLICY_LIMITS } from '../protocol/inbox-policy.ts';
import type { ObjectId, PseudonymId } from '../protocol/ids.ts';
import { type RequestToSign, newRequestNonce } from '../protocol/request-auth.ts';
import {
  type ChangesAnswer,
  type HubInfo,
  type DirectoryAnswer,
  type InboxAnswer,
  MAX_BATCH_IDS,
  MAX_IDS_PER_REQUEST,
  ROUTES,
  type RouteName,
  routePath,
} from '../protocol/routes.ts';
import { checkBatchFrames, readBounded } from './bounded-read.ts';
import { HubError } from './errors.ts';
import { type Fetch, type RequestOptions, failureOf, jsonOf, request } from './request.ts';
import { exchangeSignal } from './signals.ts';
import { READS, READ_RETRIES, ROUTE_WHAT } from './route-traits.ts';

export type { Fetch } from './request.ts';

/** RFC 7033 JSON Resource Descriptor (the parts we read). */
export interface Jrd {
  readonly subject?: string;
  readonly properties?: Readonly<Record<string, string | null>>;
  readonly links?: readonly { rel: string; type?: string; href?: string }[];
}

export type Sign = (request: RequestToSign) => Record<string, string>;

/** What a stream asks for: some authors' heads (the current ones first), or every change from now on (a mirror). */
export type StreamQuery = { readonly authors: readonly PseudonymId[] } | { readonly all: true };

export interface HubClient {
  readonly origin: string;
  /**
   * `sign` makes the signed-request headers (request-auth.ts) of the pseudonym
   * uploading: hubs apply quotas per pseudonym. The client fills in this hub's
   * host and a fresh nonce, and calls `sign` once per send (a hub takes a
   * signed request once).
   */
  putBlob(id: ObjectId, bytes: Uint8Array, sign: Sign, now: number): Promise<void>;
  /** @throws HubError NotFound */
  getBlob(id: ObjectId): Promise<Uint8Array>;
  /** Which of `ids` the hub lacks (any number of ids; split into requests as needed). */
  missingBlobs(ids: readonly ObjectId[]): Promise<ObjectId[]>;
  /**
   * The blobs the hub holds among `ids` (unchecked: verify each against its id), asking again for the rest
   * when an answer stops at the hub's batch cap.
   */
  batchBlobs(ids: readonly ObjectId[]): Promise<BlobEntry[]>;
  /** @throws HubError StaleHead when the hub holds a head at least as new. */
  putHead(author: PseudonymId, headBytes: Uint8Array): Promise<{ seq: number }>;
  /** Heads the hub holds for `authors` (authors without one are left out). Unverified. */
  getHeads(authors: readonly PseudonymId[]): Promise<Record<PseudonymId, HeadJson>>;
  /**
   * One page of the hub's change log after change `since`. Unverified.
   * @throws HubError HubUnavailable for a malformed page.
   */
  listChanges(since: number, limit?: number): Promise<ChangesAnswer>;
  /** @throws HubError HandleTaken, WrongHost, ... */
  putHandle(name: string, claimBytes: Uint8Array): Promise<void>;
  /** @throws HubError NotFound */
  webfinger(resource: string): Promise<Jrd>;
  hubInfo(): Promise<HubInfo>;
  /** The URL of the live head stream for `authors`. */
  streamUrl(authors: readonly PseudonymId[]): string;
  /**
   * Opens the live stream (no time bound: it lasts; its caller watches it) and returns its response,
   * whose body is an event stream. @throws HubError HubUnavailable when the answer is not an event stream.
   */
  openStream(
    query: StreamQuery,
    init?: { readonly signal?: AbortSignal; readonly lastEventId?: string },
  ): Promise<Response>;
  /** POSTs a signed notice to `to`'s inbox. @throws HubError RateLimited, ClockSkew, ... */
  postNotice(to: PseudonymId, noticeBytes: Uint8Array): Promise<void>;
  /** One page of `owner`'s inbox after `cursor`, by a request `sign` authenticates as owner. Unverified. */
  listInbox(owner: PseudonymId, cursor: string | undefined, sign: Sign, now: number): Promise<InboxAnswer>;
  /** One page of a hive's board (an inbox whose policy is `board`: anyone reads it, unsigned). Unverified. */
  listBoard(hive: PseudonymId, cursor: string | undefined): Promise<InboxAnswer>;
  /** PUTs `author`'s signed listing or unlisting. @throws HubError StaleListing, BadSignature, RateLimited, ... */
  putListing(author: PseudonymId, listingBytes: Uint8Array): Promise<void>;
  /** One page of the directory (unverified listings: the caller verifies each). */
  listDirectory(query: { topic?: string; q?: string; cursor?: string; limit?: number }): Promise<DirectoryAnswer>;
  /** One page of every listing the hub holds, unlistings included (unverified): what a mirroring hub copies. */
  listListings(cursor?: string): Promise<DirectoryAnswer>;
  /** PUTs `author`'s signed retirement: the hub releases its handles. @throws HubError BadSignature, ... */
  putRetirement(author: PseudonymId, retirementBytes: Uint8Array): Promise<void>;
  /** PUTs `owner`'s signed inbox policy. @throws HubError StalePolicy, BadSignature, RateLimited, ... */
  putInboxPolicy(owner: PseudonymId, policyBytes: Uint8Array): Promise<void>;
  /** The bytes of the inbox policy the hub holds for `owner` (unverified), or undefined when it holds none. */
  findInboxPolicy(owner: PseudonymId): Promise<Uint8Array | undefined>;
}

/** Bounds on what a hub may send; each is off (unbounded) unless set. */
export interface ClientBounds {
  /** Aborts every request and stream of this client. */
  readonly signal?: AbortSignal;
  /** A whole answer (headers and body) must arrive within this; streams excepted. */
  readonly timeoutMs?: number;
  /** The largest JSON answer (a change page is the largest a hub sends). */
  readonly jsonBytes?: number;
  /** The largest blob expected: bounds a blob answer and each frame of a batch answer (refused at its header). */
  readonly blobBytes?: number;
  /** The largest batch answer as a whole. */
  readonly batchBytes?: number;
  /** How often a read whose connection fails is sent again at once (request.ts); 3 unless set. */
  readonly readRetries?: number;
  /**
   * Where requests go instead of `origin`: one of the hub's aliases (protocol/hub-aliases.ts), so that they
   * travel on connections of their own. Requests are signed for it; `origin` still names the hub in errors.
   */
  readonly via?: string;
}

type Random = (array: Uint8Array<ArrayBuffer>) => Uint8Array;

/** @param random fills an array with random bytes (for request nonces). */
export function createHubClient(
  origin: string,
  fetch: Fetch,
  random: Random = (a) => crypto.getRandomValues(a),
  bounds: ClientBounds = {},
): HubClient {
  const base = new URL(origin).origin;
  const sendTo = bounds.via === undefined ? base : new URL(bounds.via).origin;
  // What the Host header of our requests names (URL drops a default port, as fetch does).
  const host = new URL(sendTo).host;
  const url = (name: RouteName, params?: Record<string, string>, query?: Record<string, string>) => {
    const u = new URL(routePath(name, params), sendTo);
    for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
    return u.toString();
  };
  const limit = (n: number | undefined) => n ?? Number.POSITIVE_INFINITY;
  /** One exchange: the request and reading its answer, under one deadline. */
  const exchange = async <T>(
    name: RouteName,
    target: string,
    init: RequestInit | (() => RequestInit),
    read: (res: Response, fail: (e: unknown) => HubError) => Promise<T>,
  ): Promise<T> => {
    const { signal, deadline, release } = exchangeSignal([bounds.signal], bounds.timeoutMs);
    try {
      const make = typeof init === 'function' ? init : () => init;
      const options: RequestOptions = {
        retries: READS.has(name) ? (bounds.readRetries ?? READ_RETRIES) : 0,
        ...(deadline && { deadline, within: `${bounds.timeoutMs! / 1000} s` }),
      };
      const res = await request(fetch, target, () => ({ ...make(), ...(signal && { signal }) }), base, options);
      return await read(res, (error) => failureOf(error, base, signal, options, `the answer from ${base} was cut off`));
    } finally {
      release();
    }
  };
  const call = (name: RouteName, init: RequestInit, params?: Record<string, string>, query?: Record<string, string>) =>
    exchange(name, url(name, params, query), init, async (res) => void (await res.body?.cancel()));
  const json = (name: RouteName, init: RequestInit, params?: Record<string, string>, query?: Record<string, string>) =>
    exchange(name, url(name, params, query), init, (res, fail) =>
      jsonOf(res, base, limit(bounds.jsonBytes), ROUTE_WHAT[name] ?? ROUTES[name].path, fail),
    );
  // Bytes: Chromium's fetch spent 7-10 ms of its thread on a 2,048-id batch as a string body, 3-5 ms as bytes.
  const body = (value: unknown): RequestInit => bytes(utf8(JSON.stringify(value)));
  const bytes = (payload: Uint8Array, type = 'application/json'): RequestInit => ({
    body: payload as Uint8Array<ArrayBuffer>,
    headers: { 'content-type': type },
  });
  const signed = (method: string, target: URL, payload: Uint8Array, sign: Sign, now: number) =>
    sign({
      method,
      path: target.pathname + target.search,
      body: payload,
      ts: now,
      host,
      nonce: newRequestNonce(random),
    });
  const unavailable = (message: string) => new HubError('HubUnavailable', `${base} ${message}`, { hub: base });
  const inboxPage = async (target: URL, init: () => RequestInit): Promise<InboxAnswer> => {
    const answer = await exchange('listInbox', target.toString(), init, (res, fail) =>
      jsonOf(res, base, limit(bounds.jsonBytes), 'its inbox', fail),
    );
    if (!Array.isArray(answer.notices)) throw unavailable('answered its inbox without a list');
    return {
      notices: answer.notices as InboxAnswer['notices'],
      ...(typeof answer.next === 'string' && { next: answer.next }),
    };
  };
  const listingPage = ({ listings, next }: Record<string, unknown>): DirectoryAnswer => {
    if (!Array.isArray(listings)) throw unavailable('answered its directory without a list');
    return { listings: listings as DirectoryAnswer['listings'], ...(typeof next === 'string' && { next }) };
  };

  return {
    origin: base,
    async putBlob(id, payload, sign, now) {
      const target = new URL(url('putBlob', { id }));
      const init = bytes(payload, 'application/octet-stream');
      await exchange(
        'putBlob',
        target.toString(),
        () => ({
          ...init,
          method: 'PUT',
          headers: { ...(init.headers as Record<string, string>), ...signed('PUT', target, payload, sign, now) },
        }),
        async (res) => void (await res.body?.cancel()),
      );
    },
    async getBlob(id) {
      return exchange('getBlob', url('getBlob', { id }), { method: 'GET' }, async (res, fail) => {
        try {
          return await readBounded(res, limit(bounds.blobBytes), `${base} sent a blob`);
        } catch (error) {
          throw fail(error);
        }
      });
    },
    async missingBlobs(ids) {
      const missing: ObjectId[] = [];
      for (const chunk of chunks(ids, MAX_BATCH_IDS)) {
        const answer = await json('missingBlobs', { method: 'POST', ...body({ ids: chunk }) });
        if (!Array.isArray(answer.missing)) throw unavailable(`answered ${ROUTES.missingBlobs.path} without a list`);
        missing.push(...(answer.missing as ObjectId[]));
      }
      return missing;
    },
    async batchBlobs(ids) {
      const check = bounds.blobBytes === undefined ? undefined : checkBatchFrames(bounds.blobBytes);
      const answer = (chunk: readonly ObjectId[]) =>
        exchange('batchBlobs', url('batchBlobs'), { method: 'POST', ...body({ ids: chunk }) }, async (res, fail) => {
          let bytes: Uint8Array;
          try {
            bytes = await readBounded(res, limit(bounds.batchBytes), `${base} sent a blob batch answer`, check);
          } catch (error) {
            throw fail(error);
          }
          return decodeBlobBatch(bytes);
        });
      // The route's chunks are requested at once: a catch-up is bound by round trips.
      const parts = await Promise.all(chunks(ids, MAX_BATCH_IDS).map((chunk) => wholeBatch(chunk, answer)));
      return parts.flat();
    },
    async putHead(author, headBytes) {
      const { seq } = await json('putHead', { method: 'PUT', ...bytes(headBytes) }, { author });
      if (!Number.isSafeInteger(seq)) throw unavailable('took a head without saying its seq');
      return { seq: seq as number };
    },
    async getHeads(authors) {
      const heads: Record<PseudonymId, HeadJson> = {};
      for (const chunk of chunks(authors)) {
        const answer = await json('getHeads', { method: 'GET' }, {}, { authors: chunk.join(',') });
        if (typeof answer.heads !== 'object' || answer.heads === null)
          throw unavailable(`answered ${ROUTES.getHeads.path} without heads`);
        Object.assign(heads, answer.heads);
      }
      return heads;
    },
    async listChanges(since, limit = 500) {
      const page = await json('listChanges', { method: 'GET' }, {}, { since: String(since), limit: String(limit) });
      const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
      if (!Array.isArray(page.changes) || !count(page.next) || !count(page.last)) {
        throw unavailable('answered a change page without changes, next and last');
      }
      return page as unknown as ChangesAnswer;
    },
    async putHandle(name, claimBytes) {
      await call('putHandle', { method: 'PUT', ...bytes(claimBytes) }, { name });
    },
    async webfinger(resource) {
      return (await json(
        'webfinger',
        { method: 'GET', headers: { accept: 'application/jrd+json' } },
        {},
        { resource },
      )) as Jrd;
    },
    async hubInfo() {
      return (await json('hubInfo', { method: 'GET' })) as unknown as HubInfo;
    },
    streamUrl(authors) {
      return url('stream', {}, { authors: authors.join(',') });
    },
    async openStream(query, init = {}) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (init.lastEventId) headers['last-event-id'] = init.lastEventId;
      // Once per stream, so AbortSignal.any's retention (signals.ts) costs one entry per reconnection at most.
      const signal = anyOf(bounds.signal, init.signal);
      const target = url('stream', {}, 'all' in query ? { all: '1' } : { authors: query.authors.join(',') });
      const sent: RequestInit = { method: 'GET', headers, cache: 'no-store', ...(signal && { signal }) };
      const res = await request(fetch, target, sent, base);
      if (!res.headers.get('content-type')?.startsWith('text/event-stream') || res.body === null) {
        await res.body?.cancel();
        throw unavailable(`answered its stream with ${res.body ? res.headers.get('content-type') : 'no body'}`);
      }
      return res;
    },
    async postNotice(to, noticeBytes) {
      await call('postNotice', { method: 'POST', ...bytes(noticeBytes) }, { author: to });
    },
    async putListing(author, listingBytes) {
      await call('putListing', { method: 'PUT', ...bytes(listingBytes) }, { author });
    },
    async listDirectory({ topic, q, cursor, limit: most }) {
      const params = {
        ...(topic && { topic }),
        ...(q && { q }),
        ...(cursor && { cursor }),
        ...(most !== undefined && { limit: String(most) }),
      };
      return listingPage(await json('listDirectory', { method: 'GET' }, {}, params));
    },
    async listListings(cursor) {
      return listingPage(await json('listListings', { method: 'GET' }, {}, cursor ? { cursor } : {}));
    },
    async putRetirement(author, retirementBytes) {
      await call('putRetirement', { method: 'PUT', ...bytes(retirementBytes) }, { author });
    },
    async putInboxPolicy(owner, policyBytes) {
      await call('putInboxPolicy', { method: 'PUT', ...bytes(policyBytes) }, { author: owner });
    },
    async findInboxPolicy(owner) {
      const read = (res: Response, fail: (e: unknown) => HubError) =>
        readBounded(res, INBOX_POLICY_LIMITS.bytes, `${base} sent an inbox policy`).catch((e) =>
          Promise.reject(fail(e)),
        );
      try {
        return await exchange('getInboxPolicy', url('getInboxPolicy', { author: owner }), { method: 'GET' }, read);
      } catch (error) {
        if (error instanceof HubError && error.name === 'NotFound') return undefined;
        throw error;
      }
    },
    async listInbox(owner, cursor, sign, now) {
      const target = new URL(url('listInbox', { author: owner }, cursor === undefined ? {} : { cursor }));
      // Signed afresh for each send, the one retry included: a hub refuses a signed request it has seen.
      const init = () => ({ method: 'GET', headers: signed('GET', target, new Uint8Array(), sign, now) });
      return inboxPage(target, init);
    },
    listBoard(hive, cursor) {
      const target = new URL(url('listInbox', { author: hive }, cursor === undefined ? {} : { cursor }));
      return inboxPage(target, () => ({ method: 'GET' }));
    },
  };
}

/**
 * One signal for several (undefined for none); AbortSignal.any only when there are two, so a client
 * without bounds runs where it is missing (Safari before 17.4).
 */
function anyOf(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const set = signals.filter((s): s is AbortSignal => s !== undefined);
  return set.length > 1 ? AbortSignal.any(set) : set[0];
}

/**
 * Every blob the hub holds among `ids`, asking again while an answer was cut
 * short. A hub answers frames in the order asked, skipping ids it lacks, and
 * stops before a frame that would take the answer past its batch cap, never
 * before the first (PROTOCOL.md): so the ids after an answer's last frame are
 * asked again, until an answer brings nothing or ends at the last id.
 */
async function wholeBatch(
  ids: readonly ObjectId[],
  answer: (ids: readonly ObjectId[]) => Promise<BlobEntry[]>,
): Promise<BlobEntry[]> {
  const found: BlobEntry[] = [];
  let rest = ids;
  while (rest.length > 0) {
    const index = new Map(rest.map((id, i) => [id, i]));
    const entries = (await answer(rest)).filter((e) => index.has(e.id));
    if (entries.length === 0) break;
    found.push(...entries);
    rest = rest.slice(Math.max(...entries.map((e) => index.get(e.id)!)) + 1);
  }
  return found;
}

function chunks<T>(items: readonly T[], size = MAX_IDS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
