/**
 * The outbox executor: runs decide() (outbox.ts) for one pseudonym at a time
 * against its home hub, then copies the feed to its other hubs
 * (replicate.ts); one run per pseudonym at once (a request during a run
 * makes one more run after it), retries with backoff while anything is
 * queued or a hub was unreachable, and keeps the sync status the UI shows.
 */
import type { HeadJson } from '../../src/protocol/heads.ts';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { type Backoff, backoffDelay } from '../../src/runtime/backoff.ts';
import { LoopPerKey } from '../../src/runtime/coalesce.ts';
import type { Change } from '../api/api-types.ts';
import type { KeyedLock } from '../../src/runtime/keyed-lock.ts';
import { CoreError, errorName } from '../errors.ts';
import { ingestFeed, verifiedHead } from '../feed/ingest.ts';
import { type OwedPointers, buildOwnHead, getHubsOf } from '../keys/key-source.ts';
import { commitMerge } from '../feed/local-commits.ts';
import { type ReplicaDeps, pushBlobs, replicateTo } from './replicate.ts';
import { leaveOwedPointers } from './pointer-retry.ts';
import { type OutboxAction, type OutboxState, type RemoteHead, decide } from './outbox.ts';
import { SyncStatusBoard, describeFailure } from '../net/sync-status.ts';

/**
 * Storage (a CoreStore), keys and hubs are parameters: the worker passes its IndexedDB store and keyring
 * (api.ts), a Node client its own (sync-node.test.ts runs this engine over the memory store).
 */
export type SyncDeps = ReplicaDeps & {
  /** Shared with every other commit path of this device (the merge is a local commit). */
  readonly locks: KeyedLock;
  readonly emit: (change: Change) => void;
  readonly retry: Backoff;
  /**
   * Runs a pass only where this tab may sync the pseudonym (leader.ts); false
   * when another tab leads it (then that tab runs it). Default: always here.
   */
  readonly gate?: (pseudonym: PseudonymId, pass: () => Promise<void>) => Promise<boolean>;
  /** Told when commits wait for the network and when nothing waits (handoff.ts: pushes with no tab open). */
  readonly handoff?: { waiting(pseudonym: PseudonymId): void; cleared(pseudonym: PseudonymId): Promise<void> };
  /** Pointers owed to hubs our feeds moved away from: tried after each run that reached home (pointer-retry.ts). */
  readonly owed?: OwedPointers;
  /**
   * Our own feed, pulled from home, brought follows or unfollows made on another device (or before a restore
   * from backup): the feeds followed now must be read and streamed, as after a follow made here.
   */
  readonly followsPulled?: (pseudonym: PseudonymId) => void;
};

/**
 * Most times in one run the hub's head moves under us (a put refused as stale)
 * before the run gives up and retries later. Steps that send our own new
 * commits do not count: with several tabs posting, commits arrive during a run
 * step after step, and that is progress, not a failure to settle (counting them
 * failed busy runs, and a retry then waited out its backoff).
 */
const MAX_STALE = 24;
/** A bound on steps of any kind, against a decide() that never ends (each step sends something). */
const MAX_STEPS = 10_000;

/** What one run has learned so far. */
interface Memory {
  remote: RemoteHead;
  /** The hub's head as received, for the pull that follows. */
  remoteJson?: HeadJson;
  readonly pushed: Set<CommitId>;
}

/** A pseudonym's retry state (its runs themselves are `SyncEngine.loops`). */
interface Run {
  attempts: number;
  timer?: ReturnType<typeof setTimeout>;
}

export class SyncEngine {
  readonly board: SyncStatusBoard;
  #online: boolean;
  #closed = false;
  readonly #runs = new Map<PseudonymId, Run>();
  /** One run per pseudonym at once; a request during a run makes one more run after it. */
  readonly #loops = new LoopPerKey<PseudonymId>(() => this.#closed);

  readonly #deps: SyncDeps;
  constructor(deps: SyncDeps, online: boolean) {
    this.#deps = deps;
    this.#online = online;
    this.board = new SyncStatusBoard(
      (p) => deps.store.countQueued(p),
      deps.emit,
      () => this.#online,
    );
  }

  isOnline(): boolean {
    return this.#online;
  }

  /** Records the page's view of connectivity; coming online syncs every pseudonym. */
  async setOnline(online: boolean): Promise<void> {
    const changed = online !== this.#online;
    this.#online = online;
    const ids = await this.#deps.keys.listPseudonyms();
    if (changed) for (const id of ids) this.board.touch(id);
    if (online) for (const id of ids) void this.request(id);
  }

  /** Pushes (and pulls our other devices' commits) now; resolves when the run ends. Never throws. */
  request(pseudonym: PseudonymId): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const run = this.#runFor(pseudonym);
    if (!this.#loops.isRunning(pseudonym)) clearTimeout(run.timer);
    return this.#loops.request(pseudonym, async () => {
      if (!this.#deps.gate) {
        await this.#runOnce(pseudonym, run);
        return true;
      }
      const ran = await this.#deps
        .gate(pseudonym, () => this.#runOnce(pseudonym, run))
        .catch((error: unknown) => {
          console.error('murmur: could not take the sync lock', error);
          return false;
        });
      return ran; // false: another tab leads this pseudonym's sync, so no more runs here
    });
  }

  /** Stops retrying and waits for the runs in flight to end. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const run of this.#runs.values()) clearTimeout(run.timer);
    await this.#loops.settled();
  }

  #runFor(pseudonym: PseudonymId): Run {
    let run = this.#runs.get(pseudonym);
    if (!run) {
      run = { attempts: 0 };
      this.#runs.set(pseudonym, run);
    }
    return run;
  }

  async #runOnce(pseudonym: PseudonymId, run: Run): Promise<void> {
    const memory: Memory = { remote: { kind: 'unknown' }, pushed: new Set() };
    let queued = -1; // unknown until the first snapshot
    try {
      const hub = (await getHubsOf(this.#deps.keys, pseudonym)).home;
      this.board.update(pseudonym, { syncing: true, hub, since: this.#deps.now() });
      let stale = 0;
      for (let step = 0; step < MAX_STEPS && stale < MAX_STALE; step++) {
        const state = await this.#loadState(pseudonym, memory);
        queued = state.queued.length;
        for (const action of decide(state)) {
          if (action.type === 'wait-online') {
            if (state.queued.length > 0) this.#deps.handoff?.waiting(pseudonym);
            return this.board.update(pseudonym, { syncing: false });
          }
          if (action.type === 'done') {
            await this.#acknowledge(pseudonym, action.ack);
            await this.#deps.handoff
              ?.cleared(pseudonym)
              .catch((error: unknown) => console.error('murmur: could not drop a sent handoff', error));
            run.attempts = 0;
            if (state.tips) await this.#replicate(pseudonym, state.tips, run);
            this.board.update(pseudonym, { syncing: false, failure: undefined });
            // After the status says synced: an old hub that does not answer is no failure of ours.
            const { owed } = this.#deps;
            if (owed) await leaveOwedPointers({ ...this.#deps, owed }, pseudonym, hub);
            return;
          }
          await this.#execute(pseudonym, action, memory);
          if (memory.remote.kind === 'stale') stale++;
        }
      }
      throw new CoreError(
        'Conflict',
        "sync did not settle (our feed's head kept moving on the hub); trying again shortly",
      );
    } catch (error) {
      const failure = describeFailure(error);
      this.board.update(pseudonym, { syncing: false, failure });
      // Retry while anything is queued, and while the hub is unreachable (so the status recovers by itself).
      if (queued !== 0 || failure.kind === 'offline') this.#scheduleRetry(pseudonym, run);
      if (queued > 0 && failure.kind === 'offline') this.#deps.handoff?.waiting(pseudonym);
    }
  }

  /** Copies our tips to each other hub; a hub that held commits of ours we lacked makes one more run (to merge). */
  async #replicate(pseudonym: PseudonymId, tips: { heads: readonly CommitId[]; seq: number }, run: Run): Promise<void> {
    let failed = false;
    const { home, others } = await getHubsOf(this.#deps.keys, pseudonym);
    for (const hub of others) {
      try {
        if ((await replicateTo(this.#deps, pseudonym, home, hub, tips)) === 'pulled') this.#loops.again(pseudonym);
        this.board.setHubProblem(pseudonym, hub, undefined);
      } catch (error) {
        failed = true;
        this.board.setHubProblem(pseudonym, hub, describeFailure(error).message);
      }
    }
    if (failed) this.#scheduleRetry(pseudonym, run);
  }

  #scheduleRetry(pseudonym: PseudonymId, run: Run): void {
    if (this.#closed || !this.#online) return;
    run.attempts++;
    const delay = backoffDelay(run.attempts, this.#deps.retry);
    clearTimeout(run.timer);
    run.timer = setTimeout(() => void this.request(pseudonym), delay);
  }

  /** Tips and outbox in one snapshot, so a commit is never queued but missing from the tips we judge. */
  async #loadState(pseudonym: PseudonymId, memory: Memory): Promise<OutboxState> {
    const { tips, queued } = await this.#deps.store.readOutbox(pseudonym);
    return {
      online: this.#online,
      queued,
      tips,
      remote: memory.remote,
      pushed: memory.pushed,
    };
  }

  async #execute(pseudonym: PseudonymId, action: OutboxAction, memory: Memory): Promise<void> {
    const { store, keys } = this.#deps;
    const { home } = await getHubsOf(keys, pseudonym);
    const hub = this.#deps.hub(home, pseudonym);
    switch (action.type) {
      case 'fetch-head': {
        const json = (await hub.getHeads([pseudonym]))[pseudonym];
        if (!json) {
          memory.remote = { kind: 'none' };
          return;
        }
        const { head } = await verifiedHead(json, pseudonym, this.#deps.verify);
        const held = await store.findCommitSeqs(pseudonym, head.heads);
        memory.remote = { kind: 'head', heads: head.heads, seq: head.seq, held: held.size === head.heads.length };
        memory.remoteJson = json;
        return;
      }
      case 'pull': {
        const result = await ingestFeed(this.#deps, pseudonym, {
          hubs: [home],
          as: pseudonym,
          ...(memory.remoteJson && { head: memory.remoteJson }),
          onProgress: (done, total) => this.board.update(pseudonym, { progress: { done, total } }),
        });
        this.board.update(pseudonym, { progress: undefined });
        if (result.added > 0) this.#deps.emit({ kind: 'timeline', pseudonym });
        if (result.follows > 0) this.#deps.followsPulled?.(pseudonym);
        // The hub's head is held now: our tips cover it (merge or put-head comes next).
        if (memory.remote.kind === 'head') memory.remote = { ...memory.remote, held: true };
        return;
      }
      case 'push-blobs': {
        const logs = await store.appendOwnLog(pseudonym, action.commits);
        // The commit ids go in as such too: one missing from this device must fail loudly, not be skipped.
        await pushBlobs(this.#deps, pseudonym, home, await store.findCommits(pseudonym, action.commits), [
          ...action.commits,
          ...logs,
        ]);
        for (const id of action.commits) memory.pushed.add(id);
        return;
      }
      case 'merge':
        await commitMerge(this.#deps, pseudonym);
        return;
      case 'put-head': {
        const log = await store.findOwnLog(pseudonym);
        const signed = await buildOwnHead(keys, pseudonym, {
          heads: action.heads,
          seq: action.seq,
          ts: this.#deps.now(),
          ...(log && { log }),
        });
        try {
          await hub.putHead(pseudonym, signed.bytes);
          memory.remote = { kind: 'head', heads: action.heads, seq: action.seq, held: true };
        } catch (error) {
          if (errorName(error) !== 'StaleHead') throw error;
          memory.remote = { kind: 'stale' };
        }
        return;
      }
      default:
        throw new TypeError(`not an executable action: ${action.type}`);
    }
  }

  async #acknowledge(pseudonym: PseudonymId, ack: readonly CommitId[]): Promise<void> {
    if (ack.length === 0) return;
    await this.#deps.store.acknowledge(pseudonym, ack);
    this.#deps.emit({ kind: 'timeline', pseudonym });
  }
}
