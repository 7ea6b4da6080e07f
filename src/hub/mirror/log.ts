/**
 * Feed logs (protocol/feed-log.ts) for mirroring: when a head names a log,
 * the mirror reads the log chain back to what it has verified and fetches
 * the commits it lists in batches of 512, so a feed of N new commits costs
 * about N/512 round trips instead of N parent-by-parent walks. A log is only
 * a hint: a segment that does not decode, or is another author's, ends the
 * chain; a listed commit that does not verify or is another author's is
 * dropped; the parent walk afterwards is what decides (mirror/feed.ts).
 */
import { type SignedCommit, verifyCommits } from '../../protocol/commits.ts';
import { sha256Node } from '../../runtime/sha256-node.ts';
import { type FeedLog, decodeFeedLog } from '../../protocol/feed-log.ts';
import type { BuiltObject } from '../../protocol/objects.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { Verify } from '../../protocol/keys.ts';
import type { BlobStore, VerifiedCommits } from '../store/hub-store.ts';

/** Segments read per head at most (1024 commits each): a longer history is walked by parents. */
const MAX_SEGMENTS = 256;

export interface PrefetchDeps {
  readonly blobs: BlobStore;
  readonly verified: VerifiedCommits;
  readonly verify: Verify;
  readonly fetchBlobs: (ids: readonly ObjectId[]) => Promise<Map<ObjectId, Uint8Array>>;
}

export interface Prefetched {
  /** Listed commits that verified as the author's, by id. */
  readonly commits: Map<CommitId, SignedCommit>;
  /** The log segments read (to store beside the commits, so this hub's readers can use them too). */
  readonly segments: readonly BuiltObject<FeedLog>[];
}

/** Blobs from this hub's store, else from the peer; absent when neither has them. */
export async function localOrPeer(
  ids: readonly ObjectId[],
  deps: Pick<PrefetchDeps, 'blobs' | 'fetchBlobs'>,
): Promise<Map<ObjectId, Uint8Array>> {
  const found = new Map<ObjectId, Uint8Array>();
  for (const id of ids) {
    const held = await deps.blobs.find(id);
    if (held) found.set(id, held);
  }
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) for (const [id, bytes] of await deps.fetchBlobs(missing)) found.set(id, bytes);
  return found;
}

export async function prefetchFromLog(
  author: PseudonymId,
  log: ObjectId | undefined,
  deps: PrefetchDeps,
): Promise<Prefetched> {
  const segments: BuiltObject<FeedLog>[] = [];
  const wanted: CommitId[] = [];
  for (let next = log; next && segments.length < MAX_SEGMENTS; ) {
    const bytes = (await localOrPeer([next], deps)).get(next);
    let segment: BuiltObject<FeedLog>;
    try {
      if (!bytes) break;
      segment = decodeFeedLog(bytes, next);
    } catch {
      break;
    }
    if (segment.value.author !== author) break;
    segments.push(segment);
    const listed = segment.value.commits;
    const known = await Promise.all(listed.map((id) => deps.verified.has(id)));
    const fresh = listed.filter((_, i) => !known[i]);
    wanted.unshift(...fresh);
    // A segment wholly verified here means the ones before it are too.
    if (fresh.length === 0) break;
    next = segment.value.prev;
  }
  const commits = new Map<CommitId, SignedCommit>();
  for (let i = 0; i < wanted.length; i += 512) {
    const got = await localOrPeer(wanted.slice(i, i + 512), deps);
    for (const r of await verifyCommits(
      [...got].map(([id, bytes]) => ({ id, bytes })),
      deps.verify,
      sha256Node,
    )) {
      if (r.ok && r.commit.commit.author === author) commits.set(r.commit.id, r.commit);
    }
  }
  return { commits, segments };
}
