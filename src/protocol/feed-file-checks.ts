/**
 * The checks a feed file reader (feed-file-reader.ts) makes of its commits
 * and objects, one commit's group at a time: what the commits read so far
 * establish (seqs for the parents rule, media written, tips), and each
 * commit with the objects after it (ids in the order it names them, roles,
 * media of its posts, its signature and its reposts' in flight).
 */
import { type SignedCommit, checkCommitInContext, decodeCommit, objectIdsOf, provenanceOf } from './commits.ts';
import { ProtocolError } from './errors.ts';
import type { Stamp } from './feed-state.ts';
import { isSealedPost } from './audience.ts';
import { type Role, blobRolesOf, decodeOwnMist } from './blob-roles.ts';
import { type FeedFileHeader, mediaSourcesOf, objectRecordId } from './feed-file.ts';
import { type CommitId, type ObjectId, hashBytes } from './ids.ts';
import type { Verify } from './keys.ts';
import { type BuiltObject, type PostObject, decodePost } from './objects.ts';

/** One commit read and verified, with its objects: the shape a store applies (workers' VerifiedCommit). */
export interface FeedFileCommitRead {
  readonly signed: SignedCommit;
  /** The objects it names, then the media of its posts first written with it, each checked against its id. */
  readonly blobs: readonly { readonly id: ObjectId; readonly bytes: Uint8Array }[];
  /** The post objects its post ops publish (by the feed's author), decoded. */
  readonly posts: readonly BuiltObject<PostObject>[];
  /** Posts its repost ops share, with the stamp of the original author's commit that published each. */
  readonly reposted?: readonly {
    readonly post: BuiltObject<PostObject>;
    readonly stamp: Stamp;
    readonly agent?: SignedCommit['commit']['agent'];
  }[];
}

/** What the checks need of the reader's options. */
export interface FeedChecksOptions {
  readonly verify: Verify;
  readonly now: number;
  readonly verified?: ReadonlySet<CommitId>;
}

/** What the file's commits so far establish: their seqs (for the parents rule), the media written, the tips. */
export class FeedChecks {
  readonly seqs = new Map<CommitId, number>();
  readonly media = new Set<ObjectId>();
  /** Every commit whose signature this read checks (its own and those its reposts name). */
  readonly signatures = new Set<CommitId>();
  readonly verified: ReadonlySet<CommitId> | undefined;
  readonly #tips = new Set<CommitId>();
  count = 0;
  readonly #header: FeedFileHeader;
  readonly #options: FeedChecksOptions;

  constructor(header: FeedFileHeader, options: FeedChecksOptions) {
    this.#header = header;
    this.#options = options;
    this.verified = options.verified;
  }

  /** @throws ProtocolError decode errors, WrongAuthor, DecodeError (a commit twice), MissingParents, BadSeq... */
  commit(bytes: Uint8Array): Group {
    const signed = decodeCommit(bytes);
    const { id, commit } = signed;
    if (commit.author !== this.#header.author)
      throw new ProtocolError(
        'WrongAuthor',
        `commit ${id} is by ${commit.author}, in the feed of ${this.#header.author}`,
      );
    if (this.seqs.has(id)) throw new ProtocolError('DecodeError', `commit ${id} appears twice`);
    // Parents first: a parent not read yet is missing, whatever comes later.
    checkCommitInContext(
      commit,
      commit.parents.map((p) => this.seqs.get(p)),
      this.#options.now,
    );
    this.seqs.set(id, commit.seq);
    for (const p of commit.parents) this.#tips.delete(p);
    this.#tips.add(id);
    this.count++;
    return new Group(signed, this, this.#options.verify);
  }

  tips(): CommitId[] {
    return [...this.#tips].sort();
  }
}

/** One commit and the object records after it. */
export class Group {
  readonly checks: Promise<unknown>[];
  readonly #signed: SignedCommit;
  readonly #named: ObjectId[];
  readonly #roles = new Map<ObjectId, Set<Role>>();
  readonly #blobs: { id: ObjectId; bytes: Uint8Array }[] = [];
  readonly #posts = new Map<ObjectId, BuiltObject<PostObject>>();
  readonly #commits = new Map<ObjectId, SignedCommit>();
  /** Media its posts name, not written earlier in the file: what may follow the named objects. */
  readonly #mediaExpected = new Set<ObjectId>();
  /** How many more objects its secret mists' sealed files may account for (one each, never named by an op). */
  #sealedFiles: number;
  readonly #feed: FeedChecks;
  readonly #verify: Verify;

  constructor(signed: SignedCommit, feed: FeedChecks, verify: Verify) {
    this.#signed = signed;
    this.#feed = feed;
    this.#verify = verify;
    this.#named = objectIdsOf(signed.commit);
    this.#sealedFiles = signed.commit.ops.filter((op) => op.type === 'mist' && op.audience !== undefined).length;
    for (const op of signed.commit.ops) {
      // A sealed post and its envelope are checked by hash only: a feed file is read without the readers' keys.
      const roles = blobRolesOf(op);
      for (const [id, role] of roles) this.#roles.set(id, (this.#roles.get(id) ?? new Set()).add(role));
    }
    this.checks = [];
    this.#check(this.#provenance(signed));
  }

  #provenance(signed: SignedCommit): Promise<unknown> {
    this.#feed.signatures.add(signed.id);
    return this.#feed.verified?.has(signed.id) ? Promise.resolve() : provenanceOf(signed, this.#verify);
  }

  /** Kept to be awaited in order; marked handled now, since a group refused meanwhile is never awaited. */
  #check(promise: Promise<unknown>): void {
    promise.catch(() => undefined);
    this.checks.push(promise);
  }

  /** @throws ProtocolError DecodeError (not expected here), HashMismatch, WrongAuthor, decode errors */
  object(payload: Uint8Array): void {
    const id = objectRecordId(payload);
    const bytes = payload.subarray(32);
    const named = this.#blobs.length < this.#named.length;
    if (named) {
      const expected = this.#named[this.#blobs.length]!;
      if (id !== expected)
        throw new ProtocolError('DecodeError', `object ${id} where ${expected}, named by ${this.#signed.id}, belongs`);
      this.#checkRoles(id, bytes);
    } else {
      // Beyond its named objects a commit carries its posts' media and its mists' files, each once in the file: a
      // public mist names its file, a secret one's is sealed inside, so each secret mist may account for one.
      const expected = this.#mediaExpected.has(id) || this.#sealedFiles-- > 0;
      if (!expected || this.#feed.media.has(id))
        throw new ProtocolError('DecodeError', `object ${id} is not named by commit ${this.#signed.id} or its posts`);
      if (hashBytes(bytes) !== id) throw new ProtocolError('HashMismatch', `media bytes do not hash to ${id}`);
      this.#feed.media.add(id);
    }
    this.#blobs.push({ id, bytes });
  }

  /** @throws ProtocolError NotFound (a named object absent), WrongAuthor (a repost not pointing at its post) */
  finish(): FeedFileCommitRead {
    const missing = this.#named.slice(this.#blobs.length);
    if (missing.length > 0)
      throw new ProtocolError('NotFound', `commit ${this.#signed.id} names ${missing[0]}, absent from the file`, {
        missing,
      });
    const posts: BuiltObject<PostObject>[] = [];
    const reposted: NonNullable<FeedFileCommitRead['reposted']>[number][] = [];
    for (const op of this.#signed.commit.ops) {
      if (op.type === 'post' && op.audience === undefined) posts.push(this.#posts.get(op.object)!);
      if (op.type !== 'repost') continue;
      const original = this.#commits.get(op.commit)!;
      const post = this.#posts.get(op.object)!;
      const index = original.commit.ops.findIndex((o) => o.type === 'post' && o.object === op.object);
      if (index < 0 || post.value.author !== original.commit.author)
        throw new ProtocolError(
          'WrongAuthor',
          `repost of ${op.object} in ${this.#signed.id} does not point at its author's commit`,
        );
      const { agent } = original.commit;
      reposted.push({ post, stamp: [original.commit.ts, original.id, index], ...(agent && { agent }) });
    }
    return { signed: this.#signed, blobs: this.#blobs, posts, ...(reposted.length > 0 && { reposted }) };
  }

  #checkRoles(id: ObjectId, bytes: Uint8Array): void {
    const roles = this.#roles.get(id) ?? new Set<Role>(['blob']);
    let hashed = false;
    for (const role of roles) {
      // A sealed post's edit is sealed under the post's content key: checked by hash here, opened where shown.
      if (role === 'version' && isSealedPost(bytes)) hashed = true;
      else if (role === 'own-post' || role === 'version' || role === 'any-post') {
        const post = this.#posts.get(id) ?? decodePost(bytes, id);
        if (role !== 'any-post' && post.value.author !== this.#signed.commit.author)
          throw new ProtocolError('WrongAuthor', `post ${id} is by ${post.value.author}, in the feed of its author`);
        this.#posts.set(id, post);
        if (role === 'own-post' && mediaSourcesOf(this.#signed.commit).includes(id))
          for (const media of post.value.media ?? []) if (!this.#feed.media.has(media)) this.#mediaExpected.add(media);
      } else if (role === 'own-mist') {
        const { content } = decodeOwnMist(bytes, id, this.#signed.commit.author).value;
        if (!this.#feed.media.has(content)) this.#mediaExpected.add(content);
      } else if (role === 'commit') {
        const signed = decodeCommit(bytes, id);
        this.#commits.set(id, signed);
        this.#check(
          this.#provenance(signed).catch((error: unknown) => {
            if (!(error instanceof ProtocolError)) throw error;
            throw new ProtocolError('BadSignature', `reposted commit ${id} does not verify: ${error.message}`);
          }),
        );
      } else hashed = true;
    }
    if (hashed && hashBytes(bytes) !== id) throw new ProtocolError('HashMismatch', `bytes do not hash to ${id}`);
  }
}
