/**
 * Reading a feed file (feed-file.ts, PROTOCOL.md "Feed files") as it streams
 * in: every record checked as it arrives, every commit verified as a hub's
 * would be on the way in (hash, form, author, signature or delegation, its
 * parents earlier in the file and its seq after them, no future time), every
 * object against its id and role (posts of the feed's author, a repost's
 * commit signed by its author and publishing the post), and at the end the
 * sha256 of every byte. It holds one commit's objects at a time and the ids
 * and seqs of the commits read, never the file.
 *
 * Nothing is known good until the `end` item: a caller applies after it (or
 * reads the file twice: once to verify, once to apply).
 */
import { bytesEqual } from './bytes.ts';
import { ChunkReader } from './chunk-reader.ts';
import { type SignedCommit, checkCommitInContext, decodeCommit, objectIdsOf, provenanceOf } from './commits.ts';
import { ProtocolError } from './errors.ts';
import type { Stamp } from './feed-state.ts';
import {
  FEED_FILE_LIMITS,
  FEED_FILE_MAGIC,
  type FeedFileHeader,
  type NewHasher,
  RECORD,
  RECORD_PREFIX_BYTES,
  decodeFeedFileHeader,
  defaultHasher,
  mediaSourcesOf,
  objectRecordId,
} from './feed-file.ts';
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

export type FeedFileItem =
  | { readonly kind: 'header'; readonly header: FeedFileHeader }
  /** The app's backup file of the key, as written (decoding it needs the passphrase: workers/keys/backup.ts). */
  | { readonly kind: 'key'; readonly bytes: Uint8Array }
  /** The sealed private state (private-seal.ts openPrivate with the pseudonym's derived key). */
  | { readonly kind: 'private'; readonly bytes: Uint8Array }
  | { readonly kind: 'commit'; readonly index: number; readonly commit: FeedFileCommitRead }
  /** The whole file checked: the commits no other commit of the file names. */
  | { readonly kind: 'end'; readonly commits: number; readonly tips: readonly CommitId[] };

export interface ReadFeedFileOptions {
  readonly verify: Verify;
  /** The reader's clock, for the future-time rule. */
  readonly now: number;
  readonly newHasher?: NewHasher;
  /**
   * Commits whose signatures may be checked at once: verifiers that work off the calling thread (WebCrypto in
   * Node) then overlap with decoding, as verifyCommits' batches do.
   */
  readonly window?: number;
}

const MAGIC_TEXT = 'a Murmur feed file (it starts with "murmur-feed")';

/**
 * Reads and verifies a feed file, yielding its parts in file order.
 * @throws ProtocolError for the first damage found: Truncated, DecodeError (not a feed file, records out of
 *   order, an unexpected object), TooLarge, HashMismatch (an object, or the file's checksum), WrongAuthor,
 *   BadSignature, BadDelegation, DelegationExpired, OutOfScope, MissingParents, BadSeq, FutureTimestamp,
 *   NotFound (a named object absent), or a decode error of a commit, post or header
 */
export async function* readFeedFile(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadFeedFileOptions,
): AsyncGenerator<FeedFileItem> {
  const reader = new ChunkReader(chunks);
  const hasher = (options.newHasher ?? defaultHasher)();
  const window = options.window ?? 64;
  try {
    const magic = await reader.read(FEED_FILE_MAGIC.length).catch(() => new Uint8Array());
    if (!bytesEqual(magic, FEED_FILE_MAGIC)) throw new ProtocolError('DecodeError', `this is not ${MAGIC_TEXT}`);
    hasher.update(magic);
    const next = async () => {
      const prefix = await reader.read(RECORD_PREFIX_BYTES);
      const kind = prefix[0]!;
      const length = new DataView(prefix.buffer).getUint32(1);
      const limit = limitOf(kind);
      if (length > limit)
        throw new ProtocolError('TooLarge', `a record of ${length} bytes; the limit for its kind is ${limit}`);
      const payload = await reader.read(length);
      if (kind !== RECORD.end) {
        hasher.update(prefix);
        hasher.update(payload);
      }
      return { kind, payload };
    };

    let record = await next();
    if (record.kind !== RECORD.header) throw new ProtocolError('DecodeError', 'a feed file starts with its header');
    const header = decodeFeedFileHeader(record.payload);
    yield { kind: 'header', header };
    record = await next();
    if (record.kind === RECORD.key) {
      yield { kind: 'key', bytes: record.payload };
      record = await next();
    }
    if (record.kind === RECORD.private) {
      yield { kind: 'private', bytes: record.payload };
      record = await next();
    }

    const feed = new FeedChecks(header, options);
    const inflight: { item: FeedFileItem; check: Promise<unknown> }[] = [];
    let group: Group | undefined;
    const close = () => {
      if (!group) return;
      const item = group.finish();
      const check = Promise.all(group.checks);
      check.catch(() => undefined); // awaited in order below; one that fails while others wait is not unhandled
      inflight.push({ item: { kind: 'commit', index: feed.count - 1, commit: item }, check });
      group = undefined;
    };
    for (;;) {
      if (record.kind === RECORD.commit) {
        close();
        group = feed.commit(record.payload);
      } else if (record.kind === RECORD.object) {
        if (!group) throw new ProtocolError('DecodeError', 'an object record before any commit');
        group.object(record.payload);
      } else if (record.kind === RECORD.end) {
        close();
        break;
      } else {
        throw new ProtocolError('DecodeError', `a record of kind ${record.kind} among the commits`);
      }
      while (inflight.length > window) {
        const first = inflight.shift()!;
        await first.check;
        yield first.item;
      }
      record = await next();
    }
    if (!bytesEqual(record.payload, hasher.digest()))
      throw new ProtocolError('HashMismatch', 'the file does not match its checksum: it was changed or damaged');
    if (!(await reader.atEnd())) throw new ProtocolError('DecodeError', 'bytes after the end record');
    if (feed.count !== header.commits)
      throw new ProtocolError('DecodeError', `the header says ${header.commits} commits; the file holds ${feed.count}`);
    for (const { item, check } of inflight) {
      await check;
      yield item;
    }
    yield { kind: 'end', commits: feed.count, tips: feed.tips() };
  } finally {
    await reader.cancel();
  }
}

/**
 * Reads the whole file to check it, keeping nothing but its header and whether it carries a key and private
 * state: the first of the two passes of an import that changes nothing unless all of it is good.
 * @throws ProtocolError as readFeedFile
 */
export async function verifyFeedFile(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadFeedFileOptions & { readonly onCommit?: (index: number, header: FeedFileHeader) => void },
): Promise<{ header: FeedFileHeader; key: boolean; private: boolean; commits: number; tips: readonly CommitId[] }> {
  let header: FeedFileHeader | undefined;
  let key = false;
  let sealed = false;
  for await (const item of readFeedFile(chunks, options)) {
    if (item.kind === 'header') header = item.header;
    else if (item.kind === 'key') key = true;
    else if (item.kind === 'private') sealed = true;
    else if (item.kind === 'commit') options.onCommit?.(item.index, header!);
    else return { header: header!, key, private: sealed, commits: item.commits, tips: item.tips };
  }
  throw new ProtocolError('Truncated', 'the file ended before its end record');
}

function limitOf(kind: number): number {
  switch (kind) {
    case RECORD.header:
      return FEED_FILE_LIMITS.header;
    case RECORD.key:
      return FEED_FILE_LIMITS.key;
    case RECORD.private:
      return FEED_FILE_LIMITS.private;
    case RECORD.commit:
      return FEED_FILE_LIMITS.commit;
    case RECORD.object:
      return FEED_FILE_LIMITS.object;
    case RECORD.end:
      return FEED_FILE_LIMITS.end;
    default:
      throw new ProtocolError('DecodeError', `unknown record kind ${kind}`);
  }
}

/** What the file's commits so far establish: their seqs (for the parents rule), the media written, the tips. */
class FeedChecks {
  readonly seqs = new Map<CommitId, number>();
  readonly media = new Set<ObjectId>();
  readonly #tips = new Set<CommitId>();
  count = 0;
  readonly #header: FeedFileHeader;
  readonly #options: ReadFeedFileOptions;

  constructor(header: FeedFileHeader, options: ReadFeedFileOptions) {
    this.#header = header;
    this.#options = options;
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

type Role = 'own-post' | 'any-post' | 'commit' | 'blob';

/** One commit and the object records after it. */
class Group {
  readonly checks: Promise<unknown>[];
  readonly #signed: SignedCommit;
  readonly #named: ObjectId[];
  readonly #roles = new Map<ObjectId, Set<Role>>();
  readonly #blobs: { id: ObjectId; bytes: Uint8Array }[] = [];
  readonly #posts = new Map<ObjectId, BuiltObject<PostObject>>();
  readonly #commits = new Map<ObjectId, SignedCommit>();
  /** Media its posts name, not written earlier in the file: what may follow the named objects. */
  readonly #mediaExpected = new Set<ObjectId>();
  readonly #feed: FeedChecks;
  readonly #verify: Verify;

  constructor(signed: SignedCommit, feed: FeedChecks, verify: Verify) {
    this.#signed = signed;
    this.#feed = feed;
    this.#verify = verify;
    this.#named = objectIdsOf(signed.commit);
    for (const op of signed.commit.ops) {
      const roles: [ObjectId, Role][] =
        op.type === 'post' || op.type === 'edit'
          ? [[op.object, 'own-post']]
          : op.type === 'repost'
            ? [
                [op.commit, 'commit'],
                [op.object, 'any-post'],
              ]
            : op.type === 'profile' && op.avatar
              ? [[op.avatar, 'blob']]
              : [];
      for (const [id, role] of roles) this.#roles.set(id, (this.#roles.get(id) ?? new Set()).add(role));
    }
    this.checks = [];
    this.#check(provenanceOf(signed, verify));
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
      if (!this.#mediaExpected.has(id) || this.#feed.media.has(id))
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
      if (op.type === 'post') posts.push(this.#posts.get(op.object)!);
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
      if (role === 'own-post' || role === 'any-post') {
        const post = this.#posts.get(id) ?? decodePost(bytes, id);
        if (role === 'own-post' && post.value.author !== this.#signed.commit.author)
          throw new ProtocolError('WrongAuthor', `post ${id} is by ${post.value.author}, in the feed of its author`);
        this.#posts.set(id, post);
        if (role === 'own-post' && mediaSourcesOf(this.#signed.commit).includes(id))
          for (const media of post.value.media ?? []) if (!this.#feed.media.has(media)) this.#mediaExpected.add(media);
      } else if (role === 'commit') {
        const signed = decodeCommit(bytes, id);
        this.#commits.set(id, signed);
        this.#check(
          provenanceOf(signed, this.#verify).catch((error: unknown) => {
            if (!(error instanceof ProtocolError)) throw error;
            throw new ProtocolError('BadSignature', `reposted commit ${id} does not verify: ${error.message}`);
          }),
        );
      } else hashed = true;
    }
    if (hashed && hashBytes(bytes) !== id) throw new ProtocolError('HashMismatch', `bytes do not hash to ${id}`);
  }
}
