/**
 * A held feed as its readers see it: every commit the store holds of it, walked from its tips through parents,
 * and the merge model's state over them (feed-state.ts), with the agent that wrote each commit an agent wrote.
 * Read alike by the command line (src/cli/read/) and the worker (the mists it shows: mists.ts).
 */
import { type Commit, decodeCommit } from '../../src/protocol/commits.ts';
import { type FeedState, feedState } from '../../src/protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { type PostObject, decodePost } from '../../src/protocol/objects.ts';
import { currentHandle } from '../../src/protocol/handle-names.ts';
import type { FeedStore } from '../store/core-store.ts';

/** One feed as held: its author, the handle it is followed by (or one's own), and its merged state. */
export interface HeldFeed {
  readonly author: PseudonymId;
  readonly handle: string | null;
  readonly state: FeedState;
  /** The agent that wrote each of its commits an agent wrote (checked when the commit was verified). */
  readonly agents: ReadonlyMap<CommitId, PostAgent>;
}

/** Who wrote a post for its author: an agent's key, its model, and the name the owner's delegation gives it. */
export interface PostAgent {
  readonly id: PseudonymId;
  readonly model: string;
  /** Set when the agent signed under a delegation that names it. */
  readonly name?: string;
}

/** The decoded form of held bytes: kept when this process stored them, else decoded now. */
export interface Decoded {
  /** The commit `id`, whose held bytes are `bytes`. @throws ProtocolError when decoded now and they do not decode */
  commit(id: CommitId, bytes: Uint8Array): Commit;
  /** The post `id`, whose held bytes are `bytes`. @throws ProtocolError when decoded now and they do not decode */
  post(id: ObjectId, bytes: Uint8Array): PostObject;
}

/** Decodes every time (nothing kept). */
export const decodeAnew: Decoded = {
  commit: (id, bytes) => decodeCommit(bytes, id).commit,
  post: (id, bytes) => decodePost(bytes, id).value,
};

/**
 * Every held commit of `author`, walked from `heads` (its tips unless given) through parents; each decoded by
 * `decoded` (the store's DecodedCache after a fetch in this process: decoded.ts).
 */
export async function heldCommits(
  store: FeedStore,
  author: PseudonymId,
  heads?: readonly CommitId[],
  decoded: Decoded = decodeAnew,
) {
  const commits: { id: CommitId; commit: Commit }[] = [];
  const seen = new Set<CommitId>();
  let frontier = [...(heads ?? (await store.findTips(author))?.heads ?? [])];
  while (frontier.length > 0) {
    for (const id of frontier) seen.add(id);
    const bytes = await store.findBlobs(author, frontier);
    const next: CommitId[] = [];
    for (const [id, blob] of bytes) {
      const commit = decoded.commit(id as CommitId, blob);
      commits.push({ id: id as CommitId, commit });
      for (const parent of commit.parents) if (!seen.has(parent)) next.push(parent);
    }
    frontier = [...new Set(next)];
  }
  return commits;
}

/** One feed's merged state over what the store holds of it, walked from `heads` (its tips unless given). */
export async function readFeed(
  store: FeedStore,
  feed: { readonly author: PseudonymId; readonly handle: string | null },
  heads?: readonly CommitId[],
  decoded: Decoded = decodeAnew,
): Promise<HeldFeed> {
  const commits = await heldCommits(store, feed.author, heads, decoded);
  const agents = new Map<CommitId, PostAgent>();
  for (const { id, commit } of commits) {
    if (!commit.agent) continue;
    const name = commit.agent.delegation?.name;
    agents.set(id, { id: commit.agent.id, model: commit.agent.model, ...(name !== undefined && { name }) });
  }
  return { ...feed, state: feedState(commits), agents };
}

/**
 * The feeds `me` reads: its own first, then each active follow's, with the handle it is followed by, on the hub
 * the feed's newest signed profile names when it moved since (currentHandle).
 */
export async function listReadFeeds(
  store: FeedStore,
  me: { readonly id: PseudonymId; readonly handle?: string },
): Promise<{ author: PseudonymId; handle: string | null }[]> {
  const follows = (await store.listFollows(me.id)).filter((f) => f.target !== me.id);
  const hubs = await Promise.all(follows.map((f) => store.findProfileField(f.target, 'hubs')));
  return [
    { author: me.id, handle: me.handle ?? null },
    ...follows.map((f, i) => ({ author: f.target, handle: currentHandle(f.handle, hubs[i]) ?? null })),
  ];
}
