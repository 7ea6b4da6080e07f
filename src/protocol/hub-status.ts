/**
 * What `GET /v1/status` answers (routes.ts names the route): the hub's
 * changes, streams and connections, its storage's health, and how it mirrors
 * each peer. For operators and tests; no client decision rests on it.
 */

/** How a hub is mirroring one peer (see GET /v1/status). */
export interface PeerStatus {
  readonly url: string;
  /**
   * 'backfilling' until the first catch-up, then 'live' while the peer's stream is open, 'offline' while it is not;
   * 'dropped' while nothing is asked of it because it broke a bound (see `dropped`).
   */
  readonly state: 'backfilling' | 'live' | 'offline' | 'dropped';
  /** The peer's change number this hub has mirrored up to. */
  readonly cursor: number;
  /** The peer's greatest change number, as last seen. */
  readonly last: number;
  /** last - cursor: changes not yet mirrored (an upper bound: superseded changes are skipped). */
  readonly behind: number;
  /** Seconds since the peer last answered; null before it ever has. */
  readonly secondsSinceContact: number | null;
  /** Heads taken from this peer, and heads (or their commits) refused as unverifiable, since start. */
  readonly mirrored: number;
  readonly refused: number;
  readonly lastError: { readonly at: string; readonly message: string } | null;
  /**
   * While dropped: which bound the peer broke (PeerTooLarge: an answer or event over its size cap;
   * PeerTooSlow: one not sent in time), when, and when it will be asked again; null otherwise.
   */
  readonly dropped: {
    readonly reason: 'PeerTooLarge' | 'PeerTooSlow';
    readonly message: string;
    readonly at: string;
    readonly retryAt: string;
  } | null;
}

export interface HubStatus {
  readonly name: string;
  readonly version: string;
  /** This hub's greatest change number. */
  readonly changes: number;
  /** Server-Sent Event streams open now. */
  readonly streams: number;
  /**
   * Connections open now, and how many of them had an answer waiting
   * that their client was not reading (cut after the stall timeout).
   */
  readonly connections: { readonly open: number; readonly stalled: number };
  readonly uptimeSeconds: number;
  readonly peers: readonly PeerStatus[];
  /** The hub's storage: what holds it ('files', 'postgres+s3', ...) and whether it answered just now. */
  readonly store: StoreHealth;
}

export interface StoreHealth {
  readonly kind: string;
  readonly ok: boolean;
  /** Why not, when not ok (never a secret: no credentials, no connection strings). */
  readonly problem?: string;
}
