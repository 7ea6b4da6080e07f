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
import { isAliasOf } from '../../protocol/hub-aliases.ts';
import type { IncomingMessage } from 'node:http';
import { ProtocolError } from '../../protocol/errors.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, checkSignedRequest } from '../../protocol/request-auth.ts';
import type { HubLimits, Rate } from '../hub-limits.ts';
import { type AddressOf, socketAddress } from '../client-address.ts';
import type { RateLedger, SeenRequestLedger } from '../store/hub-store.ts';

/** Where the guard keeps its counts: the store's, so they hold across every process of the hub. */
export interface GuardLedgers {
  readonly rates: RateLedger;
  readonly seen: SeenRequestLedger;
}

/** A hub's own names: its host[:port] names, lower case, and the wildcard of its aliases if it has them. */
export interface OwnNames {
  readonly hosts: ReadonlySet<string>;
  readonly aliases?: string | undefined;
}

export class WriteGuard {
  readonly #limits: HubLimits;
  readonly #ledgers: GuardLedgers;
  readonly #verify: Verify;
  readonly #now: () => number;
  /** The hub's own names (server.ts fills them once listening). */
  readonly #own: OwnNames;
  readonly #addressOf: AddressOf;

  /** Requests signed before `ledgers.seen.since` are refused as Replayed. */
  constructor(
    limits: HubLimits,
    ledgers: GuardLedgers,
    verify: Verify,
    now: () => number,
    own: OwnNames,
    addressOf: AddressOf = socketAddress,
  ) {
    this.#limits = limits;
    this.#ledgers = ledgers;
    this.#addressOf = addressOf;
    this.#own = own;
    this.#verify = verify;
    this.#now = now;
  }

  /** @throws ProtocolError RateLimited */
  async checkIp(req: IncomingMessage): Promise<void> {
    await this.#take(`ip ${this.#addressOf(req) || 'unknown'}`, this.#limits.perIp, 'IP address');
  }

  /**
   * Call only once `author`'s signature is checked, or anyone could
   * spend another's tokens. @throws ProtocolError RateLimited
   */
  async checkPseudonym(author: PseudonymId): Promise<void> {
    await this.#take(`pseudonym ${author}`, this.#limits.perPseudonym, 'pseudonym');
  }

  async #take(key: string, rate: Rate, what: string): Promise<void> {
    if (rate.perSecond === 0) return;
    const wait = await this.#ledgers.rates.take(key, rate);
    if (wait > 0) {
      throw new ProtocolError(
        'RateLimited',
        `too many writes from this ${what}; try again in ${Math.ceil(wait / 1000)} s`,
        {
          retryAfterMs: wait,
        },
      );
    }
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
    if (Number(ts) < this.#ledgers.seen.since)
      throw new ProtocolError('Replayed', 'the request was signed before this hub started; sign it again');
    const host = req.headers[AUTH_HEADERS.host];
    if (typeof host === 'string') this.#checkHost(host.toLowerCase());
  }

  /**
   * The pseudonym that signed this request, once its signature is checked,
   * its host found to be this hub and its nonce new (then remembered). Call
   * it before taking the signer's tokens: a replay is refused here, free.
   * @throws ProtocolError Unauthenticated, ClockSkew, BadSignature, WrongHost, Replayed, HubBusy, RateLimited
   */
  /** @param bodyHash hashBytes(body) when the caller has it (a blob upload hashes its bytes for its id anyway). */
  async authenticate(req: IncomingMessage, body: Uint8Array, bodyHash?: string): Promise<PseudonymId> {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const signed = await checkSignedRequest(
      header,
      { method: req.method ?? 'GET', path: req.url ?? '/', body, ...(bodyHash !== undefined && { bodyHash }) },
      this.#now(),
      this.#verify,
    );
    this.#checkHost(signed.host);
    await this.#ledgers.seen.admit(signed.author, signed.nonce, signed.ts);
    return signed.author;
  }

  #checkHost(host: string): void {
    // The configured names, never the Host header alone: a request signed for another hub must not pass
    // here because its sender also sent that hub's name as Host.
    const aliases = this.#own.aliases;
    if (this.#own.hosts.has(host) || (aliases !== undefined && isAliasOf(aliases, host))) return;
    const names = [...this.#own.hosts, ...(aliases ? [aliases] : [])].join(', ');
    throw new ProtocolError('WrongHost', `the request was signed for ${host}; this hub is ${names}`);
  }
}
