import { shownVersion } from '../../protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import { isSealedPost } from '../../protocol/audience.ts';
import { type PostObject, decodePost } from '../../protocol/objects.ts';
import { CoreError } from '../../../workers/errors.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';
import { type HeldFeed, listReadFeeds, readFeed } from '../../../workers/read/held-feed.ts';
import { openedRows, openedView, shownTo } from './opened-posts.ts';
import type { SealedAudienceKind } from '../../protocol/ops.ts';

/** A post found in the held feeds: who wrote it, the commit that published it, the version shown now. */
export interface FoundPost {
  readonly id: ObjectId;
  readonly author: PseudonymId;
  readonly commit: CommitId;
  readonly value: PostObject;
  /** The body of the version shown (the latest edit, when the author's feed is held). */
  readonly body: string;
  readonly edited: boolean;
  /** Set on a sealed post (opened-posts.ts), with its content key (base64url: its edits are sealed under it). */
  readonly sealed?: { readonly audience: SealedAudienceKind; readonly contentKey?: string };
}

/** `me`'s own feed first, then each active follow's, with the state of what the store holds of each. */
export async function readFeeds(
  store: FeedStore,
  me: { readonly id: PseudonymId; readonly handle?: string },
): Promise<HeldFeed[]> {
  return Promise.all((await listReadFeeds(store, me)).map((f) => readFeed(store, f)));
}

/**
 * The post `id` as the held feeds show it to `viewer`: from its author's feed (its latest version), else as a
 * followed feed reposted it (its first version). Undefined when no held feed has it, its author deleted it, or it
 * is sealed and not `viewer`'s to read.
 */
export async function findPost(
  store: FeedStore,
  feeds: readonly HeldFeed[],
  id: ObjectId,
  viewer: PseudonymId,
): Promise<FoundPost | undefined> {
  for (const feed of feeds) {
    const stamp = feed.state.posts.get(id);
    if (!stamp) continue;
    const version = shownVersion(feed.state, id);
    if (version === undefined) return undefined;
    const blobs = await store.findBlobs(feed.author, [id, version]);
    const original = blobs.get(id);
    const latest = blobs.get(version);
    if (!original || !latest) continue;
    if (isSealedPost(original)) {
      const row = (await openedRows(store, [id])).get(id);
      const view = row && openedView(row, feed.author, id, version, latest);
      if (!view || !shownTo({ author: feed.author, ...view }, viewer)) return undefined;
      const sealed = { audience: view.audience, ...(row.ck && { contentKey: row.ck }) };
      return {
        id,
        author: feed.author,
        commit: stamp[1],
        value: view.value,
        body: view.body,
        edited: view.edited,
        sealed,
      };
    }
    const { value } = decodePost(original, id);
    if (value.author !== feed.author) continue; // published in a feed not its author's: not a post of it
    const body = version === id ? value.body : decodePost(latest, version).value.body;
    return { id, author: feed.author, commit: stamp[1], value, body, edited: version !== id };
  }
  for (const feed of feeds) {
    const repost = feed.state.reposts.get(id);
    if (!repost || feed.state.deleted.has(id)) continue;
    const bytes = (await store.findBlobs(feed.author, [id])).get(id);
    if (!bytes || isSealedPost(bytes)) continue; // a sealed post is never reposted (its readers were chosen)
    const { value } = decodePost(bytes, id);
    if (feeds.some((f) => f.author === value.author && f.state.deleted.has(id))) return undefined;
    return { id, author: value.author, commit: repost.value, value, body: value.body, edited: false };
  }
  return undefined;
}

/** findPost, for a verb that needs the post. @throws CoreError NotFound */
export async function getPost(
  store: FeedStore,
  feeds: readonly HeldFeed[],
  id: ObjectId,
  viewer: PseudonymId,
): Promise<FoundPost> {
  const found = await findPost(store, feeds, id, viewer);
  if (!found) throw new CoreError('NotFound', `no post ${id} in your feed or the feeds you follow (try murmur sync)`);
  return found;
}

/** Reactions standing on `post` across the held feeds: each emoji with who reacted, emoji in first-seen order. */
export function reactionsTo(feeds: readonly HeldFeed[], post: ObjectId): Record<string, PseudonymId[]> {
  const out: Record<string, PseudonymId[]> = {};
  for (const feed of feeds) {
    for (const [key, reaction] of feed.state.reactions) {
      const space = key.indexOf(' ');
      if (key.slice(0, space) !== post || !reaction.value) continue;
      const emoji = key.slice(space + 1);
      out[emoji] = [...(out[emoji] ?? []), feed.author];
    }
  }
  return out;
}
