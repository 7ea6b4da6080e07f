/**
 * Mirroring one peer hub. Two loops:
 *
 * - pull: reads the peer's change log from our durable cursor, page by page,
 *   mirrors each head (mirror/feed.ts), and moves the cursor once a page is
 *   done. One pull runs at a time; a wake-up during a pull makes it go round
 *   again. A failure that may pass (the peer unreachable, a disk error)
 *   leaves the cursor where it was and retries with backoff; a head that
 *   cannot be verified is refused, counted, and passed over for good.
 * - follow: keeps the peer's all-authors event stream open and wakes the
 *   pull for each event (the events are only nudges: the log is the truth,
 *   so nothing is lost while the stream is down), reconnecting with backoff.
 *   Opening the stream also wakes the pull, which is how we catch up after
 *   either side restarts. A slow poll covers a stream that silently stalls.
 * - listings: with a directory to keep them in, the first pull and the first
 *   after each poll also sweep the peer's listings (mirror/listings.ts).
 * - boards: with an inbox store, the peer's boards are swept on the first
 *   pull, after each poll, and after a pull that mirrored heads
 *   (mirror/peer-boards.ts).
 *
 * A peer that breaks a bound (an answer or event too large, or too slow:
 * peer-client.ts) is dropped: both loops stop asking it anything, whatever
 * either was reading from it is cut, and it is tried again after a wait that
 * doubles with each drop (dropMinMs to dropMaxMs), so a hostile peer costs a
 * capped read now and then rather than a busy retry loop.
 */
import { ProtocolError } from '../../protocol/errors.ts';
import { type PseudonymId, isPseudonymId } from '../../protocol/ids.ts';
import { type ChangeJson, MAX_IDS_PER_REQUEST, type PeerStatus } from '../../protocol/routes.ts';
import type { DirectoryStore, InboxStore, MirrorCursor } from '../store/hub-store.ts';
import { PeerBoards } from './peer-boards.ts';
import { sweepListings } from './listings.ts';
import { type MirrorFeedDeps, mirrorHead } from './feed.ts';
import { PeerClient, PeerError } from './peer-client.ts';
import { sleep } from '../../runtime/sleep.ts';

export interface MirrorTiming {
  /** First wait after a failure, doubling up to retryMaxMs. */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  /** The change log is read this often even when the stream is quiet. */
  readonly pollMs: number;
  /** First wait after a drop (a broken bound), doubling up to dropMaxMs. */
  readonly dropMinMs: number;
  readonly dropMaxMs: number;
  /** After a pull that mirrored heads, the boards are swept again after each of these waits. */
  readonly boardFollowUpsMs?: readonly number[];
}

export const DEFAULT_MIRROR_TIMING: MirrorTiming = {
  retryMinMs: 250,
  retryMaxMs: 15_000,
  pollMs: 60_000,
  dropMinMs: 60_000,
  dropMaxMs: 3_600_000,
  boardFollowUpsMs: [1000, 4000, 15_000],
};

interface Dropped {
  readonly reason: 'PeerTooLarge' | 'PeerTooSlow';
  readonly message: string;
  readonly at: number;
  readonly until: number;
}

export interface PeerMirrorDeps extends Omit<MirrorFeedDeps, 'fetchBlobs'> {
  readonly cursor: MirrorCursor;
  /** Only these authors' heads are mirrored; undefined: all. */
  readonly authors: readonly PseudonymId[] | undefined;
  readonly timing: MirrorTiming;
  /** The largest blob this hub takes (it bounds a peer's batch answer); default the protocol's. */
  readonly blobLimit?: number;
  /** Where the peer's directory listings are kept; without it none is mirrored. */
  readonly directory?: DirectoryStore;
  /** Where the peer's boards are kept, with a durable cursor per board; without them none is mirrored. */
  readonly boards?: { readonly inbox: InboxStore; readonly openCursor: (board: PseudonymId) => Promise<MirrorCursor> };
  readonly log?: (line: string) => void;
}

export class PeerMirror {
  readonly #origin: string;
  readonly #deps: PeerMirrorDeps;
  readonly #abort = new AbortController();
  /** Aborted when the peer is dropped, cutting both loops' reads; replaced when it is tried again. */
  #session = new AbortController();
  #client: PeerClient;
  #dropped: Dropped | undefined;
  #dropMs: number;
  #lastDropEnd: number | undefined;
  readonly #authors: ReadonlySet<string> | undefined;
  readonly #poll: NodeJS.Timeout;
  readonly #following: Promise<void>;
  #pulling: Promise<void> | undefined;
  #again = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #pullRetryMs: number;
  /** Whether the next pull sweeps the peer's listings too. */
  #listingsDue = true;
  readonly #boards: PeerBoards | undefined;
  #caughtUp = false;
  #streamOpen = false;
  #last = 0;
  #contact: number | undefined;
  #mirrored = 0;
  #refused = 0;
  #lastError: { at: string; message: string } | null = null;

  constructor(origin: string, deps: PeerMirrorDeps) {
    this.#origin = origin;
    this.#deps = deps;
    this.#client = this.#newClient();
    this.#authors = deps.authors && new Set(deps.authors);
    this.#pullRetryMs = deps.timing.retryMinMs;
    this.#dropMs = deps.timing.dropMinMs;
    this.#boards =
      deps.boards &&
      new PeerBoards({
        ...deps,
        ...deps.boards,
        client: () => this.#client,
        wake: () => this.wake(),
        refuse: (author, error, what) => this.#refuse(author, error, what),
        note: (event, fields) => this.#note(event, fields),
      });
    this.#poll = setInterval(() => {
      this.#listingsDue = true;
      this.#boards?.due();
      this.wake();
    }, deps.timing.pollMs);
    this.#following = this.#follow();
    this.wake();
  }

  /** Reads the peer's change log again (now, or right after the pull under way). */
  wake(): void {
    if (this.#abort.signal.aborted || !this.#resumeIfDue()) return;
    if (this.#pulling) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#retryTimer);
    this.#pulling = this.#pull().finally(() => {
      this.#pulling = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  status(): PeerStatus {
    const cursor = this.#deps.cursor.value;
    const dropped = this.#dropped;
    return {
      url: this.#origin,
      state: dropped ? 'dropped' : !this.#caughtUp ? 'backfilling' : this.#streamOpen ? 'live' : 'offline',
      cursor,
      last: this.#last,
      behind: Math.max(0, this.#last - cursor),
      secondsSinceContact:
        this.#contact === undefined ? null : Math.round((this.#deps.now() - this.#contact) / 100) / 10,
      mirrored: this.#mirrored,
      refused: this.#refused,
      lastError: this.#lastError,
      dropped: dropped
        ? { reason: dropped.reason, message: dropped.message, at: iso(dropped.at), retryAt: iso(dropped.until) }
        : null,
    };
  }

  /** Stops both loops and waits for them; a head being stored finishes first (its writes are durable or not made). */
  async stop(): Promise<void> {
    this.#abort.abort();
    clearInterval(this.#poll);
    clearTimeout(this.#retryTimer);
    this.#boards?.stop();
    await Promise.allSettled([this.#following, this.#pulling]);
  }

  async #pull(): Promise<void> {
    const mirroredBefore = this.#mirrored;
    try {
      for (;;) {
        const since = this.#deps.cursor.value;
        const page = await this.#client.changes(since);
        this.#heard();
        this.#last = page.last;
        if (page.last < since) {
          // The peer's log restarted from scratch: read it all again (mirroring is idempotent).
          this.#note('reset', {
            message: `the peer's log ends at ${page.last}, before our cursor ${since}; reading it again from 0`,
          });
          await this.#deps.cursor.save(0);
          continue;
        }
        for (const change of page.changes) await this.#mirrorChange(change);
        if (page.next <= since) break;
        await this.#deps.cursor.save(page.next);
      }
      if (this.#listingsDue) await this.#sweepListings();
      if (this.#mirrored > mirroredBefore) this.#boards?.soon();
      await this.#sweepBoards();
      this.#caughtUp = true;
      this.#pullRetryMs = this.#deps.timing.retryMinMs;
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      if (error instanceof PeerError && error.breaksBound) return this.#drop(error);
      // Cut by a drop the stream noticed: the drop's own timer wakes us.
      if (this.#dropped) return;
      this.#failed(error);
      this.#retryTimer = setTimeout(() => this.wake(), this.#pullRetryMs);
      this.#pullRetryMs = Math.min(this.#pullRetryMs * 2, this.#deps.timing.retryMaxMs);
    }
  }

  async #mirrorChange(change: ChangeJson): Promise<void> {
    if (this.#abort.signal.aborted) throw new Error('stopped');
    const author = (change as { author?: unknown } | null)?.author;
    if (!isPseudonymId(author))
      return this.#refuse('?', new ProtocolError('MalformedId', 'the peer listed a change without an author'));
    if (this.#authors && !this.#authors.has(author)) return;
    const outcome = await mirrorHead(change.head, author, {
      ...this.#deps,
      fetchBlobs: (ids) => this.#client.fetchBlobs(ids),
    });
    if (outcome.kind === 'refused') return this.#refuse(author, outcome.error);
    await this.#boards?.learn(author);
    if (outcome.kind === 'stored') {
      this.#mirrored++;
      this.#note('mirrored', {
        author,
        seq: (change.head as { seq?: number }).seq,
        commits: outcome.commits,
        objects: outcome.objects,
        missingObjects: outcome.missingObjects,
      });
    }
  }

  /**
   * A failure here leaves the heads mirrored: said, and swept again after the next poll (a peer without a
   * directory, an older hub, answers NotFound each time). A broken bound drops the peer, as in a pull.
   */
  async #sweepListings(): Promise<void> {
    const { directory } = this.#deps;
    this.#listingsDue = false;
    if (!directory) return;
    try {
      const { stored, refused } = await sweepListings((cursor) => this.#client.listings(cursor), {
        ...this.#deps,
        directory,
        authors: this.#authors,
      });
      if (stored > 0) this.#note('listings', { stored });
      for (const { author, error } of refused) this.#refuse(author, error, 'listing');
    } catch (error) {
      if (this.#abort.signal.aborted || (error instanceof PeerError && error.breaksBound)) throw error;
      this.#failed(error);
    }
  }

  /** As a sweep of listings: a failure is said and the boards are swept again at the next pull. */
  async #sweepBoards(): Promise<void> {
    try {
      await this.#boards?.sweepIfDue();
    } catch (error) {
      if (this.#abort.signal.aborted || (error instanceof PeerError && error.breaksBound)) throw error;
      this.#failed(error);
    }
  }

  #refuse(author: string, error: ProtocolError, what = 'head'): void {
    this.#refused++;
    this.#lastError = {
      at: new Date(this.#deps.now()).toISOString(),
      message: `refused a ${what} of ${author}: ${error.name}: ${error.message}`,
    };
    this.#note('refused', { author, what, error: error.name, message: error.message });
  }

  async #follow(): Promise<void> {
    const { retryMinMs, retryMaxMs } = this.#deps.timing;
    let wait = retryMinMs;
    while (!this.#abort.signal.aborted) {
      if (this.#dropped) {
        await sleep(this.#dropped.until - this.#deps.now(), this.#abort.signal);
        this.#resumeIfDue();
        continue;
      }
      try {
        // A long authors list would pass the peer's limit per stream; then the whole stream is followed.
        const authors =
          this.#deps.authors && this.#deps.authors.length <= MAX_IDS_PER_REQUEST ? this.#deps.authors : undefined;
        await this.#client.follow(authors, {
          opened: () => {
            this.#streamOpen = true;
            this.#heard();
            wait = retryMinMs;
            this.wake();
          },
          heard: (heads) => {
            this.#heard();
            if (heads > 0) this.wake();
          },
        });
      } catch (error) {
        if (error instanceof PeerError && error.breaksBound) this.#drop(error);
        else if (!this.#abort.signal.aborted && !this.#dropped) this.#failed(error);
      }
      this.#streamOpen = false;
      if (this.#dropped) continue;
      await sleep(wait, this.#abort.signal);
      wait = Math.min(wait * 2, retryMaxMs);
    }
  }

  #newClient(): PeerClient {
    return new PeerClient(
      this.#origin,
      AbortSignal.any([this.#abort.signal, this.#session.signal]),
      this.#deps.blobLimit,
    );
  }

  /** Stops asking the peer anything until the drop's wait is over (mirror/peer.ts header). */
  #drop(error: PeerError): void {
    if (this.#dropped || this.#abort.signal.aborted) return;
    const now = this.#deps.now();
    const { dropMinMs, dropMaxMs } = this.#deps.timing;
    // A peer that kept its bounds for a long while since its last drop starts again from the shortest wait.
    if (this.#lastDropEnd !== undefined && now - this.#lastDropEnd > dropMaxMs) this.#dropMs = dropMinMs;
    const reason = error.reason as Dropped['reason'];
    this.#dropped = { reason, message: error.message, at: now, until: now + this.#dropMs };
    this.#dropMs = Math.min(this.#dropMs * 2, dropMaxMs);
    this.#session.abort();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.wake(), this.#dropped.until - now);
    this.#failed(error);
    this.#note('dropped', { reason, retryAt: iso(this.#dropped.until) });
  }

  /** @returns false while the peer is dropped and its wait is not over; resumes it (a fresh client) once it is. */
  #resumeIfDue(): boolean {
    if (!this.#dropped) return true;
    const now = this.#deps.now();
    if (now < this.#dropped.until) return false;
    this.#dropped = undefined;
    this.#lastDropEnd = now;
    this.#session = new AbortController();
    this.#client = this.#newClient();
    return true;
  }

  #heard(): void {
    this.#contact = this.#deps.now();
  }

  #failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#lastError = { at: new Date(this.#deps.now()).toISOString(), message };
    this.#note('error', { message });
  }

  #note(event: string, fields: Record<string, unknown>): void {
    this.#deps.log?.(JSON.stringify({ t: new Date().toISOString(), mirror: this.#origin, event, ...fields }));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
