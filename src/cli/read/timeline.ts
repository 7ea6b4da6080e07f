/**
 * The timeline the command line shows: one's own posts and those of the
 * feeds one follows, newest first. Each feed's state comes from the
 * protocol's merge model (feedState(): posts, deletes, edits by stamp) over
 * the commits the store holds, walked from the tips; the posts are read from
 * the store's blobs. It reads the store only (no network): `timeline`
 * refreshes the follows first.
 */
import { type Commit, decodeCommit } from '../../protocol/commits.ts';
import { feedState, shownVersion } from '../../protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { decodePost } from '../../protocol/objects.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';

/** One post as `timeline --json` prints it (docs/cli.md): a stable shape. */
export interface TimelinePost {
  readonly id: ObjectId;
  readonly author: PseudonymId;
  /** `name@host` when the author is followed by handle (or is oneself with a handle). */
  readonly handle: string | null;
  readonly body: string;
  /** Milliseconds since the Unix epoch, as the author's clock saw it. */
  readonly ts: number;
  readonly replyTo: ObjectId | null;
  readonly tags: readonly string[];
  /** True when the author edited it since: the body is the latest version's, `ts` the first's. */
  readonly edited: boolean;
}

/** Every held commit of `author`, walked from its tips through parents. */
async function heldCommits(store: FeedStore, author: PseudonymId) {
  const commits: { id: CommitId; commit: Commit }[] = [];
  const seen = new Set<CommitId>();
  let frontier = [...((await store.findTips(author))?.heads ?? [])];
  while (frontier.length > 0) {
    for (const id of frontier) seen.add(id);
    const bytes = await store.findBlobs(author, frontier);
    const next: CommitId[] = [];
    for (const [id, blob] of bytes) {
      const { commit } = decodeCommit(blob, id as CommitId);
      commits.push({ id: id as CommitId, commit });
      for (const parent of commit.parents) if (!seen.has(parent)) next.push(parent);
    }
    frontier = [...new Set(next)];
  }
  return commits;
}

/** The posts of one feed still shown (not deleted), each with the body of its latest edit; unsorted. */
async function feedPosts(store: FeedStore, author: PseudonymId, handle: string | null): Promise<TimelinePost[]> {
  const state = feedState(await heldCommits(store, author));
  const shown = new Map<ObjectId, ObjectId>();
  for (const id of state.posts.keys()) {
    const version = shownVersion(state, id);
    if (version !== undefined) shown.set(id, version);
  }
  const blobs = await store.findBlobs(author, [...new Set([...shown.keys(), ...shown.values()])]);
  return [...shown].flatMap(([id, version]) => {
    const original = blobs.get(id);
    const latest = blobs.get(version);
    if (!original || !latest) return [];
    const { value } = decodePost(original, id);
    if (value.author !== author) return []; // a repost's original: shown on its author's feed
    return [
      {
        id,
        author,
        handle,
        body: decodePost(latest, version).value.body,
        ts: value.ts,
        replyTo: value.reply_to ?? null,
        tags: [...(value.tags ?? [])],
        edited: version !== id,
      },
    ];
  });
}

/** `pseudonym`'s timeline: its own posts and its follows', newest first, at most `limit`. */
export async function readTimeline(
  store: FeedStore,
  me: { readonly id: PseudonymId; readonly handle?: string },
  limit: number,
): Promise<TimelinePost[]> {
  const follows = await store.listFollows(me.id);
  const feeds = [
    { author: me.id, handle: me.handle ?? null },
    ...follows.map((f) => ({ author: f.target, handle: f.handle ?? null })),
  ];
  const posts = (await Promise.all(feeds.map((f) => feedPosts(store, f.author, f.handle)))).flat();
  return posts.sort((a, b) => b.ts - a.ts || (a.id < b.id ? -1 : 1)).slice(0, limit);
}
