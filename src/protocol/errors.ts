/**
 * The one error type of the protocol. Its `name` is the contract (it survives
 * comlink and HTTP, where only name and message travel); the message is for
 * people.
 */

export const PROTOCOL_ERROR_NAMES = [
  'DecodeError',
  /** A stream (a feed file, feed-file.ts) that ends before its last record: a copy cut short. */
  'Truncated',
  'NonCanonical',
  'HashMismatch',
  /** Sealed private state that fails authentication (changed, damaged, or under another key). */
  'BadCiphertext',
  'BadSignature',
  'BadDelegation',
  'DelegationExpired',
  'OutOfScope',
  'WrongAuthor',
  'BadSeq',
  'MissingParents',
  'FutureTimestamp',
  'StaleHead',
  'TooLarge',
  'TooManyOps',
  'UnknownOp',
  'InvalidField',
  'MalformedId',
  'NotFound',
  'Unauthenticated',
  'ClockSkew',
  /** A signed request the hub has already received, or one signed before the hub started (request-auth.ts). */
  'Replayed',
  'RateLimited',
  'QuotaExceeded',
  /**
   * The client's network address (an IPv4 address, an IPv6 /64) has
   * stored its budget of bytes on this hub: new keys do not reset it.
   */
  'AddressQuotaExceeded',
  /** The hub holds as many bytes as its operator allows (HTTP 507); reads still work. */
  'HubFull',
  'Forbidden',
  'HandleTaken',
  /** The recipient's inbox policy (inbox-policy.ts) does not admit this sender: the hub stored nothing. */
  'InboxClosed',
  /** An inbox policy whose seq is not above the one the hub holds. */
  'StalePolicy',
  /** A directory listing whose seq is not above the one the hub holds. */
  'StaleListing',
  /** The pseudonym retired itself on this hub (retirement.ts): it can claim nothing here again. */
  'Retired',
  'WrongHost',
  'BadRequest',
  /** Request line and headers over the hub's limit (HTTP 431). */
  'HeadersTooLarge',
  /** The request did not arrive within the hub's headers or request timeout (HTTP 408). */
  'RequestTimeout',
  'MethodNotAllowed',
  /** The hub cannot take more of something now (its memory of signed requests is full); try again shortly. */
  'HubBusy',
  /** The hub has as many connections open as it allows, from the client's address or in all (HTTP 503). */
  'TooManyConnections',
  /** The client's address has as many event streams open as the hub allows (HTTP 429). */
  'TooManyStreams',
  // Direct messages (dm.ts): met by the recipient's client, never by a hub (it holds only ciphertext).
  'Undecryptable',
  'Resealed',
  'WrongRecipient',
  'WrongSender',
  // Audiences (audience.ts): met by a reader's client, never by a hub.
  /** No slot of a post's key list opens with this pseudonym's DM key: not shared with it (or the list was changed). */
  'NotAReader',
  /** A URL fragment that should carry a link audience's secret (`#k=` and 43 base64url characters) does not. */
  'MalformedLink',
  // Mists (mists.ts): met by a reader's client.
  /** A fork deeper than the protocol allows (MIST_LIMITS.forkDepth), or one whose chain says otherwise. */
  'ForkTooDeep',
] as const;

export type ProtocolErrorName = (typeof PROTOCOL_ERROR_NAMES)[number];

export class ProtocolError extends Error {
  override readonly name: ProtocolErrorName;
  /** Extra facts for callers (for example the missing parent ids). */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(name: ProtocolErrorName, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    this.context = context;
  }
}

export function isProtocolErrorName(name: unknown): name is ProtocolErrorName {
  return typeof name === 'string' && (PROTOCOL_ERROR_NAMES as readonly string[]).includes(name);
}
