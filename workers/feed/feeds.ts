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
};

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
  constructor(deps: FeedDeps) {
    this.#deps = deps;
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
        } catch (error) {
          if (errorName(error) !== 'Offline') {
            this.#deps.board.setFeedProblem(forPseudonym, author, describeFeedFailure(error, hubs));
          }
          return 0;
        } finally {
          endFetch?.();
          this.#deps.board.update(forPseudonym, { progress: undefined });
          this.#deps.onFeedProgress?.(author, undefined);
        }
      })
      .finally(() => endFetch?.()); // also when the lock itself could not be had
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
