/**
 * The home feed as a stack of lenses the person declares, kept in the
 * pseudonym's private state (its `lens` settings, synced with its other
 * devices). `following` is the plain chronological timeline of the feeds it
 * follows; each other lens mixes in, at most its declared share of each
 * page and in time order with the rest, public posts of people it does not
 * follow: `topics`, posts carrying one of its own profile topics from people
 * listed under that topic; `adjacent`, posts carrying a topic seen alongside
 * its own in what it has read, from people listed under that one; `fresh`,
 * the first posts of people newly listed in its hub's directory.
 * Nothing is ranked: a lens only says which posts come in, never in what
 * order. A lens reads only LensInputs (author, time, topics) and directory
 * listings: no reaction, reply count, vote or view reaches any lens
 * (lenses.test.ts asserts it).
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineCursor, TimelineItem } from '../api/api-types.ts';
import type { LensName, LensShare } from '../../src/protocol/lens-settings.ts';

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

/** Whom the home hub's directory listed under each topic (as last read), and who reads and whom it follows. */
interface ListedContext {
  readonly me: PseudonymId;
  readonly listed: ReadonlyMap<string, ReadonlySet<PseudonymId>>;
  readonly followed: ReadonlySet<PseudonymId>;
}

export interface TopicsLensContext extends ListedContext {
  /** The pseudonym's own profile topics. */
  readonly topics: readonly string[];
}

/** The posts the topics lens brings in, each with why: a topic of mine, its author listed under it, not followed. */
export function topicsLens(posts: readonly LensInput[], context: TopicsLensContext): Map<LensInput['id'], string> {
  return onListedTopics(
    posts,
    context,
    context.topics,
    (topic) => `#${topic}: listed under it; you do not follow them`,
  );
}

/**
 * Each post carrying one of `topics` (the first it carries) whose author is listed under that topic, neither
 * the reader nor followed, with why as `why` says it of that topic.
 */
function onListedTopics<T extends string | { readonly topic: string }>(
  posts: readonly LensInput[],
  context: ListedContext,
  topics: readonly T[],
  why: (topic: T) => string,
): Map<LensInput['id'], string> {
  const nameOf = (t: T) => (typeof t === 'string' ? t : t.topic);
  const brought = new Map<LensInput['id'], string>();
  for (const post of posts) {
    if (post.author === context.me || context.followed.has(post.author)) continue;
    const topic = topics.find((t) => post.tags.includes(nameOf(t)) && context.listed.get(nameOf(t))?.has(post.author));
    if (topic !== undefined) brought.set(post.id, why(topic));
  }
  return brought;
}

/** A topic seen alongside one of mine, on how many of the posts read it was. */
export interface AdjacentTopic {
  readonly topic: string;
  /** The topic of mine it was seen with most often. */
  readonly alongside: string;
  readonly posts: number;
}

/**
 * The topics seen on posts that carry one of mine, never mine, those on most such posts first (then by name),
 * at most `most` of them. A count of posts read, not of anyone's likes or replies.
 */
export function adjacentTopics(seen: readonly LensInput[], mine: readonly string[], most: number): AdjacentTopic[] {
  const pairs = new Map<string, Map<string, number>>();
  const onPosts = new Map<string, number>();
  for (const post of seen) {
    const ours = mine.filter((t) => post.tags.includes(t));
    if (ours.length === 0) continue;
    for (const tag of new Set(post.tags)) {
      if (mine.includes(tag)) continue;
      onPosts.set(tag, (onPosts.get(tag) ?? 0) + 1);
      const withMine = pairs.get(tag) ?? new Map<string, number>();
      for (const t of ours) withMine.set(t, (withMine.get(t) ?? 0) + 1);
      pairs.set(tag, withMine);
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...pairs]
    .map(([topic, withMine]) => {
      const [alongside] = [...withMine].sort(([a, x], [b, y]) => y - x || byName(a, b))[0]!;
      return { topic, alongside, posts: onPosts.get(topic)! };
    })
    .sort((a, b) => b.posts - a.posts || byName(a.topic, b.topic))
    .slice(0, most);
}

export interface AdjacentLensContext extends ListedContext {
  readonly adjacent: readonly AdjacentTopic[];
}

/** The posts the adjacent lens brings in, each with why: an adjacent topic, its author listed under it, unfollowed. */
export function adjacentLens(posts: readonly LensInput[], context: AdjacentLensContext): Map<LensInput['id'], string> {
  return onListedTopics(
    posts,
    context,
    context.adjacent,
    (near) =>
      `#${near.topic}: seen with your #${near.alongside} in ${near.posts} post${near.posts === 1 ? '' : 's'} you ` +
      'read; listed under it; you do not follow them',
  );
}

export const FRESH_LIMITS = {
  /** A listed pseudonym is new while its first post is at most this old. */
  windowMs: 14 * 24 * 60 * 60 * 1000,
  /** Its first posts brought in, at most. */
  postsPerAuthor: 3,
} as const;

export interface FreshLensContext {
  readonly me: PseudonymId;
  /** Everyone the home hub's directory listed when last read. */
  readonly listed: ReadonlySet<PseudonymId>;
  readonly followed: ReadonlySet<PseudonymId>;
  readonly now: number;
}

/**
 * The posts the fresh lens brings in from `first`, each listed author's oldest posts held here: an author
 * listed, not followed, whose first post is at most FRESH_LIMITS.windowMs old, and of it only the first few.
 */
export function freshLens(first: readonly LensInput[], context: FreshLensContext): Map<LensInput['id'], string> {
  const byAuthor = new Map<PseudonymId, LensInput[]>();
  for (const post of first) byAuthor.set(post.author, [...(byAuthor.get(post.author) ?? []), post]);
  const brought = new Map<LensInput['id'], string>();
  for (const [author, posts] of byAuthor) {
    if (author === context.me || context.followed.has(author) || !context.listed.has(author)) continue;
    const oldest = [...posts].sort((a, b) => a.ts - b.ts).slice(0, FRESH_LIMITS.postsPerAuthor);
    const age = context.now - oldest[0]!.ts;
    if (age > FRESH_LIMITS.windowMs) continue;
    const days = Math.max(0, Math.floor(age / (24 * 60 * 60 * 1000)));
    const when = days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
    for (const post of oldest)
      brought.set(post.id, `new here: first posted ${when}; listed in your hub’s directory; you do not follow them`);
  }
  return brought;
}

/** Newest first by time, then id: the order both streams of a page are merged in. */
const newestFirst = (a: TimelineItem, b: TimelineItem) => b.ts - a.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether `item` comes after `cursor` in that order (on a later page). */
export function isAfter(item: TimelineItem, cursor: TimelineCursor | undefined): boolean {
  return cursor === undefined || item.ts < cursor.ts || (item.ts === cursor.ts && item.id > cursor.id);
}

/** What one lens brings to a page: its items (newest first, after the page's cursor already) and its share. */
export interface LensStream {
  readonly name: LensName;
  readonly items: readonly TimelineItem[];
  readonly share: LensShare;
}

/**
 * One page of the home feed: `following` (a page of the plain timeline, `limit` long unless it ended) with each
 * lens's items that fall within its span merged in by time, at most its share of `limit` of them, a post already
 * on the page (followed, or brought by a lens before it) not again; then the page's first `limit`.
 */
export function mixPage(
  following: readonly TimelineItem[],
  streams: readonly LensStream[],
  limit: number,
): TimelineItem[] {
  const oldest = following.length >= limit ? following.at(-1) : undefined;
  const held = new Set(following.map((i) => i.id));
  const page = [...following];
  for (const { items, share } of streams) {
    const most = Math.floor((limit * share) / 100);
    // Past the following page's last item, a lens item belongs to a later page (its cursor starts there).
    const within = items.filter((i) => !held.has(i.id) && (!oldest || newestFirst(i, oldest) < 0)).slice(0, most);
    for (const item of within) held.add(item.id);
    page.push(...within);
  }
  return page.sort(newestFirst).slice(0, limit);
}
