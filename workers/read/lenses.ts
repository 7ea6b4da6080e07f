/**
 * The home feed as a stack of lenses the person declares, kept in the
 * pseudonym's private state (its `lens` settings, synced with its other
 * devices). `following` is the plain chronological timeline of the feeds it
 * follows; `topics` mixes in public posts carrying one of its own profile
 * topics from pseudonyms listed under that topic whom it does not follow,
 * at most its declared share of each page, in time order with the rest.
 * Nothing is ranked: a lens only says which posts come in, never in what
 * order. A lens reads only a LensInput (author, time, topics): no reaction,
 * reply count, vote or view reaches any lens (lenses.test.ts asserts it).
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineCursor, TimelineItem } from '../api/api-types.ts';
import type { TopicsShare } from '../../src/protocol/lens-settings.ts';

/** All a lens may read of a post. */
export interface LensInput {
  readonly id: TimelineItem['id'];
  readonly author: PseudonymId;
  readonly ts: number;
  readonly tags: readonly string[];
}

export function lensInputOf(item: TimelineItem): LensInput {
  return { id: item.id, author: item.author, ts: item.ts, tags: item.tags ?? [] };
}

export interface TopicsLensContext {
  readonly me: PseudonymId;
  /** The pseudonym's own profile topics. */
  readonly topics: readonly string[];
  /** Who is listed under each of them (the home hub's directory, as last read). */
  readonly listed: ReadonlyMap<string, ReadonlySet<PseudonymId>>;
  readonly followed: ReadonlySet<PseudonymId>;
}

/** The posts the topics lens brings in, each with why: a topic of mine, its author listed under it, not followed. */
export function topicsLens(posts: readonly LensInput[], context: TopicsLensContext): Map<LensInput['id'], string> {
  const brought = new Map<LensInput['id'], string>();
  for (const post of posts) {
    if (post.author === context.me || context.followed.has(post.author)) continue;
    const topic = context.topics.find((t) => post.tags.includes(t) && context.listed.get(t)?.has(post.author));
    if (topic) brought.set(post.id, `#${topic}: listed under it; you do not follow them`);
  }
  return brought;
}

/** Newest first by time, then id: the order both streams of a page are merged in. */
const newestFirst = (a: TimelineItem, b: TimelineItem) => b.ts - a.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether `item` comes after `cursor` in that order (on a later page). */
export function isAfter(item: TimelineItem, cursor: TimelineCursor | undefined): boolean {
  return cursor === undefined || item.ts < cursor.ts || (item.ts === cursor.ts && item.id > cursor.id);
}

/**
 * One page of the home feed: `following` (a page of the plain timeline, `limit` long unless it ended) with the
 * lens items (newest first, after the page's cursor already) that fall within its span merged in by time, at
 * most `share` percent of `limit` of them; then the page's first `limit`.
 */
export function mixPage(
  following: readonly TimelineItem[],
  lensed: readonly TimelineItem[],
  share: TopicsShare,
  limit: number,
): TimelineItem[] {
  const most = Math.floor((limit * share) / 100);
  if (most === 0 || lensed.length === 0) return [...following];
  const oldest = following.length >= limit ? following.at(-1) : undefined;
  const held = new Set(following.map((i) => i.id));
  // Past the following page's last item, a lens item belongs to a later page (its cursor starts there).
  const within = lensed.filter((i) => !held.has(i.id) && (!oldest || newestFirst(i, oldest) < 0)).slice(0, most);
  return [...following, ...within].sort(newestFirst).slice(0, limit);
}
