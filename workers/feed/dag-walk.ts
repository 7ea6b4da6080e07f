/**
 * Walking one feed's DAG back from a head's tips to what we already hold,
 * fetching the missing commits and the blobs their ops name in batches, and
 * verifying each: hash (decode against its id), form, signature, author;
 * posts and edits must be the feed author's; a repost must point at a commit
 * that verifies and published the post; then seq and time in DAG order. What to fetch next and when the
 * walk is done is decided by walk-schedule.ts, which does no I/O; this module runs it. Transport and storage
 * are passed in, so the walk runs the same against a hub, several hubs, or memory. It
 * returns only fully verified commits; the first failure throws a named error
 * and nothing is returned, so nothing unverified can be stored.
 */
import type { BlobEntry } from '../../src/protocol/batch.ts';
import { isSealedPost } from '../../src/protocol/audience.ts';
import {
  type SignedCommit,
  checkCommitInContext,
  decodeCommit,
  objectIdsOf,
  provenanceOf,
  verifyCommit,
} from '../../src/protocol/commits.ts';
import type { Stamp } from '../../src/protocol/feed-state.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { type BuiltObject, type PostObject, decodePost } from '../../src/protocol/objects.ts';
import type { PostOp } from '../../src/protocol/ops.ts';
import type { SealedMark, VerifiedCommit } from '../store/apply-plan.ts';
import type { OpenedPost, SealedOpener } from './sealed-posts.ts';
import { Hints } from './walk-hints.ts';
import { WalkSchedule } from './walk-schedule.ts';
import { type Role, blobRolesOf, decodeOwnMist } from '../../src/protocol/blob-roles.ts';

/** Where blobs come from: the entries found among `ids` (unchecked), others left out. */
export type BlobSource = (ids: readonly ObjectId[]) => Promise<BlobEntry[]>;

/** What is already held locally. */
export interface HeldStore {
  commitSeqs(ids: readonly CommitId[]): Promise<Map<CommitId, number>>;
  blobs(ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>>;
}

export interface WalkOptions {
  readonly author: PseudonymId;
  readonly tips: readonly CommitId[];
  /**
   * More commits of the feed believed missing (from its feed log, already
   * checked against the store by feedLogHints), in segments as they are
   * read: fetched as they come, beside the tips. One held meanwhile is
   * fetched again and skipped on apply.
   */
  readonly hints?: AsyncIterable<readonly CommitId[]>;
  readonly verify: Verify;
  readonly now: number;
  /** Ids asked for per round trip (the hub client splits further as the route requires). */
  readonly batchSize?: number;
  /** Commits believed missing (from seqs): the least total progress reports. */
  readonly expected?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Makes the opener of the feed's sealed posts for the local pseudonyms that read it (sealed-posts.ts); without
   * it none opens. Called only when a commit to store seals a post to named readers: their keys may cost a
   * passphrase's KDF to unlock, which a walk of public posts never pays.
   */
  readonly opener?: () => Promise<SealedOpener>;
}

export interface WalkResult {
  /** New commits, parents before children. */
  readonly commits: readonly VerifiedCommit[];
  /** The seq of every tip fetched or held (tips that wait are left out). */
  readonly tipSeqs: ReadonlyMap<CommitId, number>;
  /** Verified commits above a commit no source had (their parents are missing): they wait for it. */
  readonly waiting: readonly SignedCommit[];
}

/** An answer in flight: the ids asked for and the entries found. */
type Request = Promise<{ ids: ObjectId[]; entries: BlobEntry[] }>;

/**
 * Runs the walk's schedule (walk-schedule.ts, which decides what to fetch and
 * when the walk is done) against the source and the store, checking what
 * arrives.
 * @throws ProtocolError HashMismatch, BadSignature, WrongAuthor, BadSeq, FutureTimestamp, NotFound (blobs no source
 *         has), or any decode error.
 */
export async function walkFeed(source: BlobSource, held: HeldStore, options: WalkOptions): Promise<WalkResult> {
  const { author, verify } = options;
  const fetched = new Map<CommitId, SignedCommit>();
  const schedule = new WalkSchedule(options.tips, await held.commitSeqs(options.tips), options.batchSize ?? 2048);
  const checked = new Checked(author, verify);

  /** Parents not fetched: wanted, unless the store holds them. */
  const wantParents = async (parents: readonly CommitId[]) => {
    schedule.parentsLookedUp(parents, await held.commitSeqs(parents));
  };

  // Two requests in flight: the next batch travels while this one is decoded.
  const inflight: Request[] = [];
  const launch = () => {
    while (inflight.length < 2) {
      const ids = schedule.nextBatch(hints.done);
      if (!ids) return;
      const request = source(ids).then((entries) => ({ ids, entries }));
      request.catch(() => undefined); // awaited below; a walk that already failed must not leave it unhandled
      inflight.push(request);
    }
  };
  // Signatures are checked while later batches are fetched and decoded (on a verify worker where
  // there is one, verify-pool.ts): a decoded commit only says what to fetch next until its
  // signature is known, and nothing is returned before every one is.
  const signatures = new SignatureChecks(author, verify);
  // The log's segments arrive while the first ones are fetched. Until the last has, a parent no
  // segment has named yet waits (the schedule defers it) rather than being walked to one round trip at a time.
  const hints = new Hints(options.hints, (segment) => {
    schedule.hinted(segment);
    launch();
  });
  launch();
  try {
    for (;;) {
      signatures.throwIfRefused();
      hints.throwIfFailed();
      if (inflight.length === 0) {
        const step = schedule.idle(hints.done);
        if (step.type === 'done') break;
        if (step.type === 'wait-hints') await hints.arrival();
        else await wantParents(step.parents);
        launch();
        continue;
      }
      const { ids, entries } = await inflight.shift()!;
      const got = new Map<ObjectId, Uint8Array>();
      for (const e of entries) if (!got.has(e.id)) got.set(e.id, e.bytes);
      // A commit no hub has is recorded as absent: what descends from it waits (WalkResult.waiting).
      const answer = schedule.answered(ids, new Set(got.keys()));
      if (answer.missing.length > 0) {
        const { missing } = answer;
        throw new ProtocolError('NotFound', `${missing.length} blob(s) of feed ${author} are on no hub we asked`, {
          missing,
        });
      }
      // Views into the batch answer, not copies (20,000 small buffers cost a catch-up more than their bytes);
      // whatever stores bytes copies them (ownBytes), so no row ever holds a whole answer.
      // Hash and form are checked here, now; signatures are checked while the walk goes on (below).
      const round = answer.commits.map((id) => decodeCommit(got.get(id)!, id));
      for (const c of round) {
        if (c.commit.author !== author)
          throw new ProtocolError('WrongAuthor', `commit ${c.id} is by ${c.commit.author}, in the feed of ${author}`);
      }
      signatures.check(round);
      for (const c of round) fetched.set(c.id, c);
      for (const [id, roles] of answer.blobs) await checked.add(id, got.get(id)!, roles);

      const decoded = round.map((c) => ({ parents: c.commit.parents, blobs: c.commit.ops.flatMap(blobRolesOf) }));
      const needs = schedule.decoded(decoded, hints.done);
      const [heldBlobs] = await Promise.all([held.blobs(needs.lookup), wantParents(needs.parents)]);
      for (const [id, roles] of needs.named) {
        const bytes = heldBlobs.get(id);
        if (bytes) {
          await checked.add(id, bytes, roles);
          schedule.blobHeld(id, roles);
        } else schedule.blobWanted(id, roles);
      }
      const done = schedule.fetchedCount;
      options.onProgress?.(done, Math.max(options.expected ?? 0, done + schedule.wantedCount));
      launch();
    }
  } finally {
    hints.stop(); // after a refusal, no more of the log is read or fetched
  }

  await signatures.all();
  hints.throwIfFailed();
  const ordered = [...fetched.values()].sort((a, b) => a.commit.seq - b.commit.seq || (a.id < b.id ? -1 : 1));
  // Parents come before children in seq order, so one pass finds everything above an absent commit.
  const blocked = new Set<CommitId>(schedule.absent);
  const ready: SignedCommit[] = [];
  const waiting: SignedCommit[] = [];
  for (const c of ordered) {
    if (c.commit.parents.some((p) => blocked.has(p))) {
      blocked.add(c.id);
      waiting.push(c);
    } else ready.push(c);
  }
  const seqOf = (id: CommitId) => {
    return blocked.has(id) ? undefined : (fetched.get(id)?.commit.seq ?? schedule.heldSeqs.get(id));
  };
  for (const c of ready) checkCommitInContext(c.commit, c.commit.parents.map(seqOf), options.now);

  const tipSeqs = new Map<CommitId, number>();
  for (const t of options.tips) {
    const seq = seqOf(t);
    if (seq !== undefined) tipSeqs.set(t, seq);
  }
  const sealsToReaders = ready.some((c) => c.commit.ops.some((op) => op.type === 'post' && op.keys !== undefined));
  const open = sealsToReaders ? await options.opener?.() : undefined;
  return { commits: ready.map((signed) => checked.assemble(signed, open)), waiting, tipSeqs };
}

/** The signature checks of a walk's commits, in flight together; the first refusal is kept to be thrown. */
class SignatureChecks {
  readonly #pending: Promise<void>[] = [];
  #refusal: unknown;

  readonly #author: PseudonymId;
  readonly #verify: Verify;
  constructor(author: PseudonymId, verify: Verify) {
    this.#author = author;
    this.#verify = verify;
  }

  check(commits: readonly SignedCommit[]): void {
    for (const c of commits) {
      const check = provenanceOf(c, this.#verify).then(
        () => undefined,
        (error: unknown) => {
          this.#refusal ??=
            error instanceof ProtocolError && error.name === 'BadSignature'
              ? new ProtocolError('BadSignature', `commit ${c.id} is not signed by ${this.#author}`)
              : error;
        },
      );
      this.#pending.push(check);
    }
  }

  throwIfRefused(): void {
    if (this.#refusal !== undefined) throw this.#refusal;
  }

  /** @throws the first refusal, once every check has ended */
  async all(): Promise<void> {
    await Promise.all(this.#pending);
    this.throwIfRefused();
  }
}

/** The blobs checked so far, by role, and the assembly of a commit from them. */
class Checked {
  readonly #bytes = new Map<ObjectId, Uint8Array>();
  readonly #roles = new Map<ObjectId, Set<Role>>();
  readonly #posts = new Map<ObjectId, BuiltObject<PostObject>>();
  readonly #commits = new Map<ObjectId, SignedCommit>();

  readonly #author: PseudonymId;
  readonly #verify: Verify;
  constructor(author: PseudonymId, verify: Verify) {
    this.#author = author;
    this.#verify = verify;
  }

  has(id: ObjectId, role: Role): boolean {
    return this.#roles.get(id)?.has(role) ?? false;
  }

  /** @throws ProtocolError HashMismatch, WrongAuthor, BadSignature, decode errors */
  async add(id: ObjectId, bytes: Uint8Array, roles: ReadonlySet<Role>): Promise<void> {
    for (const role of roles) {
      // A sealed post's edit is sealed under its content key: opened where it is shown (timeline-rows.ts).
      if (role === 'version' && isSealedPost(bytes)) {
        if (hashBytes(bytes) !== id) throw new ProtocolError('HashMismatch', `blob bytes do not hash to ${id}`);
      } else if (role === 'own-post' || role === 'version' || role === 'any-post') {
        const post = this.#posts.get(id) ?? decodePost(bytes, id);
        if (role !== 'any-post' && post.value.author !== this.#author) {
          throw new ProtocolError(
            'WrongAuthor',
            `post ${id} is by ${post.value.author}, in the feed of ${this.#author}`,
          );
        }
        this.#posts.set(id, post);
      } else if (role === 'own-mist') {
        decodeOwnMist(bytes, id, this.#author);
      } else if (role === 'commit') {
        const signed = this.#commits.get(id) ?? decodeCommit(bytes, id);
        if (!(await verifyCommit(signed, this.#verify)))
          throw new ProtocolError('BadSignature', `reposted commit ${id} is not signed by its author`);
        this.#commits.set(id, signed);
      } else if (hashBytes(bytes) !== id) {
        throw new ProtocolError('HashMismatch', `blob bytes do not hash to ${id}`);
      }
      this.#roles.set(id, (this.#roles.get(id) ?? new Set<Role>()).add(role));
    }
    this.#bytes.set(id, bytes);
  }

  /** The commit with its checked blobs; a repost must point at a commit by the post's author that published it. */
  assemble(signed: SignedCommit, open: SealedOpener | undefined): VerifiedCommit {
    const blobs = objectIdsOf(signed.commit).map((id) => ({ id, bytes: this.#bytes.get(id)! }));
    const posts: BuiltObject<PostObject>[] = [];
    const sealed: SealedMark[] = [];
    const reposted: { post: BuiltObject<PostObject>; stamp: Stamp; agent?: SignedCommit['commit']['agent'] }[] = [];
    for (const op of signed.commit.ops) {
      if (op.type === 'post' && op.audience !== undefined) {
        const opened = open && this.#openSealed(open, op);
        const contentKey = opened?.contentKey;
        sealed.push({
          id: op.object,
          audience: op.audience,
          readers: opened?.readers ?? [],
          ...(contentKey && { contentKey }),
        });
        if (opened) posts.push(opened.post);
      } else if (op.type === 'post') posts.push(this.#posts.get(op.object)!);
      if (op.type === 'repost') {
        const original = this.#commits.get(op.commit)!;
        const post = this.#posts.get(op.object)!;
        const index = original.commit.ops.findIndex((o) => o.type === 'post' && o.object === op.object);
        if (index < 0 || post.value.author !== original.commit.author) {
          throw new ProtocolError(
            'WrongAuthor',
            `repost of ${op.object} in ${signed.id} does not point at its author's commit`,
          );
        }
        const { agent } = original.commit;
        reposted.push({ post, stamp: [original.commit.ts, original.id, index], ...(agent && { agent }) });
      }
    }
    return {
      signed,
      blobs,
      posts,
      ...(reposted.length > 0 && { reposted }),
      ...(sealed.length > 0 && { sealed }),
    };
  }

  /** @throws ProtocolError WrongAuthor (a sealed post by someone else), decode errors of the post inside */
  #openSealed(open: SealedOpener, op: PostOp): OpenedPost | undefined {
    const opened = open(op, this.#bytes.get(op.object)!, op.keys && this.#bytes.get(op.keys));
    if (opened && opened.post.value.author !== this.#author)
      throw new ProtocolError('WrongAuthor', `sealed post ${op.object} is by ${opened.post.value.author}`);
    return opened;
  }
}

/** A source asking each hub in turn for what the previous ones lacked. Offline only when every hub is. */
export function multiSource(sources: readonly BlobSource[]): BlobSource {
  return async (ids) => {
    const found: BlobEntry[] = [];
    let remaining = [...ids];
    let lastError: unknown;
    let reached = 0;
    for (const source of sources) {
      if (remaining.length === 0) break;
      try {
        const entries = await source(remaining);
        reached++;
        const want = new Set(remaining);
        for (const e of entries) if (want.delete(e.id)) found.push(e);
        remaining = [...want];
      } catch (error) {
        lastError = error;
      }
    }
    if (reached === 0 && lastError) throw lastError;
    return found;
  };
}
