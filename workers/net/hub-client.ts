/**
 * A small client for one hub's routes (src/protocol/routes.ts) over an
 * injected fetch. It returns values or throws a CoreError whose name is the
 * hub's error name, 'Offline' when the hub cannot be reached, or
 * 'HubUnavailable' when it answers outside the protocol. It checks nothing
 * about content: callers verify every byte they get.
 */
import { type RequestToSign, newRequestNonce } from '../../src/protocol/request-auth.ts';
import { type BlobEntry, decodeBlobBatch } from '../../src/protocol/batch.ts';
import { isProtocolErrorName } from '../../src/protocol/errors.ts';
import type { HeadJson } from '../../src/protocol/heads.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type HubInfo, type InboxAnswer, MAX_BATCH_IDS, MAX_IDS_PER_REQUEST, type RouteName, routePath } from '../../src/protocol/routes.ts';
import { CoreError } from '../errors.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** RFC 7033 JSON Resource Descriptor (the parts we read). */
export interface Jrd {
  readonly subject?: string;
  readonly properties?: Readonly<Record<string, string | null>>;
  readonly links?: readonly { rel: string; type?: string; href?: string }[];
}

export interface HubClient {
  readonly origin: string;
  /**
   * `sign` makes the signed-request headers (request-auth.ts) of the pseudonym
   * uploading: hubs apply quotas per pseudonym. The client fills in this hub's
   * host and a fresh nonce, and calls `sign` once per send (a hub takes a
   * signed request once).
   */
  putBlob(id: ObjectId, bytes: Uint8Array, sign: (request: RequestToSign) => Record<string, string>, now: number): Promise<void>;
  /** @throws CoreError NotFound */
  getBlob(id: ObjectId): Promise<Uint8Array>;
  /** Which of `ids` the hub lacks (any number of ids; split into requests as needed). */
  missingBlobs(ids: readonly ObjectId[]): Promise<ObjectId[]>;
  /** The blobs the hub holds among `ids` (unchecked: verify each against its id). */
  batchBlobs(ids: readonly ObjectId[]): Promise<BlobEntry[]>;
  /** @throws CoreError StaleHead when the hub holds a head at least as new. */
  putHead(author: PseudonymId, headBytes: Uint8Array): Promise<{ seq: number }>;
  /** Heads the hub holds for `authors` (authors without one are left out). Unverified. */
  getHeads(authors: readonly PseudonymId[]): Promise<Record<PseudonymId, HeadJson>>;
  /** @throws CoreError HandleTaken, WrongHost, ... */
  putHandle(name: string, claimBytes: Uint8Array): Promise<void>;
  /** @throws CoreError NotFound */
  webfinger(resource: string): Promise<Jrd>;
  hubInfo(): Promise<HubInfo>;
  /** The URL of the live head stream for `authors`. */
  streamUrl(authors: readonly PseudonymId[]): string;
  /** POSTs a signed notice to `to`'s inbox. @throws CoreError RateLimited, ClockSkew, ... */
  postNotice(to: PseudonymId, noticeBytes: Uint8Array): Promise<void>;
  /** One page of `owner`'s inbox after `cursor`, by a request `sign` authenticates as owner. Unverified. */
  listInbox(owner: PseudonymId, cursor: string | undefined, sign: (request: RequestToSign) => Record<string, string>, now: number): Promise<InboxAnswer>;
}

/** @param random fills an array with random bytes (for request nonces). */
export function createHubClient(origin: string, fetch: Fetch, random: (array: Uint8Array<ArrayBuffer>) => Uint8Array = (a) => crypto.getRandomValues(a)): HubClient {
  const base = new URL(origin).origin;
  // What the Host header of our requests names (URL drops a default port, as fetch does).
  const host = new URL(base).host;
  const url = (name: RouteName, params?: Record<string, string>, query?: Record<string, string>) => {
    const u = new URL(routePath(name, params), base);
    for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
    return u.toString();
  };
  const call = (name: RouteName, init: RequestInit, params?: Record<string, string>, query?: Record<string, string>) =>
    request(fetch, url(name, params, query), init, base, READS.has(name));
  const json = (body: unknown): RequestInit => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  return {
    origin: base,
    async putBlob(id, bytes, sign, now) {
      const target = new URL(url('putBlob', { id }));
      const auth = sign({ method: 'PUT', path: target.pathname + target.search, body: bytes, ts: now, host, nonce: newRequestNonce(random) });
      await request(fetch, target.toString(), { method: 'PUT', body: bytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/octet-stream', ...auth } }, base);
    },
    async getBlob(id) {
      return new Uint8Array(await (await call('getBlob', { method: 'GET' }, { id })).arrayBuffer());
    },
    async missingBlobs(ids) {
      const missing: ObjectId[] = [];
      for (const chunk of chunks(ids, MAX_BATCH_IDS)) {
        const answer = await jsonOf(await call('missingBlobs', { method: 'POST', ...json({ ids: chunk }) }), base);
        if (!Array.isArray(answer.missing)) throw new CoreError('HubUnavailable', `${base} answered /v1/blobs/missing without a list`);
        missing.push(...(answer.missing as ObjectId[]));
      }
      return missing;
    },
    async batchBlobs(ids) {
      // The route's chunks are requested at once: a catch-up is bound by round trips.
      const parts = await Promise.all(chunks(ids, MAX_BATCH_IDS).map(async (chunk) => {
        const res = await call('batchBlobs', { method: 'POST', ...json({ ids: chunk }) });
        return decodeBlobBatch(new Uint8Array(await res.arrayBuffer()));
      }));
      return parts.flat();
    },
    async putHead(author, headBytes) {
      const res = await call('putHead', { method: 'PUT', body: headBytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json' } }, { author });
      const { seq } = await jsonOf(res, base);
      if (!Number.isSafeInteger(seq)) throw new CoreError('HubUnavailable', `${base} took a head without saying its seq`);
      return { seq: seq as number };
    },
    async getHeads(authors) {
      const heads: Record<PseudonymId, HeadJson> = {};
      for (const chunk of chunks(authors)) {
        const answer = await jsonOf(await call('getHeads', { method: 'GET' }, {}, { authors: chunk.join(',') }), base);
        if (typeof answer.heads !== 'object' || answer.heads === null) throw new CoreError('HubUnavailable', `${base} answered /v1/heads without heads`);
        Object.assign(heads, answer.heads);
      }
      return heads;
    },
    async putHandle(name, claimBytes) {
      await call('putHandle', { method: 'PUT', body: claimBytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json' } }, { name });
    },
    async webfinger(resource) {
      const res = await call('webfinger', { method: 'GET', headers: { accept: 'application/jrd+json' } }, {}, { resource });
      return (await jsonOf(res, base)) as Jrd;
    },
    async hubInfo() {
      return (await jsonOf(await call('hubInfo', { method: 'GET' }), base)) as unknown as HubInfo;
    },
    streamUrl(authors) {
      return url('stream', {}, { authors: authors.join(',') });
    },
    async postNotice(to, noticeBytes) {
      await call('postNotice', { method: 'POST', body: noticeBytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'application/json' } }, { author: to });
    },
    async listInbox(owner, cursor, sign, now) {
      const target = new URL(url('listInbox', { author: owner }, cursor === undefined ? {} : { cursor }));
      // Signed afresh for each send, the one retry included: a hub refuses a signed request it has seen.
      const init = () => ({ method: 'GET', headers: sign({ method: 'GET', path: target.pathname + target.search, body: new Uint8Array(), ts: now, host, nonce: newRequestNonce(random) }) });
      const answer = await jsonOf(await request(fetch, target.toString(), init, base, true), base);
      if (!Array.isArray(answer.notices)) throw new CoreError('HubUnavailable', `${base} answered its inbox without a list`);
      return { notices: answer.notices as InboxAnswer['notices'], ...(typeof answer.next === 'string' && { next: answer.next }) };
    },
  };
}

function chunks<T>(items: readonly T[], size = MAX_IDS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * How many times a read whose connection fails is sent again at once. The
 * hub closes kept-alive connections after its keep-alive timeout; a client
 * whose own idle timer runs late (a busy machine) reuses them just after,
 * and every idle connection to that hub was closed at the same moment.
 */
const READ_RETRIES = 3;

/** Routes that only read: asking twice is harmless. */
const READS: ReadonlySet<RouteName> = new Set(['getBlob', 'missingBlobs', 'batchBlobs', 'getHeads', 'webfinger', 'hubInfo']);

/**
 * One request; a 2xx response is returned, anything else becomes a CoreError.
 * A read whose connection fails is sent again at once (READ_RETRIES): a kept-alive
 * connection the hub closed just as it was reused fails without the hub
 * having seen the request (browsers retry that themselves; Node's fetch does
 * not for a POST, and the batch reads are POSTs). `init` as a function is
 * called for each send (a signed request is signed again for the retry).
 * @throws CoreError Offline, HubUnavailable, or the hub's error name.
 */
export async function request(fetch: Fetch, url: string, init: RequestInit | (() => RequestInit), hub: string, read = false): Promise<Response> {
  const make = typeof init === 'function' ? init : () => init;
  const first = make();
  let res: Response;
  try {
    res = await fetch(url, first).catch(async (error: unknown) => {
      // Each failed send drops its connection; several idle ones may have been closed together.
      for (let retry = 1; ; retry++) {
        if (!read || first.signal?.aborted || retry > READ_RETRIES) throw error;
        try {
          return await fetch(url, make());
        } catch (again) {
          error = again;
        }
      }
    });
  } catch (error) {
    if (first.signal?.aborted) throw new CoreError('Aborted', 'request aborted');
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new CoreError('Offline', `cannot reach ${hub}: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`, { hub });
  }
  if (res.ok) return res;
  throw await errorOf(res, hub);
}

/**
 * A hub's JSON answer, which must be an object (what the route's answer is declared as).
 * @throws CoreError HubUnavailable for a body that is not a JSON object, Offline when the body is cut off.
 */
async function jsonOf(res: Response, hub: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await res.json();
  } catch (error) {
    if (error instanceof SyntaxError) throw new CoreError('HubUnavailable', `${hub} answered something that is not JSON`, { hub });
    throw new CoreError('Offline', `the answer from ${hub} was cut off: ${(error as Error).message}`, { hub });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CoreError('HubUnavailable', `${hub} answered JSON that is not an object`, { hub });
  return body as Record<string, unknown>;
}

async function errorOf(res: Response, hub: string): Promise<CoreError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const { error, message } = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : `${hub} answered ${res.status} ${res.statusText}`;
  if (isProtocolErrorName(error)) return new CoreError(error, text, { status: res.status, hub });
  return new CoreError('HubUnavailable', text, { status: res.status, hub });
}
