/**
 * The home feed's lenses (read/lenses.ts) on this device's store and the
 * pseudonym's home hub directory. `refresh` reads what the lenses that are
 * on need, on a sync and when the settings change: who is listed under the
 * pseudonym's own topics (topics, adjacent), the topics seen alongside them
 * in its timeline and who is listed under those (adjacent), the people newly
 * listed (fresh), fetching their feeds a few at a time (directory-api.ts).
 * `lensed` then mixes, into a page of the plain timeline, what each lens
 * brings from posts held here, as far as its declared share. What a refresh
 * learnt is kept in memory per pseudonym: after a restart the lenses are
 * empty until the next sync.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { LENS_NAMES, type LensName, type LensShare, lensSharesOf } from '../../src/protocol/lens-settings.ts';
import type { DirectoryCard } from '../directory/types.ts';
import { type Hidden, hidesItem } from '../private/filter.ts';
import type { PrivateSettings } from '../private/types.ts';
import {
  type AdjacentTopic,
  FRESH_LIMITS,
  type LensInput,
  type LensStream,
  adjacentLens,
  adjacentTopics,
  freshLens,
  isAfter,
  lensInputOf,
  mixPage,
  topicsLens,
} from '../read/lenses.ts';
import { MAX_PAGE, listTimeline } from '../read/timeline.ts';
import { listFirstPosts, listTopicPosts } from '../read/topic-posts.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { CoreDb } from '../store/db.ts';
import type { TimelineItem, TimelinePage } from './api-types.ts';

/** Adjacent topics the adjacent lens follows at most: those seen alongside the pseudonym's own most often. */
export const ADJACENT_TOPICS = 3;

export interface LensStackDeps {
  readonly db: CoreDb;
  readonly store: FeedStore;
  readonly now: () => number;
  readonly hidden: (pseudonym: PseudonymId) => Promise<Hidden>;
  readonly settings: (pseudonym: PseudonymId) => Promise<PrivateSettings>;
  /** The timeline of `pseudonym` changed (lens items arrived). */
  readonly changed: (pseudonym: PseudonymId) => void;
  /** Those listed under `topic` in the pseudonym's home hub directory, their feeds fetched (a few at a time). */
  readonly listTopic: (pseudonym: PseudonymId, topic: string) => Promise<readonly DirectoryCard[]>;
  /** Those listed whose listing was signed since `since`, their feeds fetched (a few at a time). */
  readonly listSince: (pseudonym: PseudonymId, since: number) => Promise<readonly DirectoryCard[]>;
}

export interface LensStack {
  /** A page of the home feed with the lens items its settings ask for (none unless a lens is on). */
  lensed(pseudonym: PseudonymId, page: TimelinePage, following: TimelineItem[]): Promise<TimelineItem[]>;
  /** Reads what the pseudonym's lenses that are on need from its home hub. Never throws. */
  refresh(pseudonym: PseudonymId): Promise<void>;
}

/** What the last refresh learnt for one pseudonym. */
interface Known {
  /** Who was listed under each of its topics and each adjacent topic. */
  readonly listed: Map<string, ReadonlySet<PseudonymId>>;
  adjacent: readonly AdjacentTopic[];
  /** Listed people whose listing is recent enough that they may be new. */
  fresh: ReadonlySet<PseudonymId>;
}

export function createLensStack(deps: LensStackDeps): LensStack {
  const known = new Map<PseudonymId, Known>();
  const ownTopics = async (pseudonym: PseudonymId) => {
    const topics = await deps.store.findProfileField(pseudonym, 'topics');
    return Array.isArray(topics) ? topics.filter((t): t is string => typeof t === 'string') : [];
  };
  const listedIds = (cards: readonly DirectoryCard[]) => new Set(cards.map((c) => c.id));

  /** Posts carrying one of `topics` by those listed under it whom the pseudonym neither follows nor hid. */
  async function onTopics(
    pseudonym: PseudonymId,
    page: TimelinePage,
    topics: readonly string[],
    seen: Known,
    skip: (author: PseudonymId) => boolean,
  ): Promise<TimelineItem[]> {
    const found = new Map<string, TimelineItem>();
    for (const topic of topics) {
      const authors = [...(seen.listed.get(topic) ?? [])].filter((a) => !skip(a));
      for (const item of await listTopicPosts(deps.db, pseudonym, authors, topic, page.limit))
        if (isAfter(item, page.cursor)) found.set(item.id, item);
    }
    return [...found.values()];
  }

  return {
    async lensed(pseudonym, page, following) {
      const plain = !page.authors && !page.hasMedia && page.since === undefined && page.order !== 'oldest';
      // A viewer with no private state here (not a local pseudonym) has no lens on.
      const settings = plain ? await deps.settings(pseudonym).catch(() => undefined) : undefined;
      const shares = settings ? lensSharesOf(settings.lens) : undefined;
      const seen = known.get(pseudonym);
      if (!shares || !seen || LENS_NAMES.every((name) => shares[name] === 0)) return following;
      const followed = new Set((await deps.store.listFollows(pseudonym)).map((f) => f.target));
      const hidden = await deps.hidden(pseudonym);
      // Who is listed never includes this device's own pseudonyms (discover.ts leaves them out).
      const skip = (author: PseudonymId) => followed.has(author) || hidden.blocked.has(author);
      const topics = await ownTopics(pseudonym);
      const brought = (name: LensName, share: LensShare, candidates: TimelineItem[], why: WhyOf) => {
        const shown = candidates.filter((i) => !hidesItem(hidden, i));
        const reasons = why(shown.map(lensInputOf));
        const items = shown
          .filter((i) => reasons.has(i.id))
          .map((i) => ({ ...i, lens: { name, why: reasons.get(i.id)! } }))
          .sort((a, b) => b.ts - a.ts);
        return { name, share, items };
      };
      const streams: LensStream[] = [];
      const context = { me: pseudonym, listed: seen.listed, followed };
      if (shares.topics > 0) {
        const candidates = await onTopics(pseudonym, page, topics, seen, skip);
        streams.push(brought('topics', shares.topics, candidates, (p) => topicsLens(p, { ...context, topics })));
      }
      if (shares.adjacent > 0) {
        const near = seen.adjacent.map((a) => a.topic);
        const candidates = await onTopics(pseudonym, page, near, seen, skip);
        const why: WhyOf = (p) => adjacentLens(p, { ...context, adjacent: seen.adjacent });
        streams.push(brought('adjacent', shares.adjacent, candidates, why));
      }
      if (shares.fresh > 0) {
        const authors = [...seen.fresh].filter((a) => !skip(a));
        const first = await listFirstPosts(deps.db, pseudonym, authors, FRESH_LIMITS.postsPerAuthor);
        // Which of an author's posts are its first is decided over all of them, before the page's cursor cuts.
        const why = freshLens(first.map(lensInputOf), { ...context, listed: seen.fresh, now: deps.now() });
        const candidates = first.filter((i) => isAfter(i, page.cursor));
        streams.push(brought('fresh', shares.fresh, candidates, () => why));
      }
      return mixPage(following, streams, page.limit);
    },

    async refresh(pseudonym) {
      try {
        const shares = lensSharesOf((await deps.settings(pseudonym)).lens);
        if (LENS_NAMES.every((name) => shares[name] === 0)) return;
        const seen: Known = known.get(pseudonym) ?? { listed: new Map(), adjacent: [], fresh: new Set() };
        known.set(pseudonym, seen);
        const topics = await ownTopics(pseudonym);
        if (shares.topics > 0)
          for (const topic of topics) seen.listed.set(topic, listedIds(await deps.listTopic(pseudonym, topic)));
        if (shares.adjacent > 0) {
          const hidden = await deps.hidden(pseudonym);
          const read = await listTimeline(deps.db, pseudonym, { limit: MAX_PAGE });
          const inputs = read.filter((i) => !hidesItem(hidden, i)).map(lensInputOf);
          seen.adjacent = adjacentTopics(inputs, topics, ADJACENT_TOPICS);
          for (const { topic } of seen.adjacent)
            seen.listed.set(topic, listedIds(await deps.listTopic(pseudonym, topic)));
        }
        if (shares.fresh > 0)
          seen.fresh = listedIds(await deps.listSince(pseudonym, deps.now() - FRESH_LIMITS.windowMs));
        deps.changed(pseudonym);
      } catch (error) {
        console.warn('murmur: could not read the lenses', error);
      }
    },
  };
}

type WhyOf = (posts: readonly LensInput[]) => ReadonlyMap<LensInput['id'], string>;
