/**
 * The hub client's named errors, and the one place where they are read as a
 * mirror reads them (PeerError). Everything that talks to a hub (the worker,
 * a mirroring hub, the test inspectors) meets the same names: the hub's own
 * error names (src/protocol/errors.ts) for a refusal in the protocol, plus the
 * few below for a hub that cannot be reached, answers outside the protocol, or
 * breaks a bound its client set.
 */
import type { ProtocolErrorName } from '../protocol/errors.ts';

export type HubErrorName =
  | ProtocolErrorName
  /** The hub could not be reached at all (fetch failed, or the answer was cut off). */
  | 'Offline'
  /** The hub answered with something that is not the protocol (a 5xx without a name, HTML, JSON of the wrong shape). */
  | 'HubUnavailable'
  /** The caller's signal aborted the request. */
  | 'Aborted'
  /** An answer, a blob frame or a stream event over the size the client allows. */
  | 'AnswerTooLarge'
  /** An answer not sent within the time the client allows. */
  | 'AnswerTooSlow';

export class HubError extends Error {
  override readonly name: HubErrorName;
  /** `hub` (the origin) and, for an answer, `status`. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(name: HubErrorName, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    this.context = context;
  }
}

/**
 * Why a peer failed, as a mirror decides on it. Unreachable and BadAnswer may
 * pass (a restart, a deploy) and are retried soon; PeerTooLarge and
 * PeerTooSlow mean the peer broke a bound no honest hub comes near, so it is
 * dropped and retried late (src/hub/mirror/peer.ts).
 */
export type PeerErrorReason = 'Unreachable' | 'BadAnswer' | 'PeerTooLarge' | 'PeerTooSlow';

export class PeerError extends Error {
  override readonly name = 'PeerError';
  readonly reason: PeerErrorReason;

  constructor(reason: PeerErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }

  /** True when the peer broke a size or time bound (and should be dropped, not retried at once). */
  get breaksBound(): boolean {
    return this.reason === 'PeerTooLarge' || this.reason === 'PeerTooSlow';
  }
}

/**
 * A hub client's failure as a mirror reads it: the bounds map to the peer's
 * bound reasons, an answer outside the protocol to BadAnswer, and everything
 * else (no connection, a cut-off answer, a named refusal) to Unreachable.
 * Anything that is not a HubError (a bug, an abort by the caller) is left as it is.
 */
export function peerErrorOf(error: unknown): unknown {
  if (!(error instanceof HubError) || error.name === 'Aborted') return error;
  if (error.name === 'AnswerTooLarge') return new PeerError('PeerTooLarge', error.message);
  if (error.name === 'AnswerTooSlow') return new PeerError('PeerTooSlow', error.message);
  // An error status (named or not) is a hub down or refusing for now; a 2xx of the wrong shape is a bad answer.
  const answered = error.name === 'HubUnavailable' && error.context.status === undefined;
  if (answered) return new PeerError('BadAnswer', error.message);
  if (error.name === 'Offline')
    return new PeerError('Unreachable', `${String(error.context.hub)} could not be reached (${error.message})`);
  return new PeerError('Unreachable', `${String(error.context.hub)} refused: ${error.name}: ${error.message}`);
}
