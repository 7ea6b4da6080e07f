/**
 * What one hub accepts: body sizes, storage (per pseudonym, per client
 * address, and in all), and the write rates per pseudonym and per IP address. Defaults are generous: a
 * person's client (even pushing a long offline backlog) never meets them; a
 * script flooding the hub does.
 */
import { LIMITS } from '../protocol/limits.ts';

export interface Rate {
  /** Tokens added per second; 0 turns the limit off. */
  readonly perSecond: number;
  /** Bucket size: writes allowed in one burst. */
  readonly burst: number;
}

export interface HubLimits {
  /** Largest blob, in bytes. */
  readonly blobBytes: number;
  /** Largest head, handle claim or notice body, in bytes (the protocol's own caps apply too). */
  readonly recordBytes: number;
  /** Bytes of blobs each pseudonym may be the first to upload; 0 turns quotas off. */
  readonly quotaBytes: number;
  /**
   * Bytes (blobs, heads, claims, notices) that requests from one client address (IPv4; IPv6 by /64) may newly store,
   * whatever keys sign them; 0 turns it off.
   */
  readonly addressBytes: number;
  /** Bytes the whole data folder may hold; a write past it is HubFull. 0 turns it off. */
  readonly diskBytes: number;
  /**
   * A blob batch answer stops before a frame that would take it past this (its first frame always goes); the
   * client asks again for the rest. At most BATCH_RESPONSE_BYTES, which peers and clients read at most.
   */
  readonly batchBytes: number;
  /** Writes (blob, head, claim, notice) per signing pseudonym. */
  readonly perPseudonym: Rate;
  /** Writes per client IP address, whoever signs them. */
  readonly perIp: Rate;
  /**
   * Signed requests remembered inside the clock window, so each is
   * taken once; DEFAULT_SEEN_LIMITS when absent (seen-requests.ts).
   */
  readonly seenRequests?: SeenLimits;
}

export const DEFAULT_LIMITS: HubLimits = {
  blobBytes: LIMITS.blobBytes,
  recordBytes: LIMITS.headBytes,
  quotaBytes: 1024 ** 3,
  // Four pseudonyms' worth: a household or small office behind one address has room; a script minting keys does not.
  addressBytes: 4 * 1024 ** 3,
  // Off: only the operator knows how much of the disk the hub may have (it may share it, or a volume may grow).
  diskBytes: 0,
  batchBytes: 8 * 1024 * 1024,
  perPseudonym: { perSecond: 50, burst: 2000 },
  perIp: { perSecond: 200, burst: 5000 },
};

/** `limits` over the defaults (nested rates merged field by field). */
export function withDefaults(limits: Partial<HubLimits> = {}): HubLimits {
  return {
    ...DEFAULT_LIMITS,
    ...limits,
    perPseudonym: { ...DEFAULT_LIMITS.perPseudonym, ...limits.perPseudonym },
    perIp: { ...DEFAULT_LIMITS.perIp, ...limits.perIp },
  };
}

/**
 * How long Node's HTTP server waits for a client, set here rather than left to
 * Node's defaults so they are the hub's settings (config.ts). A refusal is
 * answered by client-errors.ts (RequestTimeout).
 */
export interface HubTimeouts {
  /** Request line and headers must arrive within this (slowloris). */
  readonly headersMs: number;
  /** The whole request, body included (a 10 MiB blob on a slow link fits); at least headersMs. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: HubTimeouts = { headersMs: 20_000, requestMs: 120_000, keepAliveMs: 5_000 };

/**
 * The most a batch answer may grow to (a hub's batchBytes setting is at most this); the client asks again for the
 * rest, and a peer reads at most this much.
 */
export const BATCH_RESPONSE_BYTES = 8 * 1024 * 1024;

/** How many signed requests' nonces the hub remembers (store/seen-requests.ts). */
export interface SeenLimits {
  /** Live nonces remembered at most, all signers together. */
  readonly total: number;
  /** Live nonces remembered at most for one signer. */
  readonly perSigner: number;
}
