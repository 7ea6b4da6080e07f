/**
 * The signed requests this hub has accepted and that are still inside the
 * clock window, so that each is good once (PROTOCOL.md, "Signed requests"):
 * per signer, nonce -> the time after which the request would be refused as
 * ClockSkew anyway and need not be remembered. The memory is in-process, so a
 * request signed before this process started is refused too: a restart
 * cannot reopen the window. Memory is bounded in total and per signer; when
 * full, new requests are refused (HubBusy, or RateLimited for the one signer
 * that filled its share) rather than a live nonce forgotten.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { REQUEST_SKEW_MS } from '../../protocol/request-auth.ts';
import type { SeenLimits } from '../hub-limits.ts';
import type { SeenRequestLedger } from './hub-store.ts';

/**
 * Defaults: about 100 bytes a nonce, so 200,000 is some 20 MB. A signer's
 * share is above what the default write rate (50/s, burst 2,000) lets it sign
 * in one 5-minute window, so an honest client never meets it.
 */
export const DEFAULT_SEEN_LIMITS: SeenLimits = { total: 200_000, perSigner: 20_000 };

export class SeenRequests {
  readonly #started: number;
  readonly #limits: SeenLimits;
  readonly #bySigner = new Map<PseudonymId, Map<string, number>>();
  #size = 0;
  /** No entry expires before this (so a sweep before it frees nothing). */
  #earliest = Infinity;
  #lastSweep: number;

  /** @param started the process start time: requests signed before it are refused. */
  constructor(started: number, limits: SeenLimits = DEFAULT_SEEN_LIMITS) {
    if (!(limits.total >= 1) || !(limits.perSigner >= 1))
      throw new RangeError('seen-request limits must be at least 1');
    this.#started = started;
    this.#limits = limits;
    this.#lastSweep = started;
  }

  /**
   * Refuses at once a request signed before this hub started (no memory
   * covers it). Needs only the ts header, so it runs before a body is read.
   * @throws ProtocolError Replayed
   */
  checkTime(ts: number): void {
    if (ts < this.#started)
      throw new ProtocolError('Replayed', 'the request was signed before this hub started; sign it again');
  }

  /**
   * Remembers `nonce` of `author` (its signature already checked), signed at
   * `ts`, until the window closes on it.
   * @throws ProtocolError Replayed (seen before, or signed before start), HubBusy (memory full), RateLimited (this
   *         signer's share full)
   */
  admit(author: PseudonymId, nonce: string, ts: number, now: number): void {
    this.checkTime(ts);
    const mine = this.#bySigner.get(author);
    if (mine?.has(nonce))
      throw new ProtocolError('Replayed', 'this signed request was already received; sign each request afresh');
    if (mine && mine.size >= this.#limits.perSigner) this.#sweepSigner(author, mine, now);
    if (mine && mine.size >= this.#limits.perSigner) {
      let first = Infinity;
      for (const expiry of mine.values()) first = Math.min(first, expiry);
      const retryAfterMs = Math.max(1, first - now + 1);
      throw new ProtocolError(
        'RateLimited',
        `too many signed requests from this pseudonym; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
        { retryAfterMs },
      );
    }
    // Full, or a window since the last sweep (so idle signers' nonces go): sweep when it can free something.
    if ((this.#size >= this.#limits.total || now - this.#lastSweep > REQUEST_SKEW_MS) && now > this.#earliest)
      this.#sweep(now);
    if (this.#size >= this.#limits.total)
      throw new ProtocolError('HubBusy', 'this hub is receiving too many signed requests; try again shortly');
    const expiry = ts + REQUEST_SKEW_MS;
    const map = mine ?? new Map<string, number>();
    if (!mine) this.#bySigner.set(author, map);
    map.set(nonce, expiry);
    this.#size += 1;
    this.#earliest = Math.min(this.#earliest, expiry);
  }

  /** Nonces remembered now (for tests and status). */
  get size(): number {
    return this.#size;
  }

  #sweepSigner(author: PseudonymId, mine: Map<string, number>, now: number): void {
    for (const [nonce, expiry] of mine) {
      if (expiry < now) {
        mine.delete(nonce);
        this.#size -= 1;
      }
    }
    if (mine.size === 0) this.#bySigner.delete(author);
  }

  #sweep(now: number): void {
    let earliest = Infinity;
    for (const [author, mine] of this.#bySigner) {
      this.#sweepSigner(author, mine, now);
      for (const expiry of mine.values()) earliest = Math.min(earliest, expiry);
    }
    this.#earliest = earliest;
    this.#lastSweep = now;
  }
}

/**
 * The SeenRequestLedger of a hub that is one process (the file and memory stores): SeenRequests in
 * memory, from the store's opening (which is the hub's start), on this process's clock.
 */
export class InProcessSeenRequests implements SeenRequestLedger {
  readonly since: number;
  readonly #seen: SeenRequests;
  readonly #now: () => number;

  constructor(limits: SeenLimits = DEFAULT_SEEN_LIMITS, now: () => number = Date.now) {
    this.since = now();
    this.#seen = new SeenRequests(this.since, limits);
    this.#now = now;
  }

  async admit(author: PseudonymId, nonce: string, ts: number): Promise<void> {
    this.#seen.admit(author, nonce, ts, this.#now());
  }

  /** Nonces remembered now (for tests). */
  get size(): number {
    return this.#seen.size;
  }
}
