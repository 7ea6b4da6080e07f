/**
 * Mutes and blocks applied to query results, after the query: a timeline
 * page, a thread, and the reaction and reply counts on their items. The
 * stored rows never change, so unmuting brings everything back at once.
 *
 * - an item is hidden when its author is muted or blocked, its body holds a
 *   muted word or phrase (whole words, any case), or it carries a muted tag;
 * - in a thread, a hidden item takes its replies with it;
 * - reactions and replies by muted or blocked feeds leave the counts, and
 *   muted or blocked reposters leave `repostedBy`.
 *
 * `filterTimeline` refills a page from further pages, so a page is short
 * only at the end of the timeline.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { NotificationItem, ThreadView, TimelineItem, TimelinePage } from '../api/api-types.ts';
import type { CoreDb } from '../store/db.ts';
import { idOfKey, isHeldPost } from '../store/post-rows.ts';
import type { PrivateSettings } from './types.ts';

export interface Hidden {
  /** Muted or blocked: their posts, replies, reactions and reposts are hidden. */
  readonly users: ReadonlySet<PseudonymId>;
  /** Blocked only: also never fetched. */
  readonly blocked: ReadonlySet<PseudonymId>;
  readonly words: readonly RegExp[];
  readonly tags: ReadonlySet<string>;
}

export function hiddenOf(settings: PrivateSettings): Hidden {
  const blocked = new Set(settings.blocked.map((e) => e.value));
  return {
    users: new Set([...settings.mutedUsers.map((e) => e.value), ...blocked]),
    blocked,
    words: settings.mutedWords.map((e) => wordPattern(e.value)),
    tags: new Set(settings.mutedTags.map((e) => e.value)),
  };
}

/** Matches `word` (or phrase) as whole words in any case; its spaces match any run of white space. */
export function wordPattern(word: string): RegExp {
  const escaped = word
    .trim()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu');
}

export function hidesNothing(hidden: Hidden): boolean {
  return hidden.users.size === 0 && hidden.words.length === 0 && hidden.tags.size === 0;
}

export function hidesItem(hidden: Hidden, item: Pick<TimelineItem, 'author' | 'body' | 'tags'>): boolean {
  if (hidden.users.has(item.author)) return true;
  if (item.tags?.some((t) => hidden.tags.has(t.toLowerCase()))) return true;
  return hidden.words.some((w) => w.test(item.body));
}

/** A notification to hide: from a muted or blocked feed, or quoting a muted word or #tag. */
export function hidesNotification(hidden: Hidden, item: Pick<NotificationItem, 'from' | 'body'>): boolean {
  if (hidden.users.has(item.from)) return true;
  if (item.body === undefined) return false;
  const tags = [...item.body.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1]!);
  return hidesItem(hidden, { author: item.from, body: item.body, tags });
}

/** The visible items, with hidden feeds' reactions, replies and reposts left out of them. */
export async function filterItems<T extends TimelineItem>(
  db: CoreDb,
  hidden: Hidden,
  items: readonly T[],
): Promise<T[]> {
  if (hidesNothing(hidden)) return [...items];
  const shown = items.filter((item) => !hidesItem(hidden, item));
  if (hidden.users.size === 0) return shown;
  return Promise.all(shown.map((item) => withoutHiddenUsers(db, hidden, item)));
}

async function withoutHiddenUsers<T extends TimelineItem>(db: CoreDb, hidden: Hidden, item: T): Promise<T> {
  let next: T = item;
  if (item.repostedBy?.some((r) => hidden.users.has(r))) {
    const { repostedBy: _all, ...rest } = next;
    const kept = item.repostedBy.filter((r) => !hidden.users.has(r));
    next = (kept.length > 0 ? { ...rest, repostedBy: kept } : rest) as T;
  }
  if (item.reactions?.length) {
    const rows = await db.getAll('reactions', IDBKeyRange.bound([item.id], [item.id, []]));
    const less = new Map<string, number>();
    for (const r of rows) if (r.on && hidden.users.has(r.reactor)) less.set(r.emoji, (less.get(r.emoji) ?? 0) + 1);
    if (less.size > 0) {
      const { reactions: _all, ...rest } = next;
      const kept = item.reactions
        .map((r) => ({ ...r, count: r.count - (less.get(r.emoji) ?? 0) }))
        .filter((r) => r.count > 0);
      next = (kept.length > 0 ? { ...rest, reactions: kept } : rest) as T;
    }
  }
  if (item.replies) {
    const replies = await db.getAllFromIndex('posts', 'byReplyTo', item.id);
    const less = replies.filter((r) => isHeldPost(r) && !r.del && hidden.users.has(idOfKey(r.a) as PseudonymId)).length;
    if (less > 0) {
      const { replies: _all, ...rest } = next;
      const count = item.replies - less;
      next = (count > 0 ? { ...rest, replies: count } : rest) as T;
    }
  }
  return next;
}

/** A thread without hidden items and everything under them (items are depth-first, each after its parent). */
export async function filterThread(db: CoreDb, hidden: Hidden, view: ThreadView): Promise<ThreadView> {
  if (hidesNothing(hidden)) return view;
  const kept: ThreadView['items'][number][] = [];
  let cutBelow: number | undefined;
  for (const item of view.items) {
    if (cutBelow !== undefined && item.depth > cutBelow) continue;
    cutBelow = undefined;
    if (hidesItem(hidden, item)) cutBelow = item.depth;
    else kept.push(item);
  }
  return { root: view.root, items: await filterItems(db, hidden, kept) };
}

/**
 * Most raw pages read to fill one filtered page (a wall of muted
 * posts ends the page early rather than scanning everything).
 */
const MAX_REFILLS = 8;

/** A page of the timeline with hidden items left out, refilled from the pages after it. */
export async function filterTimeline(
  db: CoreDb,
  hidden: Hidden,
  page: TimelinePage,
  list: (page: TimelinePage) => Promise<TimelineItem[]>,
): Promise<TimelineItem[]> {
  if (hidesNothing(hidden)) return list(page);
  const shown: TimelineItem[] = [];
  let next = page;
  for (let round = 0; round < MAX_REFILLS && shown.length < page.limit; round++) {
    const raw = await list(next);
    shown.push(...(await filterItems(db, hidden, raw)));
    const last = raw.at(-1);
    if (!last || raw.length < next.limit) break;
    next = { ...next, cursor: { ts: last.ts, id: last.id } };
  }
  return shown.slice(0, page.limit);
}
