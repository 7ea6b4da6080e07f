/**
 * The DAG walk's scheduling (dag-walk.ts runs it): what is wanted, what to
 * ask for in the next request, and when the walk is done, from what is known
 * (the tips, ids the store holds, commits fetched and their parents, blobs
 * their ops name, the feed log's hints). No I/O: the walk fetches, looks up
 * the store, decodes and verifies, and tells the schedule what it learned.
 *
 * Invariants (walk-schedule.test.ts checks them on random DAGs, held sets,
 * hints, absent commits and answer orders):
 * - every commit the tips and hints lead to that is not held is asked for,
 *   once; none known to be held is; a commit no source has is recorded as
 *   absent and its parents are not walked from it;
 * - a request holds at most `batchSize` distinct ids, blobs first (their
 *   commits wait for them); while hints are still arriving it holds at least
 *   a quarter of that, so a short catch-up is one request, not several;
 * - a parent is looked up in the store once it is named and, while hints are
 *   arriving, only when nothing is in flight (a hint will likely name it);
 * - the walk is done when nothing is wanted, in flight, deferred or hinted.
 */
import type { CommitId, ObjectId } from '../../src/protocol/ids.ts';

import type { Role } from '../../src/protocol/blob-roles.ts';

export type { Role };

/** What an answered request holds for the walk to check: commits to decode, blobs with the roles to check them in. */
export interface Answer {
  readonly commits: readonly CommitId[];
  readonly blobs: readonly (readonly [ObjectId, ReadonlySet<Role>])[];
  /** Blobs asked for that no source had: the walk cannot complete. */
  readonly missing: readonly ObjectId[];
}

/** A decoded commit, as far as scheduling goes: its parents and the blobs its ops name. */
export interface RoundCommit {
  readonly parents: readonly CommitId[];
  readonly blobs: readonly (readonly [ObjectId, Role])[];
}

/** What a round of decoded commits leads to: parents to look up in the store, blobs to look up or fetch. */
export interface RoundNeeds {
  readonly parents: readonly CommitId[];
  /** Blobs named in new roles, by role; each is then either held (blobsHeld) or fetched (blobsWanted). */
  readonly named: ReadonlyMap<ObjectId, Set<Role>>;
  /** Of `named`, the ids worth asking the store for (a feed's own posts almost never are). */
  readonly lookup: readonly ObjectId[];
}

/** What to do when nothing is in flight. */
export type IdleStep =
  | { readonly type: 'wait-hints' }
  | { readonly type: 'look-up'; readonly parents: readonly CommitId[] }
  | { readonly type: 'done' };

export class WalkSchedule {
  /** Seqs of commits known to be held (tips and parents looked up), for the walk's checks in context. */
  readonly heldSeqs: Map<CommitId, number>;
  /** Commits no source had: what descends from them waits. */
  readonly absent = new Set<CommitId>();
  readonly #batchSize: number;
  readonly #fetched = new Set<CommitId>();
  readonly #wantCommits: Set<CommitId>;
  readonly #wantBlobs = new Map<ObjectId, Set<Role>>();
  /** Blob roles already checked (fetched or held), so a blob named again in that role is not asked for. */
  readonly #resolved = new Map<ObjectId, Set<Role>>();
  // What is wanted and not asked for yet, in the order it became wanted: a batch is taken from
  // these, not found by scanning everything wanted (most of it in flight) at every launch.
  readonly #unaskedCommits: Set<ObjectId>;
  readonly #unaskedBlobs = new Set<ObjectId>();
  readonly #requested = new Set<ObjectId>();
  /** Parents named while hints were arriving, looked up once nothing is in flight. */
  readonly #deferred = new Set<CommitId>();

  /** @param heldSeqs the seqs of the tips the store holds (the schedule keeps and extends this map) */
  constructor(tips: readonly CommitId[], heldSeqs: Map<CommitId, number>, batchSize: number) {
    this.heldSeqs = heldSeqs;
    this.#batchSize = batchSize;
    this.#wantCommits = new Set(tips.filter((id) => !heldSeqs.has(id)));
    this.#unaskedCommits = new Set<ObjectId>(this.#wantCommits);
  }

  /** Commits fetched so far. */
  get fetchedCount(): number {
    return this.#fetched.size;
  }

  /** Commits wanted and not yet answered. */
  get wantedCount(): number {
    return this.#wantCommits.size;
  }

  /** A segment of the feed log's hints: the ids not fetched or known held become wanted. */
  hinted(segment: readonly CommitId[]): void {
    for (const id of segment) if (!this.#fetched.has(id) && !this.heldSeqs.has(id)) this.#wantCommit(id);
  }

  /**
   * The ids of the next request, now marked in flight; undefined when none is
   * worth sending (nothing unasked, or too few while hints still arrive).
   */
  nextBatch(hintsDone: boolean): ObjectId[] | undefined {
    const ids: ObjectId[] = [];
    this.#take(ids, this.#unaskedBlobs, this.#wantBlobs); // blobs first: their commits wait for them
    this.#take(ids, this.#unaskedCommits, this.#wantCommits);
    // While the log is still arriving, only a batch worth a request goes (a short catch-up is one request,
    // not several).
    if (ids.length === 0 || (!hintsDone && ids.length < this.#batchSize / 4)) return undefined;
    for (const id of ids) {
      this.#requested.add(id);
      this.#unaskedBlobs.delete(id);
      this.#unaskedCommits.delete(id);
    }
    return ids;
  }

  /**
   * A request answered with the ids in `got`. A commit no source had is
   * recorded as absent; answered commits count as fetched from here on (the
   * walk decodes them next, or fails). When `missing` is not empty the walk
   * must fail, and the rest of the answer is left out.
   */
  answered(ids: readonly ObjectId[], got: ReadonlySet<ObjectId>): Answer {
    for (const id of ids) this.#requested.delete(id);
    for (const id of ids) if (!got.has(id) && this.#wantCommits.delete(id)) this.absent.add(id);
    const missing = ids.filter((id) => !got.has(id) && !this.absent.has(id));
    if (missing.length > 0) return { commits: [], blobs: [], missing };
    const commits: CommitId[] = [];
    const blobs: [ObjectId, Set<Role>][] = [];
    for (const id of ids) {
      if (this.absent.has(id)) continue;
      if (this.#wantCommits.delete(id)) {
        commits.push(id);
        this.#fetched.add(id);
      } else {
        const roles = this.#wantBlobs.get(id)!;
        blobs.push([id, roles]);
        this.#wantBlobs.delete(id);
        this.#resolve(id, roles);
      }
    }
    return { commits, blobs, missing: [] };
  }

  /**
   * The commits of an answered request, decoded (and their blobs checked):
   * their parents not fetched, wanted or known held are to be looked up (or,
   * while hints arrive, deferred: then `parents` is empty), and the blobs they
   * name in roles not yet checked are wanted (roles join a blob already wanted).
   */
  decoded(round: readonly RoundCommit[], hintsDone: boolean): RoundNeeds {
    const parents = new Set<CommitId>();
    const named = new Map<ObjectId, Set<Role>>();
    for (const c of round) {
      for (const p of c.parents) {
        if (!this.#fetched.has(p) && !this.#wantCommits.has(p) && !this.heldSeqs.has(p)) parents.add(p);
      }
      for (const [id, role] of c.blobs) {
        if (this.#resolved.get(id)?.has(role)) continue;
        const pending = this.#wantBlobs.get(id);
        if (pending) pending.add(role);
        else named.set(id, (named.get(id) ?? new Set<Role>()).add(role));
      }
    }
    // A feed's own posts and mists arrive with its commits and are almost never held already: asking the store
    // first would cost a read per commit to save a rare second fetch.
    const ownOnly = (roles: Set<Role>) =>
      [...roles].every((r) => r === 'own-post' || r === 'version' || r === 'own-mist');
    const lookup = [...named].filter(([, roles]) => !ownOnly(roles)).map(([id]) => id);
    if (!hintsDone) {
      for (const p of parents) this.#deferred.add(p);
      parents.clear();
    }
    return { parents: [...parents], named, lookup };
  }

  /** What the store said of parents looked up: held ones are known, the others wanted. */
  parentsLookedUp(parents: readonly CommitId[], seqs: ReadonlyMap<CommitId, number>): void {
    for (const p of parents) {
      const seq = seqs.get(p);
      if (seq === undefined) this.#wantCommit(p);
      else this.heldSeqs.set(p, seq);
    }
  }

  /** A named blob the store held, checked in `roles`. */
  blobHeld(id: ObjectId, roles: ReadonlySet<Role>): void {
    this.#resolve(id, roles);
  }

  /** A named blob the store lacked: to be fetched for `roles`. */
  blobWanted(id: ObjectId, roles: Set<Role>): void {
    this.#wantBlobs.set(id, roles);
    this.#unaskedBlobs.add(id);
  }

  /** With nothing in flight and no batch worth sending: wait for hints, look up deferred parents, or end. */
  idle(hintsDone: boolean): IdleStep {
    if (!hintsDone) return { type: 'wait-hints' };
    if (this.#deferred.size === 0) return { type: 'done' };
    const parents = [...this.#deferred].filter((p) => !this.#fetched.has(p) && !this.#wantCommits.has(p));
    this.#deferred.clear();
    return { type: 'look-up', parents };
  }

  #wantCommit(id: CommitId): void {
    if (this.#wantCommits.has(id)) return;
    this.#wantCommits.add(id);
    this.#unaskedCommits.add(id);
  }

  #resolve(id: ObjectId, roles: ReadonlySet<Role>): void {
    const known = this.#resolved.get(id) ?? new Set<Role>();
    for (const role of roles) known.add(role);
    this.#resolved.set(id, known);
  }

  #take(ids: ObjectId[], unasked: Set<ObjectId>, wanted: { has(id: ObjectId): boolean }): void {
    for (const id of unasked) {
      if (ids.length === this.#batchSize) return;
      if (!wanted.has(id))
        unasked.delete(id); // held after all, or arrived in another role
      else if (!this.#requested.has(id)) ids.push(id);
      // else in flight in another role (a feed reposting its own commit): asked again once that answers
    }
  }
}
