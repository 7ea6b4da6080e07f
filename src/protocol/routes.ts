/**
 * The hub's HTTP routes, declared once: the hub serves exactly these and the
 * worker's hub client calls exactly these. An error answer is always JSON
 * `{ error: ProtocolErrorName, message }`; the name is the contract, the status
 * a coarse hint. Any request may also meet BadRequest, HeadersTooLarge or
 * RequestTimeout from the HTTP layer before its route (hub client-errors.ts),
 * and TooManyConnections when the hub holds as many as it allows (hub connection-guard.ts).
 */
import type { ProtocolErrorName } from './errors.ts';
import type { HeadJson } from './heads.ts';
import type { ObjectId, PseudonymId } from './ids.ts';
import type { ListingJson } from './listing.ts';
import type { Notice } from './notices.ts';

export interface RouteSpec {
  readonly method: 'GET' | 'PUT' | 'POST';
  /** Path pattern; `:name` is one path segment. */
  readonly path: string;
  /** What the request carries, in words (bodies are small, so this is documentation). */
  readonly body?: string;
  readonly answer: string;
  readonly errors: readonly ProtocolErrorName[];
}

export const ROUTES = {
  putBlob: {
    method: 'PUT',
    path: '/v1/blobs/:id',
    body: 'the blob bytes',
    answer:
      "201 { id } (200 when already held); a signed request (request-auth.ts), counted against the signer's quota",
    errors: [
      'MalformedId',
      'Unauthenticated',
      'ClockSkew',
      'BadSignature',
      'WrongHost',
      'Replayed',
      'HubBusy',
      'HashMismatch',
      'TooLarge',
      'RateLimited',
      'QuotaExceeded',
      'AddressQuotaExceeded',
      'HubFull',
    ],
  },
  getBlob: {
    method: 'GET',
    path: '/v1/blobs/:id',
    answer: 'the bytes; immutable, cacheable forever',
    errors: ['MalformedId', 'NotFound'],
  },
  missingBlobs: {
    method: 'POST',
    path: '/v1/blobs/missing',
    body: '{ ids: ObjectId[] }',
    answer: '{ missing: ObjectId[] }',
    errors: ['DecodeError', 'MalformedId', 'TooLarge'],
  },
  batchBlobs: {
    method: 'POST',
    path: '/v1/blobs/batch',
    body: '{ ids: ObjectId[] }',
    answer: 'application/octet-stream frames (see batch.ts); ids not held are left out',
    errors: ['DecodeError', 'MalformedId', 'TooLarge'],
  },
  putHead: {
    method: 'PUT',
    path: '/v1/heads/:author',
    body: 'the canonical bytes of a signed head',
    answer: '{ ok: true, seq }',
    errors: [
      'MalformedId',
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'BadSeq',
      'WrongAuthor',
      'BadSignature',
      'BadDelegation',
      'DelegationExpired',
      'StaleHead',
      'FutureTimestamp',
      'TooLarge',
      'RateLimited',
      'AddressQuotaExceeded',
      'HubFull',
    ],
  },
  getHeads: {
    method: 'GET',
    path: '/v1/heads',
    answer: '{ heads: { [author]: HeadJson } } for ?authors=a,b (authors without a head are left out)',
    errors: ['MalformedId', 'TooLarge'],
  },
  stream: {
    method: 'GET',
    path: '/v1/stream',
    answer:
      'text/event-stream for ?authors=a,b: event "head", data HeadJson, id the change number; ?all=1 (for ' +
      'mirrors): every change from now on, no opening heads',
    errors: ['MalformedId', 'TooLarge', 'BadRequest', 'TooManyStreams'],
  },
  listChanges: {
    method: 'GET',
    path: '/v1/changes',
    answer: 'ChangesAnswer for ?since=N&limit=L: the current heads changed after change N, oldest first',
    errors: ['BadRequest'],
  },
  putHandle: {
    method: 'PUT',
    path: '/v1/handles/:name',
    body: 'the canonical bytes of a signed handle claim',
    answer: '201 { ok: true } (200 when the same author claims again)',
    errors: [
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'BadSignature',
      'WrongHost',
      'HandleTaken',
      'Retired',
      'TooLarge',
      'RateLimited',
      'AddressQuotaExceeded',
      'HubFull',
    ],
  },
  postNotice: {
    method: 'POST',
    path: '/v1/inbox/:author',
    body: 'the canonical bytes of a signed notice to :author, dated within REQUEST_SKEW_MS',
    answer: '201 { ok: true } (200 when already held)',
    errors: [
      'MalformedId',
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'BadSignature',
      'FutureTimestamp',
      'ClockSkew',
      'TooLarge',
      'InboxClosed',
      'RateLimited',
      'AddressQuotaExceeded',
      'HubFull',
    ],
  },
  putRetirement: {
    method: 'PUT',
    path: '/v1/retirements/:author',
    body: "the canonical bytes of :author's signed retirement (retirement.ts)",
    answer: "201 { ok: true } (200 when already retired): :author's handles here are released",
    errors: [
      'MalformedId',
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'WrongAuthor',
      'BadSignature',
      'FutureTimestamp',
      'TooLarge',
      'RateLimited',
    ],
  },
  putListing: {
    method: 'PUT',
    path: '/v1/listings/:author',
    body: "the canonical bytes of :author's signed listing or unlisting (listing.ts)",
    answer: '201 { ok: true } (200 when the same listing is held)',
    errors: [
      'MalformedId',
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'BadSeq',
      'WrongAuthor',
      'BadSignature',
      'FutureTimestamp',
      'StaleListing',
      'TooLarge',
      'RateLimited',
      'AddressQuotaExceeded',
      'HubFull',
    ],
  },
  listDirectory: {
    method: 'GET',
    path: '/v1/directory',
    answer: 'DirectoryAnswer for ?topic=T&q=WORDS&cursor=C&limit=L: listed pseudonyms (signed listings), by id after C',
    errors: ['BadRequest'],
  },
  listListings: {
    method: 'GET',
    path: '/v1/listings',
    answer:
      'DirectoryAnswer for ?cursor=C&limit=L: every listing held, unlistings included, by id after C (what a ' +
      'mirroring hub copies)',
    errors: ['BadRequest'],
  },
  putInboxPolicy: {
    method: 'PUT',
    path: '/v1/inbox-policy/:author',
    body: "the canonical bytes of :author's signed inbox policy (inbox-policy.ts)",
    answer: '201 { ok: true } (200 when the same policy is held)',
    errors: [
      'MalformedId',
      'DecodeError',
      'NonCanonical',
      'InvalidField',
      'BadSeq',
      'WrongAuthor',
      'BadSignature',
      'FutureTimestamp',
      'StalePolicy',
      'TooLarge',
      'RateLimited',
      'AddressQuotaExceeded',
      'HubFull',
    ],
  },
  getInboxPolicy: {
    method: 'GET',
    path: '/v1/inbox-policy/:author',
    answer: "the canonical bytes of :author's newest inbox policy held here",
    errors: ['MalformedId', 'NotFound'],
  },
  listInbox: {
    method: 'GET',
    path: '/v1/inbox/:author',
    answer:
      'InboxAnswer for ?cursor=C&limit=L, oldest first; a request signed by :author itself, or none when ' +
      "the inbox's policy is `board` (a hive's: anyone may read it)",
    errors: [
      'MalformedId',
      'BadRequest',
      'Unauthenticated',
      'ClockSkew',
      'BadSignature',
      'WrongHost',
      'Replayed',
      'HubBusy',
      'RateLimited',
      'Forbidden',
    ],
  },
  webfinger: {
    method: 'GET',
    path: '/.well-known/webfinger',
    answer: 'RFC 7033 JRD for ?resource=acct:name@host',
    errors: ['BadRequest', 'NotFound'],
  },
  hubInfo: {
    method: 'GET',
    path: '/.well-known/murmur.json',
    answer: 'HubInfo',
    errors: [],
  },
  hubStatus: {
    method: 'GET',
    path: '/v1/status',
    answer: "HubStatus: change log position, open streams, and each mirrored peer's progress",
    errors: [],
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

/** Fills a route's `:params`, encoding each. */
export function routePath(name: RouteName, params: Record<string, string> = {}): string {
  return ROUTES[name].path.replace(/:([a-z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new TypeError(`route ${name} needs ${key}`);
    return encodeURIComponent(value);
  });
}

export const STATUS_OF: Readonly<Record<ProtocolErrorName, number>> = {
  DecodeError: 400,
  Truncated: 400,
  NonCanonical: 400,
  InvalidField: 400,
  MalformedId: 400,
  UnknownOp: 400,
  BadRequest: 400,
  TooManyOps: 400,
  BadSeq: 400,
  MissingParents: 400,
  FutureTimestamp: 400,
  HashMismatch: 422,
  BadCiphertext: 422,
  BadSignature: 403,
  BadDelegation: 403,
  DelegationExpired: 403,
  OutOfScope: 403,
  WrongAuthor: 403,
  WrongHost: 421,
  StaleHead: 409,
  HandleTaken: 409,
  InboxClosed: 403,
  StalePolicy: 409,
  StaleListing: 409,
  Retired: 410,
  TooLarge: 413,
  NotFound: 404,
  MethodNotAllowed: 405,
  HeadersTooLarge: 431,
  RequestTimeout: 408,
  Unauthenticated: 401,
  ClockSkew: 401,
  Replayed: 409,
  HubBusy: 503,
  RateLimited: 429,
  QuotaExceeded: 507,
  AddressQuotaExceeded: 507,
  HubFull: 507,
  Forbidden: 403,
  TooManyConnections: 503,
  TooManyStreams: 429,
  Undecryptable: 400,
  Resealed: 403,
  WrongRecipient: 403,
  WrongSender: 403,
  // Client-side only, like the DM errors above; listed because every name has a status.
  NotAReader: 403,
  MalformedLink: 400,
  ForkTooDeep: 400,
};

export interface ErrorBody {
  readonly error: ProtocolErrorName;
  readonly message: string;
}

export interface HeadsAnswer {
  readonly heads: Readonly<Record<PseudonymId, HeadJson>>;
}

export interface MissingAnswer {
  readonly missing: readonly ObjectId[];
}

export interface HubInfo {
  readonly name: string;
  readonly version: string;
  readonly limits: { readonly blobBytes: number; readonly batchIds: number; readonly streamAuthors: number };
  /** The wildcard of its aliases (`*.hub.example[:port]`, hub-aliases.ts), when its operator pointed one at it. */
  readonly aliases?: string;
}

/** One change of GET /v1/changes: the change number and the head it made current. */
export interface ChangeJson {
  readonly seq: number;
  readonly author: PseudonymId;
  readonly head: HeadJson;
}

export interface ChangesAnswer {
  readonly changes: readonly ChangeJson[];
  /** The `since` to ask with next (the last change listed, or `since` itself when none). */
  readonly next: number;
  /** The greatest change number this hub has given; less than your `since` means its log was reset. */
  readonly last: number;
}

/** A signed notice on the wire: its fields plus sig (canonical-encode it to get the signed bytes back). */
export type NoticeJson = Notice & { readonly sig: string };

export interface DirectoryAnswer {
  readonly listings: readonly ListingJson[];
  /** Present when more may follow: the cursor to ask with next. */
  readonly next?: string;
}

export interface InboxAnswer {
  readonly notices: readonly NoticeJson[];
  /** Present when notices were returned: the cursor to ask with next. An answer without it is the end. */
  readonly next?: string;
}

export type { HubStatus, PeerStatus, StoreHealth } from './hub-status.ts';

/** Most authors one heads or stream query may name (they travel in the URL). */
export const MAX_IDS_PER_REQUEST = 512;

/**
 * Most ids one missing or batch request may name (they travel in a JSON
 * body): a catch-up of 10,000 commits and their posts is ten requests.
 */
export const MAX_BATCH_IDS = 2048;

/** WebFinger property names under which a hub returns the pseudonym and its signed claim. */
export const WEBFINGER_PSEUDONYM = 'urn:murmur:pseudonym';
export const WEBFINGER_CLAIM = 'urn:murmur:handle-claim';
export const MURMUR_LINK_TYPE = 'application/json';
