/**
 * For mirroring tests: feeds (a chain of commits, one post each, and the
 * head naming the last), pushed to a hub as a client would (objects, then
 * commits, then the head), and forged commits a hub takes as blobs but a
 * mirror must refuse. (Not imported by the hub itself.)
 */
import { type SignedCommit, buildCommit } from '../../protocol/commits.ts';
import { type FeedLog, buildFeedLog } from '../../protocol/feed-log.ts';
import { type SignedHead, buildHead } from '../../protocol/heads.ts';
import { type CommitId, type ObjectId, type PseudonymId, hashBytes } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf } from '../../protocol/keys.ts';
import { type BuiltObject, buildPost } from '../../protocol/objects.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import { put, putBlob } from './hub-fixture.ts';

export interface Blob {
  readonly id: ObjectId;
  readonly bytes: Uint8Array;
}

export interface Feed {
  readonly key: SecretKey;
  readonly author: PseudonymId;
  readonly commits: readonly SignedCommit[];
  readonly objects: readonly Blob[];
  /** Every feed log segment written so far (the last is the newest), when the feed keeps a log. */
  readonly logs: readonly BuiltObject<FeedLog>[];
  readonly head: SignedHead;
}

/**
 * `feed` (or a new one) with `posts` more commits, each one post, in a chain;
 * the head names the last, and with `logSegment` the newest of the feed log
 * segments listing every commit, `logSegment` ids each (the protocol writes
 * 1024; fewer keep tests small).
 */
export function growFeed(key: SecretKey, feed?: Feed, posts = 1, logSegment?: number): Feed {
  const author = pseudonymOf(key);
  const commits = [...(feed?.commits ?? [])];
  const objects = [...(feed?.objects ?? [])];
  for (let i = 0; i < posts; i++) {
    const last = commits.at(-1);
    // Each post a millisecond after the last at least: posts made within one millisecond would tie,
    // and a timeline orders ties by id, not by seq, so tests reading posts in order would flake.
    const ts = Math.max(Date.now(), (last?.commit.ts ?? 0) + 1);
    const post = buildPost({ author, body: `post ${commits.length + 1} of ${author.slice(0, 8)}`, ts });
    objects.push(post);
    commits.push(
      buildCommit(key, {
        parents: last ? [last.id] : [],
        seq: (last?.commit.seq ?? 0) + 1,
        ts,
        ops: [{ type: 'post', object: post.id }],
      }),
    );
  }
  const tip = commits.at(-1)!;
  const logs: BuiltObject<FeedLog>[] = [];
  for (let i = 0; logSegment && i < commits.length; i += logSegment) {
    const prev = logs.at(-1)?.id;
    logs.push(
      buildFeedLog({ author, commits: commits.slice(i, i + logSegment).map((c) => c.id), ...(prev && { prev }) }),
    );
  }
  const log = logs.at(-1)?.id;
  return {
    key,
    author,
    commits,
    objects,
    logs,
    head: buildHead(key, { heads: [tip.id], seq: tip.commit.seq, ts: Date.now(), ...(log && { log }) }),
  };
}

/**
 * Pushes what `feed` has beyond `since` (all of it by default),
 * 16 blobs at a time. @throws when the hub refuses any of it.
 */
export async function pushFeed(hubUrl: string, feed: Feed, since?: Feed): Promise<void> {
  const skip = new Set<string>(
    [...(since?.objects ?? []), ...(since?.commits ?? []), ...(since?.logs ?? [])].map((b) => b.id),
  );
  const blobs = [...feed.objects, ...feed.commits, ...feed.logs].filter((b) => !skip.has(b.id));
  for (let i = 0; i < blobs.length; i += 16) {
    await Promise.all(
      blobs.slice(i, i + 16).map(async (blob) => {
        const res = await putBlob(hubUrl, blob.id, blob.bytes, feed.key);
        if (res.status !== 201 && res.status !== 200)
          throw new Error(`blob ${blob.id}: ${res.status} ${await res.text()}`);
      }),
    );
  }
  await putHeadOf(hubUrl, feed.head);
}

export async function putHeadOf(hubUrl: string, head: SignedHead): Promise<void> {
  const res = await put(`${hubUrl}/v1/heads/${head.head.author}`, head.bytes);
  if (res.status !== 200) throw new Error(`head: ${res.status} ${await res.text()}`);
}

/**
 * A commit that claims `author` but is signed by `signer` (a forgery when
 * they differ), on top of `parent`: its bytes hash to its id, so any hub
 * stores it as a blob, but its signature does not verify.
 */
export function forgedCommit(author: PseudonymId, signer: SecretKey, parent: SignedCommit): Blob {
  const post = buildPost({ author, body: 'forged', ts: Date.now() });
  const fields = {
    type: 'commit',
    author,
    parents: [parent.id],
    seq: parent.commit.seq + 1,
    ts: Date.now(),
    ops: [{ type: 'post', object: post.id }],
  };
  const bytes = buildSignedUnchecked(fields, signer);
  return { id: hashBytes(bytes), bytes };
}

/** A head of `key` naming `tip` at `seq` (validly signed, whatever the tip is). */
export function headNaming(key: SecretKey, tip: CommitId, seq: number): SignedHead {
  return buildHead(key, { heads: [tip], seq, ts: Date.now() });
}
