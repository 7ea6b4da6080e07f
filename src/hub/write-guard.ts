/**
 * What every write passes before the hub does any work for it: a token from
 * the client IP's bucket, then (once the writer is known and its signature
 * checked) a token from the writer pseudonym's bucket. Blob uploads and inbox
 * reads also authenticate the request itself (request-auth.ts): the signed
 * path is the request target exactly as sent (path and query) and the signed
 * body the raw body bytes.
 */
import type { IncomingMessage } from 'node:http';
import { ProtocolError } from '../protocol/errors.ts';
import type { PseudonymId } from '../protocol/ids.ts';
import type { Verify } from '../protocol/keys.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, checkSignedRequest } from '../protocol/request-auth.ts';
import type { HubLimits } from './hub-limits.ts';
import { RateLimiter } from './rate-limit.ts';

export class WriteGuard {
  readonly #ip: RateLimiter;
  readonly #pseudonym: RateLimiter;
  readonly #verify: Verify;
  readonly #now: () => number;

  constructor(limits: HubLimits, verify: Verify, now: () => number) {
    this.#ip = new RateLimiter(limits.perIp, 'IP address');
    this.#pseudonym = new RateLimiter(limits.perPseudonym, 'pseudonym');
    this.#verify = verify;
    this.#now = now;
  }

  /** @throws ProtocolError RateLimited */
  checkIp(req: IncomingMessage): void {
    this.#ip.check(req.socket.remoteAddress ?? 'unknown', this.#now());
  }

  /** Call only once `author`'s signature is checked, or anyone could spend another's tokens. @throws ProtocolError RateLimited */
  checkPseudonym(author: PseudonymId): void {
    this.#pseudonym.check(author, this.#now());
  }

  /**
   * Refuses at once a request that cannot be authenticated whatever its body
   * (headers absent, or a time too far off), so a 10 MiB upload is not read
   * first. authenticate() still checks everything.
   * @throws ProtocolError Unauthenticated, ClockSkew
   */
  precheck(req: IncomingMessage): void {
    const ts = req.headers[AUTH_HEADERS.ts];
    if (!req.headers[AUTH_HEADERS.author] || !req.headers[AUTH_HEADERS.sig] || typeof ts !== 'string') {
      throw new ProtocolError('Unauthenticated', `this request must be signed (${Object.values(AUTH_HEADERS).join(', ')} headers)`);
    }
    const off = Number(ts) - this.#now();
    if (Math.abs(off) > REQUEST_SKEW_MS) throw new ProtocolError('ClockSkew', `request time is ${Math.round(off / 1000)} s from the hub's clock`);
  }

  /**
   * The pseudonym that signed this request.
   * @throws ProtocolError Unauthenticated, ClockSkew, BadSignature
   */
  authenticate(req: IncomingMessage, body: Uint8Array): Promise<PseudonymId> {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return checkSignedRequest(header, { method: req.method ?? 'GET', path: req.url ?? '/', body }, this.#now(), this.#verify);
  }
}
