/**
 * The inbox side's scheduler: for each pseudonym, one delivery run and one
 * inbox pull at a time (a request during a run makes one more run), a poll
 * of the shown pseudonym's inbox while online, and retries of queued
 * deliveries with backoff. Changes go out as 'notifications' / 'messages'
 * notices carrying the pseudonym id only. After a pull of the shown
 * pseudonym that brought something new (or its first this session), the
 * people it met there are named (people.ts) in a run of their own.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type Backoff, backoffDelay } from '../../src/runtime/backoff.ts';
import { RunPerKey } from '../../src/runtime/coalesce.ts';
import type { Change } from '../api/api-types.ts';
import { type DeliveryDeps, deliverQueued } from './deliveries.ts';
import { errorName } from '../errors.ts';
import { type InboxDeps, type PullResult, pullInbox } from './inbox-pull.ts';
import { type PeopleDeps, type PersonMet, fetchPeople, fetchToName } from './people.ts';

export interface MessagingDeps extends InboxDeps, DeliveryDeps, PeopleDeps {
  readonly emit: (change: Change) => void;
  /** How often the shown pseudonym's inbox is pulled (ms). */
  readonly pollMs: number;
  readonly retry: Backoff;
}

export class Messaging {
  #online: boolean;
  #shown: PseudonymId | undefined;
  #poll: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** One delivery run and one pull per pseudonym at a time; a call during a run shares one more run after it. */
  readonly #runs = new RunPerKey<string>();
  readonly #retries = new Map<PseudonymId, { timer: ReturnType<typeof setTimeout>; attempts: number }>();
  /** Pseudonyms whose people were named after a pull this session (later pulls name only what is new). */
  readonly #named = new Set<PseudonymId>();

  readonly #deps: MessagingDeps;
  constructor(deps: MessagingDeps, online: boolean) {
    this.#deps = deps;
    this.#online = online;
  }

  /** Sends `owner`'s queued notices and messages now (when online). Never throws. */
  deliver(owner: PseudonymId): Promise<void> {
    return this.#runs
      .run(`deliver:${owner}`, async () => {
        if (!this.#online || this.#closed) return;
        const result = await deliverQueued(this.#deps, owner);
        if (result.dmChanged || result.delivered > 0) this.#deps.emit({ kind: 'messages', pseudonym: owner });
        if (result.remaining) this.#scheduleRetry(owner);
        else this.#retries.delete(owner);
      })
      .catch((error: unknown) => {
        // A run that close() cut short (its database closed under it) leaves the rest queued for the next start.
        if (!this.#closed) console.error('murmur: delivering notices failed', error);
      });
  }

  /** Pulls `owner`'s inbox now. @throws CoreError Offline, ... (for refreshInbox to show) */
  async pull(owner: PseudonymId): Promise<PullResult> {
    const result = await this.#runs.run(`pull:${owner}`, () => pullInbox(this.#deps, owner));
    if (result.notifications > 0) this.#deps.emit({ kind: 'notifications', pseudonym: owner });
    if (result.messages > 0) this.#deps.emit({ kind: 'messages', pseudonym: owner });
    // Only the shown pseudonym's people are fetched: a pull for another (a sync pass) asks no hub about them.
    if (owner === this.#shown && (result.notifications > 0 || result.messages > 0 || !this.#named.has(owner))) {
      this.#named.add(owner);
      void this.#namePeople(owner);
    }
    return result;
  }

  /** Fetches the feeds of the people `owner` met in its inbox and cannot name yet (people.ts). Never throws. */
  #namePeople(owner: PseudonymId): Promise<void> {
    return this.#runs
      .run(`names:${owner}`, async () => {
        if (!this.#online || this.#closed) return;
        const named = await fetchPeople(this.#deps, owner);
        if (named.length === 0) return;
        for (const pseudonym of named) this.#deps.emit({ kind: 'profile', pseudonym });
        this.#deps.emit({ kind: 'notifications', pseudonym: owner });
        this.#deps.emit({ kind: 'messages', pseudonym: owner });
      })
      .catch((error: unknown) => {
        if (errorName(error) !== 'Offline') console.warn('murmur: could not fetch the profiles of people met', error);
      });
  }

  /**
   * Fetches the feeds of people `owner` met elsewhere (a hive's members) and cannot name yet, at most a few a run
   * (people.ts). Never throws.
   */
  nameMet(owner: PseudonymId, met: readonly PersonMet[]): Promise<void> {
    return this.#runs
      .run(`names-met:${owner}`, async () => {
        if (!this.#online || this.#closed) return;
        const named = await fetchToName(this.#deps, owner, met);
        for (const pseudonym of named) this.#deps.emit({ kind: 'profile', pseudonym });
      })
      .catch((error: unknown) => {
        // A run cut by the device closing (its database gone) has nothing left to say.
        if (this.#closed) return;
        if (errorName(error) !== 'Offline') console.warn('murmur: could not fetch the profiles of people met', error);
      });
  }

  setShown(owner: PseudonymId | undefined): void {
    this.#shown = owner;
    this.#restartPoll();
  }

  setOnline(online: boolean, owners: readonly PseudonymId[]): void {
    this.#online = online;
    this.#restartPoll();
    if (online) for (const owner of owners) void this.deliver(owner);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#poll);
    for (const r of this.#retries.values()) clearTimeout(r.timer);
  }

  #restartPoll(): void {
    clearInterval(this.#poll);
    this.#poll = undefined;
    const owner = this.#shown;
    if (!owner || !this.#online || this.#closed) return;
    const tick = () => {
      this.pull(owner).catch((error: unknown) => {
        if (errorName(error) !== 'Offline') console.warn('murmur: could not read the inbox', error);
      });
      void this.deliver(owner);
    };
    tick();
    this.#poll = setInterval(tick, this.#deps.pollMs);
  }

  #scheduleRetry(owner: PseudonymId): void {
    const held = this.#retries.get(owner);
    if (held && !this.#closed) clearTimeout(held.timer);
    if (this.#closed) return;
    const attempts = (held?.attempts ?? 0) + 1;
    const delay = backoffDelay(attempts, this.#deps.retry);
    this.#retries.set(owner, { attempts, timer: setTimeout(() => void this.deliver(owner), delay) });
  }
}
