/**
 * What the hive screens show, as pure functions of a hive's state (src/protocol/hive-state.ts, computed from
 * the signed entries): the posts in the order the reader chose (New, or Top over a window: never a ranking by
 * default), the comment counts and trees, where the viewer stands, and the moderation log in words.
 */
import type { HiveLogEntry, HiveMemberView, HiveState, HiveSubmissionView } from '../../protocol/hive-state.ts';
import type { HiveCommentObject, HivePostObject, HiveSettings } from '../../protocol/hives.ts';
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { TopWindow } from '../nav/route.ts';

export type ShownHive = Extract<HiveState, { exists: true }>;
export type HivePostView = HiveSubmissionView<HivePostObject>;
export type HiveCommentView = HiveSubmissionView<HiveCommentObject>;

const DAY = 24 * 60 * 60 * 1000;
const WINDOW_MS: Record<Exclude<TopWindow, 'all'>, number> = { day: DAY, week: 7 * DAY, month: 30 * DAY };

/** When it was said: its commit's time. */
export const tsOf = (s: { readonly stamp: readonly [number, ...unknown[]] }): number => s.stamp[0];

const newestFirst = (a: HivePostView, b: HivePostView) => tsOf(b) - tsOf(a) || (a.id < b.id ? -1 : 1);

/**
 * New (no `top`): every post, newest first. Top: the posts of the window, by score, then by more votes up, then
 * newest first.
 */
export function sortPosts(posts: readonly HivePostView[], top: TopWindow | undefined, now: number): HivePostView[] {
  if (!top) return [...posts].sort(newestFirst);
  const since = top === 'all' ? Number.NEGATIVE_INFINITY : now - WINDOW_MS[top];
  return posts
    .filter((p) => tsOf(p) >= since)
    .sort((a, b) => b.votes.score - a.votes.score || b.votes.ups - a.votes.ups || newestFirst(a, b));
}

/** How many shown comments each post has. */
export function commentCounts(comments: readonly HiveCommentView[]): Map<ObjectId, number> {
  const counts = new Map<ObjectId, number>();
  for (const c of comments) counts.set(c.object.post, (counts.get(c.object.post) ?? 0) + 1);
  return counts;
}

export interface CommentNode {
  readonly comment: HiveCommentView;
  readonly replies: readonly CommentNode[];
}

/** A post's comments as a tree, each level oldest first (the state shows a comment only when its parent shows). */
export function commentTree(comments: readonly HiveCommentView[], post: ObjectId): CommentNode[] {
  const children = new Map<ObjectId | undefined, HiveCommentView[]>();
  for (const c of comments) {
    if (c.object.post !== post) continue;
    const list = children.get(c.object.parent) ?? [];
    list.push(c);
    children.set(c.object.parent, list);
  }
  const build = (parent: ObjectId | undefined): CommentNode[] =>
    (children.get(parent) ?? [])
      .sort((a, b) => tsOf(a) - tsOf(b) || (a.id < b.id ? -1 : 1))
      .map((comment) => ({ comment, replies: build(comment.id) }));
  return build(undefined);
}

export interface Standing {
  readonly role: HiveMemberView['role'] | undefined;
  readonly joined: boolean;
  readonly admitted: boolean;
  readonly banned: boolean;
  /** Joined an approval hive, and no one has decided yet. */
  readonly waiting: boolean;
  /** The owner or a moderator: may decide. */
  readonly moderates: boolean;
  /** In words: "Owner", "Moderator", "Member", "Waiting for approval", "Banned", "Not a member". */
  readonly words: string;
}

export function standingOf(state: ShownHive, me: PseudonymId): Standing {
  const m = state.members.find((x) => x.id === me);
  const joined = m?.joined === true;
  const banned = m?.banned === true;
  const admitted = m?.admitted === true;
  const waiting = joined && !admitted && !banned;
  const role = m?.role;
  const words =
    role === 'owner'
      ? 'Owner'
      : role === 'moderator'
        ? 'Moderator'
        : banned
          ? 'Banned'
          : admitted
            ? 'Member'
            : waiting
              ? 'Waiting for approval'
              : 'Not a member';
  return { role, joined, admitted, banned, waiting, moderates: role === 'owner' || role === 'moderator', words };
}

/** Who takes part: the owner, the moderators and the members admitted now. */
export const admittedCount = (state: ShownHive): number => state.members.filter((m) => m.admitted).length;

/** Joined and waiting for a decision (an approval hive). */
export const waitingMembers = (state: ShownHive): HiveMemberView[] =>
  state.members.filter((m) => m.joined && !m.admitted && !m.banned);

/** The one who acted: a log entry by the hive's own key is the owner's. */
export const actorOf = (state: ShownHive, entry: HiveLogEntry): PseudonymId =>
  entry.by === state.hive ? state.owner : entry.by;

/** A settings change in words: `name “Herons”, rules, membership: approval`. */
export function settingsWords(settings: HiveSettings | undefined): string {
  if (!settings) return '';
  const parts: string[] = [];
  if (settings.name !== undefined) parts.push(`name “${settings.name}”`);
  if (settings.description !== undefined) parts.push(settings.description ? 'description' : 'description cleared');
  if (settings.rules !== undefined) parts.push(settings.rules ? 'rules' : 'rules cleared');
  if (settings.membership !== undefined)
    parts.push(settings.membership === 'open' ? 'membership: open' : 'membership: by approval');
  if (settings.listed !== undefined) parts.push(settings.listed ? 'listed' : 'not listed');
  return parts.join(', ');
}

/** What a log entry did, its target left to the caller (a person, or what was removed). */
export const LOG_VERBS: Record<HiveLogEntry['action'], string> = {
  charter: 'founded the hive',
  settings: 'changed the settings',
  approve: 'approved',
  ban: 'banned',
  unban: 'lifted the ban on',
  mod_add: 'made a moderator:',
  mod_remove: 'removed as a moderator:',
  remove: 'removed',
};

/** Log entries newest first. */
export const logNewestFirst = (state: ShownHive): HiveLogEntry[] => [...state.log].reverse();
