/**
 * The sync status of each pseudonym, as the UI shows it: offline, N queued,
 * syncing (with catch-up progress), synced, or an error in words. It keeps the
 * last failure of the outbox and of each followed feed, counts the outbox,
 * and sends a 'sync' notice whenever something shown may have changed.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change, SyncStatus } from '../api/api-types.ts';
import { errorName } from '../errors.ts';
import { offlineStatus } from './offline-status.ts';

export interface SyncFailure {
  /**
   * offline: the hub could not be reached; refused: it answered
   * no; local: this device could not (locked keys, full storage).
   */
  readonly kind: 'offline' | 'refused' | 'local';
  readonly name: string;
  /** offline: the hub that could not be reached, when known. */
  readonly hub?: string;
  /** For people. */
  readonly message: string;
}

interface Entry {
  syncing: boolean;
  /** While syncing: the home hub being sent to, and since when (ms). */
  hub?: string;
  since?: number;
  failure?: SyncFailure;
  progress?: { done: number; total: number };
  /** Followed feeds being read for this pseudonym now (a follow's catch-up, a refresh that found new commits). */
  fetching: number;
  /** Followed feeds that failed to verify or fetch, by author. */
  readonly feeds: Map<PseudonymId, string>;
  /** The pseudonym's other hubs (beyond home) that our feed could not reach, by origin. */
  readonly hubs: Map<string, string>;
}

const WORDS: Partial<Record<string, string>> = {
  TooLarge: 'The hub refused something as too large.',
  BadSignature: 'The hub found a signature that does not verify.',
  FutureTimestamp: "The hub refused a post dated in the future: check this device's clock.",
  HandleTaken: 'That handle is already taken on this hub.',
  WrongHost: 'The hub serves a different address than the one this pseudonym uses.',
  // Signed requests are good once, on one hub, and not from before the hub started (PROTOCOL.md): a clock
  // behind the hub's, after its restart, looks like a replay until it catches up; sending again signs afresh.
  Replayed: "The hub took a request as sent twice (this device's clock may be behind); trying again shortly.",
  HubBusy: 'The hub is busy; trying again shortly.',
  TooManyConnections: 'The hub has too many connections open; trying again shortly.',
  TooManyStreams: 'Too many live updates are open to this hub from your network; trying again shortly.',
  BadSeq: 'The hub refused a sequence number beyond what the protocol allows.',
};

function hubOf(error: unknown): string | undefined {
  const hub = (error as { context?: { hub?: unknown } } | null)?.context?.hub;
  return typeof hub === 'string' ? hub : undefined;
}

/** A hub origin as people read it: host[:port]. */
export function hostOf(hub: string): string {
  try {
    return new URL(hub).host;
  } catch {
    return hub;
  }
}

/** Failures of this device, not of a hub: their own messages already say what to do. */
const LOCAL_FAILURES = new Set(['Locked', 'StorageFull', 'StorageError']);

/** A failure in words, classified. */
export function describeFailure(error: unknown): SyncFailure {
  const name = errorName(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (LOCAL_FAILURES.has(name)) return { kind: 'local', name, message: detail };
  if (name === 'Offline') {
    const hub = hubOf(error);
    return hub
      ? { kind: 'offline', name, hub, message: `Cannot reach ${hostOf(hub)}.` }
      : { kind: 'offline', name, message: `Cannot reach the hub (${detail}).` };
  }
  if (name === 'Conflict') return { kind: 'refused', name, message: `Could not settle with the hub: ${detail}` };
  if (name === 'HubUnavailable')
    return { kind: 'refused', name, message: `The hub is not answering properly: ${detail}` };
  return { kind: 'refused', name, message: WORDS[name] ?? `The hub refused the update (${name}): ${detail}` };
}

/** What this device found wrong in a followed feed's data, by the error's name: it refused what a hub sent. */
const REFUSED: Partial<Record<string, string>> = {
  BadSignature: 'a signature that does not verify, so it is not from the person it names',
  HashMismatch: 'data that does not match its id (altered or damaged on the way)',
  WrongAuthor: "something signed by someone other than the feed's owner",
  BadSeq: 'sequence numbers that do not add up',
  FutureTimestamp: 'a post dated in the future',
  StaleHead: 'an older version of the feed than this device holds (the newer one is kept)',
};

/**
 * A followed feed's failure in words. Data that fails this device's checks is named as refused here, with the
 * hubs it came from: the hub did not refuse it, the device did, and kept none of it.
 */
export function describeFeedFailure(error: unknown, hubs: readonly string[]): string {
  const words = REFUSED[errorName(error)];
  if (!words) return `Could not load a feed you follow: ${describeFailure(error).message}`;
  const from = hubs.map(hostOf).join(', ') || 'its hub';
  return `Refused an update of a feed you follow: ${from} sent ${words}. Nothing of it was stored.`;
}

export class SyncStatusBoard {
  readonly #entries = new Map<PseudonymId, Entry>();

  readonly #countQueued: (pseudonym: PseudonymId) => Promise<number>;
  readonly #emit: (change: Change) => void;
  readonly #isOnline: () => boolean;
  /** @param countQueued the outbox's length (core-store.ts countQueued) */
  constructor(
    countQueued: (pseudonym: PseudonymId) => Promise<number>,
    emit: (change: Change) => void,
    isOnline: () => boolean,
  ) {
    this.#countQueued = countQueued;
    this.#emit = emit;
    this.#isOnline = isOnline;
  }

  update(pseudonym: PseudonymId, patch: Partial<Omit<Entry, 'feeds' | 'hubs' | 'fetching'>>): void {
    Object.assign(this.#entry(pseudonym), patch);
    this.touch(pseudonym);
  }

  /**
   * Counts a followed feed being read until the returned function is called (once; later calls do nothing).
   * The badge says syncing all that time, not only while the walk reports progress: between a follow and its
   * first batch, "Synced" would be untrue, and a person (or a test) waiting for it would read a timeline
   * still missing the feed.
   */
  beginFetch(pseudonym: PseudonymId): () => void {
    const entry = this.#entry(pseudonym);
    entry.fetching++;
    this.touch(pseudonym);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      entry.fetching--;
      this.touch(pseudonym);
    };
  }

  /** Records (or with undefined, clears) a followed feed's failure. */
  setFeedProblem(pseudonym: PseudonymId, author: PseudonymId, message: string | undefined): void {
    const feeds = this.#entry(pseudonym).feeds;
    if (message === undefined ? !feeds.delete(author) : feeds.get(author) === message) return;
    if (message !== undefined) feeds.set(author, message);
    this.touch(pseudonym);
  }

  /** Records (or with undefined, clears) why our feed could not reach one of our other hubs. */
  setHubProblem(pseudonym: PseudonymId, hub: string, message: string | undefined): void {
    const hubs = this.#entry(pseudonym).hubs;
    if (message === undefined ? !hubs.delete(hub) : hubs.get(hub) === message) return;
    if (message !== undefined) hubs.set(hub, message);
    this.touch(pseudonym);
  }

  touch(pseudonym: PseudonymId): void {
    this.#emit({ kind: 'sync', pseudonym });
  }

  /** The last run's failure, named and classified (status() says it in words); undefined after a good run. */
  failureOf(pseudonym: PseudonymId): SyncFailure | undefined {
    return this.#entries.get(pseudonym)?.failure;
  }

  queuedCount(pseudonym: PseudonymId): Promise<number> {
    return this.#countQueued(pseudonym);
  }

  async status(pseudonym: PseudonymId): Promise<SyncStatus> {
    const queued = await this.queuedCount(pseudonym);
    const { syncing, fetching, failure, progress, feeds, hubs, hub, since } = this.#entry(pseudonym);
    if (!this.#isOnline()) return offlineStatus(queued);
    const waiting = queued > 0 ? ` ${queued} waiting to be sent.` : '';
    if (syncing || progress || fetching > 0) {
      return {
        state: 'syncing',
        queued,
        ...(progress && { progress: { ...progress } }),
        // The hub being sent to belongs to an outbox run; a feed being read alone names none.
        ...(syncing && hub && { hub }),
        ...(syncing && since !== undefined && { since }),
      };
    }
    // The device is online, so "offline" would be untrue: one hub is
    // down (or too slow to connect), and what is queued waits for it.
    if (failure?.kind === 'offline') {
      const waits =
        queued > 0
          ? ` ${queued === 1 ? 'One post waits' : `${queued} posts wait`} for it and will go out when it answers.`
          : '';
      return {
        state: 'unreachable',
        queued,
        message: `${failure.message}${waits}`,
        ...(failure.hub && { hub: failure.hub }),
      };
    }
    if (failure?.kind === 'local') return { state: 'error', queued, message: `${failure.message}${waiting}` };
    if (failure) return { state: 'error', queued, message: failure.message };
    const hubProblem = hubs.entries().next();
    if (!hubProblem.done)
      return {
        state: 'error',
        queued,
        message: `Posted to your home hub, not yet to ${hubProblem.value[0]}: ${hubProblem.value[1]}`,
      };
    const feedProblem = feeds.values().next();
    if (!feedProblem.done) return { state: 'error', queued, message: feedProblem.value };
    return { state: queued > 0 ? 'queued' : 'synced', queued };
  }

  #entry(pseudonym: PseudonymId): Entry {
    let entry = this.#entries.get(pseudonym);
    if (!entry) {
      entry = { syncing: false, fetching: 0, feeds: new Map(), hubs: new Map() };
      this.#entries.set(pseudonym, entry);
    }
    return entry;
  }
}
