/**
 * Live heads for the pseudonym on screen: one event stream per hub naming
 * the authors that pseudonym follows on it (and itself on its home hub).
 * Switching pseudonyms closes every stream of the previous one first, so no
 * connection ever carries two pseudonyms' follow sets. A stream opens with
 * the current head of each author it names (after Last-Event-ID when it
 * resumes), so connecting is catching up; each head event naming commits we
 * lack triggers that feed's ingest, then a 'timeline' notice.
 */
import type { HeadJson } from '../../src/protocol/heads.ts';
import { type PseudonymId, isPseudonymId } from '../../src/protocol/ids.ts';
import { MAX_IDS_PER_REQUEST } from '../../src/protocol/routes.ts';
import type { FeedStore } from '../store/core-store.ts';
import { type ServerEvent, runEventStream } from '../net/event-stream.ts';
import { streamsByHub } from '../feed/catch-up-plan.ts';
import { type Feeds, withProfileHubs } from '../feed/feeds.ts';
import type { Fetch, HubClient } from '../net/hub-client.ts';
import { type KeySource, getHubsOf } from '../keys/key-source.ts';

export interface LiveDeps {
  /** The follows, and whether our own head is held (core-store.ts). */
  readonly store: FeedStore;
  readonly keys: KeySource;
  readonly fetch: Fetch;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly feeds: Feeds;
  /** Our own feed moved on the hub (another device): let the outbox pull and merge. */
  readonly ownHeadChanged: (pseudonym: PseudonymId) => void;
  /**
   * The stream to our home hub (re)connected: the hub is back, so the outbox should try now, not at its next backoff.
   */
  readonly homeConnected?: (pseudonym: PseudonymId) => void;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  /** Feeds the pseudonym blocked (private-api.ts): no stream names them. */
  readonly blocked?: (pseudonym: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
}

export class LiveFeeds {
  #active: PseudonymId | undefined;
  #controller: AbortController | undefined;
  #paused: boolean;

  readonly #deps: LiveDeps;
  /** @param online whether the page is online at start (streams wait while it is not). */
  constructor(deps: LiveDeps, online = true) {
    this.#deps = deps;
    this.#paused = !online;
  }

  /** The pseudonym whose streams run (undefined: none). The same one again changes nothing. */
  async setActive(pseudonym: PseudonymId | undefined): Promise<void> {
    if (pseudonym === this.#active && (this.#controller || this.#paused)) return;
    this.#active = pseudonym;
    await this.restart();
  }

  isActive(pseudonym: PseudonymId): boolean {
    return this.#active === pseudonym;
  }

  /** Reopens the streams (after a follow changes the author set, or coming online). */
  async restart(): Promise<void> {
    this.#controller?.abort();
    this.#controller = undefined;
    const pseudonym = this.#active;
    if (!pseudonym || this.#paused) return;
    const controller = new AbortController();
    this.#controller = controller;
    let byHub: Map<string, PseudonymId[]>;
    try {
      byHub = await this.#authorsByHub(pseudonym);
    } catch (error) {
      if (this.#controller === controller) this.#controller = undefined; // so asking again tries again
      throw error;
    }
    if (controller.signal.aborted) return;
    for (const [hub, authors] of byHub) {
      for (let i = 0; i < authors.length; i += MAX_IDS_PER_REQUEST) {
        this.#open(pseudonym, hub, authors.slice(i, i + MAX_IDS_PER_REQUEST), controller.signal);
      }
    }
  }

  /** Offline: close the streams; online again: reopen them. */
  async setPaused(paused: boolean): Promise<void> {
    if (paused === this.#paused) return;
    this.#paused = paused;
    await this.restart();
  }

  close(): void {
    this.#active = undefined;
    this.#controller?.abort();
    this.#controller = undefined;
  }

  async #authorsByHub(pseudonym: PseudonymId): Promise<Map<string, PseudonymId[]>> {
    const { home } = await getHubsOf(this.#deps.keys, pseudonym);
    const blocked = (await this.#deps.blocked?.(pseudonym)) ?? new Set<PseudonymId>();
    const follows = await withProfileHubs(this.#deps.store, await this.#deps.store.listFollows(pseudonym));
    return streamsByHub(pseudonym, home, follows, blocked);
  }

  #open(pseudonym: PseudonymId, hub: string, authors: readonly PseudonymId[], signal: AbortSignal): void {
    void runEventStream({
      fetch: this.#deps.fetch,
      url: this.#deps.hub(hub, pseudonym).streamUrl(authors),
      signal,
      ...(this.#deps.backoff && { backoff: this.#deps.backoff }),
      onEvent: (event) => this.#onEvent(pseudonym, hub, authors, event),
      ...(authors.includes(pseudonym) &&
        this.#deps.homeConnected && { onOpen: () => this.#deps.homeConnected!(pseudonym) }),
    });
  }

  /** Our own head on the hub: an echo of our push costs nothing; anything else goes to the outbox. */
  async #ownHead(pseudonym: PseudonymId, head: HeadJson): Promise<void> {
    if (!(await this.#deps.store.holdsAll(pseudonym, head.heads))) this.#deps.ownHeadChanged(pseudonym);
  }

  #onEvent(pseudonym: PseudonymId, hub: string, authors: readonly PseudonymId[], event: ServerEvent): void {
    if (event.type !== 'head') return;
    let head: HeadJson;
    try {
      head = JSON.parse(event.data) as HeadJson;
    } catch {
      return; // not JSON: nothing to verify, nothing to store (ingest verifies what is)
    }
    if (!isPseudonymId(head?.author) || !authors.includes(head.author)) return;
    if (head.author === pseudonym) {
      this.#ownHead(pseudonym, head).catch((error: unknown) =>
        console.error('murmur: could not check our own head', error),
      );
    } else void this.#deps.feeds.update(head.author, [hub], { head, forPseudonym: pseudonym });
  }
}
