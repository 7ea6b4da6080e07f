/**
 * What every write passes before the hub does any work for it: a token from
 * the client IP's bucket, then (once the writer is known and its signature
 * checked) a token from the writer pseudonym's bucket. Blob uploads and inbox
 * reads also authenticate the request itself (request-auth.ts): the signed
 * path is the request target exactly as sent (path and query) and the signed
 * body the raw body bytes; the signed host must be this hub's and the nonce
 * new (seen-requests.ts), checked before any token is taken, so a replay
 * costs its signer nothing.
 */
import type { IncomingMessage } from 'node:http';
import { ProtocolError } from '../../protocol/errors.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, checkSignedRequest } from '../../protocol/request-auth.ts';
import type { HubLimits } from '../hub-limits.ts';
import { type AddressOf, socketAddress } from '../client-address.ts';
import { RateLimiter } from './rate-limit.ts';
import { DEFAULT_SEEN_LIMITS, SeenRequests } from './seen-requests.ts';

export class WriteGuard {
  readonly #ip: RateLimiter;
  readonly #pseudonym: RateLimiter;
  readonly #verify: Verify;
  readonly #now: () => number;
  readonly #seen: SeenRequests;
  /** The hub's own host names, lower case (its configured public hosts; server.ts fills the set once listening). */
  readonly #ownHosts: ReadonlySet<string>;

  /** Requests signed before this guard is made (the hub's start) are refused as Replayed. */
  readonly #addressOf: AddressOf;

  constructor(
    limits: HubLimits,
    verify: Verify,
    now: () => number,
    ownHosts: ReadonlySet<string>,
    addressOf: AddressOf = socketAddress,
  ) {
    this.#addressOf = addressOf;
    this.#ownHosts = ownHosts;
    this.#ip = new RateLimiter(limits.perIp, 'IP address');
    this.#pseudonym = new RateLimiter(limits.perPseudonym, 'pseudonym');
    this.#verify = verify;
    this.#now = now;
    this.#seen = new SeenRequests(now(), limits.seenRequests ?? DEFAULT_SEEN_LIMITS);
  }

  /** @throws ProtocolError RateLimited */
  checkIp(req: IncomingMessage): void {
    this.#ip.check(this.#addressOf(req) || 'unknown', this.#now());
  }

  /**
   * Call only once `author`'s signature is checked, or anyone could
   * spend another's tokens. @throws ProtocolError RateLimited
   */
  checkPseudonym(author: PseudonymId): void {
    this.#pseudonym.check(author, this.#now());
  }

  /**
   * Refuses at once a request that cannot be taken whatever its body
   * (headers absent, a time too far off or before the hub started, a signed
   * host not this hub's), so a 10 MiB upload is not read first.
   * authenticate() still checks everything.
   * @throws ProtocolError Unauthenticated, ClockSkew, Replayed, WrongHost
   */
  precheck(req: IncomingMessage): void {
    const ts = req.headers[AUTH_HEADERS.ts];
    if (
      !req.headers[AUTH_HEADERS.author] ||
      !req.headers[AUTH_HEADERS.sig] ||
      !req.headers[AUTH_HEADERS.nonce] ||
      typeof ts !== 'string'
    ) {
      throw new ProtocolError(
        'Unauthenticated',
        `this request must be signed (${Object.values(AUTH_HEADERS).join(', ')} headers)`,
      );
    }
    const off = Number(ts) - this.#now();
    if (Math.abs(off) > REQUEST_SKEW_MS)
      throw new ProtocolError('ClockSkew', `request time is ${Math.round(off / 1000)} s from the hub's clock`);
    this.#seen.checkTime(Number(ts));
    const host = req.headers[AUTH_HEADERS.host];
    if (typeof host === 'string') this.#checkHost(host.toLowerCase());
  }

  /**
   * The pseudonym that signed this request, once its signature is checked,
   * its host found to be this hub and its nonce new (then remembered). Call
   * it before taking the signer's tokens: a replay is refused here, free.
   * @throws ProtocolError Unauthenticated, ClockSkew, BadSignature, WrongHost, Replayed, HubBusy, RateLimited
   */
  async authenticate(req: IncomingMessage, body: Uint8Array): Promise<PseudonymId> {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const signed = await checkSignedRequest(
      header,
      { method: req.method ?? 'GET', path: req.url ?? '/', body },
      this.#now(),
      this.#verify,
    );
    this.#checkHost(signed.host);
    this.#seen.admit(signed.author, signed.nonce, signed.ts, this.#now());
    return signed.author;
  }

  /** Signed requests remembered now (for tests). */
  get seenSize(): number {
    return this.#seen.size;
  }

  #checkHost(host: string): void {
    // The configured names, never the Host header alone: a request signed for another hub must not pass
    // here because its sender also sent that hub's name as Host.
    if (!this.#ownHosts.has(host))
      throw new ProtocolError(
        'WrongHost',
        `the request was signed for ${host}; this hub is ${[...this.#ownHosts].join(', ')}`,
      );
  }
}
