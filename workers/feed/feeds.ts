/**
 * Followed feeds: bringing one feed up to a head (one ingest per feed at a
 * time; a head we already hold costs nothing), refreshing everything a
 * pseudonym follows with one heads request per hub, and telling the
 * pseudonyms that see a feed when it changed. Requests made for a pseudonym
 * name only that pseudonym's follows (no batching across pseudonyms).
 */
import type { HeadJson } from '../../src/protocol/heads.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change } from '../api/api-types.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { KeySource } from '../keys/key-source.ts';
import { errorName } from '../errors.ts';
import { type IngestDeps, ingestFeed, verifiedHead } from './ingest.ts';
import { followsByHub, readHubs } from './catch-up-plan.ts';
import type { FollowRow } from '../store/db.ts';
import type { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { type SyncStatusBoard, describeFeedFailure } from '../net/sync-status.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { Slots } from '../../src/runtime/slots.ts';
import { type Backoff, backoffDelay } from '../../src/runtime/backoff.ts';

/**
 * Feeds ingested at once. A live stream opening on hundreds of followed feeds hands over every head together:
 * unbounded, each walk held all its commits in memory and stored none until nearly all were fetched. A few at a
 * time keep both verify workers and the network busy, store each feed as it is done, and bound memory.
 */
export const FEEDS_AT_ONCE = 4;

/** A first read (a follow, a lookup: someone waits for it) goes before every head heard in the background. */
const FIRST_READ = Number.MAX_SAFE_INTEGER;

/**
 * A heard head whose feed could not be fetched (Offline: a request that failed while the live stream stayed up)
 * is tried again after these waits: nothing else would bring that head again until the feed moves on or the stream
 * reconnects, and meanwhile the badge must not say synced.
 */
export const FEED_RETRY: Backoff = { baseMs: 1_000, maxMs: 60_000 };

/** Failed tries of one head after which the feed's problem is shown in words (the retries go on). */
const RETRIES_BEFORE_SHOWN = 2;

/** Storage (follows, feeds) and the local pseudonyms are parameters, as in ingest: a Node client passes its own. */
export type FeedDeps = IngestDeps & {
  readonly store: FeedStore;
  readonly keys: KeySource;
  readonly emit: (change: Change) => void;
  readonly board: SyncStatusBoard;
  readonly locks: KeyedLock;
  /** Feeds the pseudonym blocked (private-api.ts): never fetched for it. */
  readonly blocked?: (pseudonym: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
  /**
   * Each feed's catch-up as it goes (commits fetched of those it knows of), then undefined once it ended: the
   * board keeps one progress per pseudonym, and the command line shows every feed's at once.
   */
  readonly onFeedProgress?: (author: PseudonymId, progress: { done: number; total: number } | undefined) => void;
  /** A feed's newest profile now names other hubs (it moved): the live streams read it from there from now on. */
  readonly hubsMoved?: (author: PseudonymId) => void;
  /** Waits before a heard head that could not be fetched is tried again (FEED_RETRY). */
  readonly feedRetry?: Backoff;
};

/** A heard head waiting to be tried again: the timer, and the badge's fetch it holds. */
interface Retry {
  readonly timer: ReturnType<typeof setTimeout>;
  readonly endFetch: () => void;
}

/**
 * `follows` with each one's hubs as the followed feed's newest profile names them first (readHubs): where the
 * worker's refresh and live streams, and the command line's, read a followed feed from.
 */
export async function withProfileHubs<F extends Pick<FollowRow, 'target' | 'hubs'>>(
  store: Pick<FeedStore, 'findProfileField'>,
  follows: readonly F[],
): Promise<F[]> {
  return Promise.all(
    follows.map(async (f) => ({ ...f, hubs: readHubs(await store.findProfileField(f.target, 'hubs'), f.hubs) })),
  );
}

export class Feeds {
  readonly #deps: FeedDeps;
  /** How many ingests found a feed's signed hubs changed: a refresh reads the store again only after one. */
  #hubsMoves = 0;
  readonly #slots: Slots;
  readonly #retries = new Map<PseudonymId, Retry>();
  /** Failed tries of the head each feed last failed on (kept until one of its updates ends otherwise). */
  readonly #failures = new Map<PseudonymId, number>();
  #closed = false;
  constructor(deps: FeedDeps, feedsAtOnce = FEEDS_AT_ONCE) {
    this.#deps = deps;
    this.#slots = new Slots(feedsAtOnce);
  }

  /**
   * Ingests `author`'s feed up to `head` (or the newest head its hubs hold).
   * Never throws: a refusal is shown in `forPseudonym`'s status, in words.
   * @returns the number of commits added.
   */
  update(
    author: PseudonymId,
    hubs: readonly string[],
    options: { head?: HeadJson; forPseudonym: PseudonymId },
  ): Promise<number> {
    const { head, forPseudonym } = options;
    // What we held when the head arrived, read before waiting for the lock: a head older than that is rolled
    // back; one only overtaken while it waited (a newer head heard on another path) is late, and costs nothing.
    const heldWhenHeard = head ? this.#deps.store.findTips(author) : undefined;
    heldWhenHeard?.catch(() => undefined); // awaited below, inside the try
    // A first read (a follow, a lookup) is under way from now; a refresh only once it finds commits to fetch.
    let endFetch = head ? undefined : this.#deps.board.beginFetch(forPseudonym);
    return this.#deps.locks
      .run(`ingest:${author}`, async () => {
        try {
          if (head) {
            const [before, held] = await Promise.all([heldWhenHeard, this.#deps.store.findTips(author)]);
            if (held && head.seq < held.seq) {
              if (!before || head.seq >= before.seq) return 0;
              // A hub behind, or one rolling the feed back to hide later posts. Nothing of it is taken; a forgery
              // among these is named as one first.
              await verifiedHead(head, author, this.#deps.verify);
              throw new ProtocolError('StaleHead', `a head at seq ${head.seq}; this device holds seq ${before.seq}`);
            }
            if (await this.#deps.store.holdsAll(author, head.heads)) {
              this.#deps.board.setFeedProblem(forPseudonym, author, undefined);
              return 0;
            }
          }
          endFetch ??= this.#deps.board.beginFetch(forPseudonym);
          // The feed with the newest head goes first: the top of the timeline fills before older feeds.
          const added = await this.#slots.run(
            () => this.#ingest(author, hubs, head, forPseudonym),
            head?.ts ?? FIRST_READ,
          );
          this.#failures.delete(author);
          this.#cancelRetry(author); // a newer head got through: the older one waiting has nothing to add
          return added;
        } catch (error) {
          const offline = errorName(error) === 'Offline';
          const failures = offline && head ? (this.#failures.get(author) ?? 0) + 1 : 0;
          if (!offline || failures > RETRIES_BEFORE_SHOWN)
            this.#deps.board.setFeedProblem(forPseudonym, author, describeFeedFailure(error, hubs));
          if (failures > 0) this.#retryLater(author, hubs, { head: head!, forPseudonym }, failures);
          else this.#failures.delete(author);
          return 0;
        } finally {
          endFetch?.();
          this.#deps.board.update(forPseudonym, { progress: undefined });
          this.#deps.onFeedProgress?.(author, undefined);
        }
      })
      .finally(() => endFetch?.()); // also when the lock itself could not be had
  }

  /** Stops every retry waiting (the worker or the command line is closing). */
  close(): void {
    this.#closed = true;
    for (const author of [...this.#retries.keys()]) this.#cancelRetry(author);
  }

  #cancelRetry(author: PseudonymId): void {
    const retry = this.#retries.get(author);
    if (!retry) return;
    this.#retries.delete(author);
    clearTimeout(retry.timer);
    retry.endFetch();
  }

  /**
   * Tries `head` of `author` again after a wait, the badge at syncing meanwhile (until the problem is shown); a
   * newer head heard in between replaces it (the update it starts checks what is held by then).
   */
  #retryLater(
    author: PseudonymId,
    hubs: readonly string[],
    options: { head: HeadJson; forPseudonym: PseudonymId },
    failures: number,
  ): void {
    if (this.#closed) return;
    this.#failures.set(author, failures);
    this.#cancelRetry(author);
    // Until its problem is shown the badge says syncing; from then on it says the problem, and the tries go on.
    const endFetch =
      failures > RETRIES_BEFORE_SHOWN ? () => undefined : this.#deps.board.beginFetch(options.forPseudonym);
    const timer = setTimeout(
      () => {
        this.#retries.delete(author);
        void this.update(author, hubs, options).finally(endFetch);
      },
      backoffDelay(failures, this.#deps.feedRetry ?? FEED_RETRY),
    );
    this.#retries.set(author, { timer, endFetch });
  }

  /** The ingest itself, in a slot and under the feed's lock. @throws as ingestFeed */
  async #ingest(
    author: PseudonymId,
    hubs: readonly string[],
    head: HeadJson | undefined,
    forPseudonym: PseudonymId,
  ): Promise<number> {
    const hubsBefore = JSON.stringify(await this.#deps.store.findProfileField(author, 'hubs'));
    const onProgress = (done: number, total: number) => {
      this.#deps.board.update(forPseudonym, { progress: { done, total } });
      this.#deps.onFeedProgress?.(author, { done, total });
    };
    let { added } = await ingestFeed(this.#deps, author, {
      hubs,
      ...(head && { head }),
      onProgress,
      as: forPseudonym,
    });
    this.#deps.board.setFeedProblem(forPseudonym, author, undefined);
    if (added > 0) {
      await this.#notify(author);
      const signedHubs = await this.#deps.store.findProfileField(author, 'hubs');
      if (JSON.stringify(signedHubs) !== hubsBefore) {
        this.#hubsMoves++;
        this.#deps.hubsMoved?.(author);
        // A first read from where someone was found (a follow, a lookup) that reached a pointer: the rest is
        // at the new home. (A refresh, which hands a head, reads there in its own second pass.)
        const moved = readHubs(signedHubs, []).filter((h) => !hubs.includes(h));
        const more =
          !head && moved.length > 0
            ? await ingestFeed(this.#deps, author, { hubs: moved, onProgress, as: forPseudonym })
            : undefined;
        if (more && more.added > 0) {
          added += more.added;
          await this.#notify(author);
        }
      }
    }
    return added;
  }

  /**
   * Fetches the heads of every feed `pseudonym` follows (one request per hub) and ingests those that moved on; a
   * feed whose new commits name new hubs (PROTOCOL.md, Moving hubs) is then asked for there, in the same call.
   */
  async refresh(pseudonym: PseudonymId): Promise<void> {
    const blocked = (await this.#deps.blocked?.(pseudonym)) ?? new Set();
    const byHubOf = async () =>
      followsByHub(await withProfileHubs(this.#deps.store, await this.#deps.store.listFollows(pseudonym)), blocked);
    const byHub = await byHubOf();
    const movesBefore = this.#hubsMoves;
    await Promise.all([...byHub].map(([hub, authors]) => this.refreshHub(pseudonym, hub, authors)));
    // A feed that moved (what it just brought names other hubs) is read once more, from its new home.
    if (this.#hubsMoves === movesBefore) return;
    const moved = [...(await byHubOf())]
      .map(([hub, authors]) => [hub, authors.filter((a) => !byHub.get(hub)?.includes(a))] as const)
      .filter(([, authors]) => authors.length > 0);
    await Promise.all(moved.map(([hub, authors]) => this.refreshHub(pseudonym, hub, authors)));
  }

  /** One heads request to `hub` for `authors` (all followed by `pseudonym`), then the ingests. Never throws. */
  async refreshHub(pseudonym: PseudonymId, hub: string, authors: readonly PseudonymId[]): Promise<void> {
    let heads: Record<PseudonymId, HeadJson>;
    try {
      heads = await this.#deps.hub(hub, pseudonym).getHeads(authors);
    } catch {
      return; // unreachable now: the live stream retries, and the status shows connectivity
    }
    for (const author of authors) {
      const head = heads[author];
      if (head) await this.update(author, [hub], { head, forPseudonym: pseudonym });
    }
  }

  /** A 'timeline' notice for each local pseudonym that sees `author`'s posts. */
  async #notify(author: PseudonymId): Promise<void> {
    const followers = await this.#deps.store.listFollowers(author);
    const local = new Set(await this.#deps.keys.listPseudonyms());
    const seeing = new Set(followers.filter((f) => local.has(f)));
    if (local.has(author)) seeing.add(author);
    for (const pseudonym of seeing) this.#deps.emit({ kind: 'timeline', pseudonym });
  }
}
