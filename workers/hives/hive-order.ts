/**
 * How a reader asks to see a hive's posts: New (the default: newest first) or
 * Top over a window the reader chooses (the score from the signed votes, ties
 * by time). Never a default ranking: Top is always asked for, with its
 * window. And a post's comments as a thread. Pure: the command line and the
 * app order the same view the same way.
 */
import type { HiveSubmissionView } from '../../src/protocol/hive-state.ts';
import type { HiveCommentObject, HivePostObject } from '../../src/protocol/hives.ts';
import type { ObjectId } from '../../src/protocol/ids.ts';

export const HIVE_WINDOWS = { day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000, all: Infinity } as const;
export type HiveWindow = keyof typeof HIVE_WINDOWS;
export type HiveSort = { readonly by: 'new' } | { readonly by: 'top'; readonly window: HiveWindow };

type Post = HiveSubmissionView<HivePostObject>;
type Comment = HiveSubmissionView<HiveCommentObject>;

const newer = (a: Post, b: Post) => b.stamp[0] - a.stamp[0] || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** `posts` as `sort` asks, at the time `now` (Top leaves out posts older than its window). */
export function orderHivePosts(posts: readonly Post[], sort: HiveSort, now: number): Post[] {
  if (sort.by === 'new') return [...posts].sort(newer);
  const since = now - HIVE_WINDOWS[sort.window];
  return posts.filter((p) => p.stamp[0] >= since).sort((a, b) => b.votes.score - a.votes.score || newer(a, b));
}

export interface CommentNode {
  readonly comment: Comment;
  readonly replies: readonly CommentNode[];
}

/** The shown comments of `post` as a thread, oldest first at each level. */
export function commentThread(comments: readonly Comment[], post: ObjectId): CommentNode[] {
  const mine = comments.filter((c) => c.object.post === post);
  const children = new Map<ObjectId | undefined, Comment[]>();
  for (const c of mine) children.set(c.object.parent, [...(children.get(c.object.parent) ?? []), c]);
  const build = (parent: ObjectId | undefined): CommentNode[] =>
    (children.get(parent) ?? [])
      .sort((a, b) => a.stamp[0] - b.stamp[0] || (a.id < b.id ? -1 : 1))
      .map((comment) => ({ comment, replies: build(comment.id) }));
  return build(undefined);
}
