/**
 * A thread as the command line shows it: the post asked for, up through what
 * it answers to the first post held, then every held reply beneath, depth
 * first, oldest first among siblings; each with the reactions standing on it
 * across the held feeds. Store only, like the timeline.
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { Hidden } from '../../../workers/private/filter.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';
import { getPost, reactionsTo, readFeeds } from './feeds.ts';
import { type TimelinePost, readTimeline } from './timeline.ts';

/** One post of `thread --json` (docs/cli.md). */
export interface ThreadPost extends TimelinePost {
  /** 0 for the thread's first post held, 1 for its replies, and so on. */
  readonly depth: number;
  /** Each emoji standing on it, with who put it there. */
  readonly reactions: Readonly<Record<string, readonly PseudonymId[]>>;
}

/** @throws CoreError NotFound when `id` is not held */
export async function readThread(
  store: FeedStore,
  me: { readonly id: PseudonymId; readonly handle?: string },
  id: ObjectId,
  hidden?: Hidden,
): Promise<ThreadPost[]> {
  const feeds = await readFeeds(store, me);
  await getPost(store, feeds, id, me.id);
  // A hidden post (muted, blocked) takes its replies with it, as in the app.
  const posts = await readTimeline(store, me, {
    limit: Number.POSITIVE_INFINITY,
    reverse: true,
    ...(hidden && { hidden }),
  });
  const byId = new Map(posts.map((p) => [p.id, p]));
  let root = byId.get(id);
  const seen = new Set<ObjectId>();
  while (root?.replyTo && byId.has(root.replyTo) && !seen.has(root.id)) {
    seen.add(root.id);
    root = byId.get(root.replyTo);
  }
  const children = new Map<ObjectId, TimelinePost[]>();
  for (const post of posts) {
    if (post.replyTo) children.set(post.replyTo, [...(children.get(post.replyTo) ?? []), post]);
  }
  const out: ThreadPost[] = [];
  const visit = (post: TimelinePost, depth: number) => {
    if (out.some((p) => p.id === post.id)) return;
    out.push({ ...post, depth, reactions: reactionsTo(feeds, post.id) });
    for (const child of children.get(post.id) ?? []) visit(child, depth + 1);
  };
  if (root) visit(root, 0);
  return out;
}
