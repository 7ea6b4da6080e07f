/**
 * The CoreApi methods of the directory: `discover` (a page of the shown
 * pseudonym's home hub directory, workers/directory/discover.ts) and
 * `readTopic`, a topic page: the pseudonyms listed under a topic and their
 * newest public posts carrying it. Their feeds are fetched for the pseudonym
 * reading (as a profile or a first follow fetches one), a few per read and
 * each again only after a while, then read from this device's store
 * (read/topic-posts.ts), mutes and blocks applied.
 *
 * The home feed's topics lens (read/lenses.ts) stands on the same: `lensed`
 * mixes into a page of the plain timeline the posts on the pseudonym's own
 * topics by people listed under them whom it does not follow, as far as its
 * declared share; `refreshLenses` reads those topics' pages (fetching feeds
 * as above), on a sync and when the lens settings change.
 */
import { hubOrigin, parseHandle } from '../../src/protocol/handle-names.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { directoryQueryOf, discover } from '../directory/discover.ts';
import { asResult } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';
import type { HubClient } from '../net/hub-client.ts';
import { type Hidden, hidesItem } from '../private/filter.ts';
import { listTopicPosts } from '../read/topic-posts.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { CoreDb } from '../store/db.ts';
import type { CoreApi, TimelineItem, TimelinePage } from './api-types.ts';
import type { PrivateSettings } from '../private/types.ts';
import { isAfter, lensInputOf, mixPage, topicsLens } from '../read/lenses.ts';
import { topicsShareOf } from '../../src/protocol/lens-settings.ts';

export const TOPIC_LIMITS = {
  /** Listed feeds fetched in one read at most: a topic page of 50 people must not fetch 50 feeds at once. */
  fetchesPerRead: 8,
  /** A feed fetched for a topic page is fetched again after this long (a follow keeps followed ones fresh). */
  refetchMs: 10 * 60 * 1000,
  /** Posts on one topic page. */
  posts: 50,
} as const;

export interface DirectoryApiDeps {
  readonly db: CoreDb;
  readonly store: FeedStore;
  readonly keys: KeySource;
  readonly hub: (origin: string) => HubClient;
  readonly verify: Verify;
  readonly now: () => number;
  readonly hidden: (pseudonym: PseudonymId) => Promise<Hidden>;
  readonly settings: (pseudonym: PseudonymId) => Promise<PrivateSettings>;
  /** The timeline of `pseudonym` changed (lens items arrived). */
  readonly changed: (pseudonym: PseudonymId) => void;
  /** Fetches `author`'s feed from `hubs` for `pseudonym`, or brings it up to date (Feeds.update). */
  readonly fetchFeed: (author: PseudonymId, hubs: readonly string[], pseudonym: PseudonymId) => Promise<unknown>;
}

export interface Directory {
  readonly api: Pick<CoreApi, 'discover' | 'readTopic'>;
  /** A page of the home feed with the lens items its settings ask for (none unless a lens is on). */
  lensed(pseudonym: PseudonymId, page: TimelinePage, following: TimelineItem[]): Promise<TimelineItem[]>;
  /** Reads the pages of the pseudonym's own topics when the topics lens is on. Never throws. */
  refreshLenses(pseudonym: PseudonymId): Promise<void>;
}

export function createDirectory(deps: DirectoryApiDeps): Directory {
  const fetchedAt = new Map<string, number>();
  /** Per pseudonym, who was listed under each topic when its page was last read. */
  const listedUnder = new Map<PseudonymId, Map<string, ReadonlySet<PseudonymId>>>();
  const blockedBy = async (pseudonym: PseudonymId) => (await deps.hidden(pseudonym)).blocked;
  const discoverDeps = { ...deps, blocked: blockedBy };
  const ownTopics = async (pseudonym: PseudonymId) => {
    const topics = await deps.store.findProfileField(pseudonym, 'topics');
    return Array.isArray(topics) ? topics.filter((t): t is string => typeof t === 'string') : [];
  };

  const api: Directory['api'] = {
    discover: (pseudonym, query) => asResult(() => discover(discoverDeps, pseudonym, query)),
    readTopic: (pseudonym, topicText) =>
      asResult(async () => {
        const topic = directoryQueryOf({ topic: topicText }).topic ?? '';
        const { people } = await discover(discoverDeps, pseudonym, { topic });
        const listed = listedUnder.get(pseudonym) ?? new Map<string, ReadonlySet<PseudonymId>>();
        listedUnder.set(pseudonym, listed.set(topic, new Set(people.map((p) => p.id))));
        const due = people.filter((p) => !p.followed && !fresh(fetchedAt, `${pseudonym}:${p.id}`, deps.now()));
        await Promise.all(
          due.slice(0, TOPIC_LIMITS.fetchesPerRead).map(async (card) => {
            fetchedAt.set(`${pseudonym}:${card.id}`, deps.now());
            // A feed that cannot be fetched now (its hub down, a refusal) is left out of this read, not an error.
            await deps.fetchFeed(card.id, [hubOrigin(parseHandle(card.handle).host)], pseudonym).catch(() => {});
          }),
        );
        const handles = new Map(people.map((p) => [p.id, p.handle]));
        const hidden = await deps.hidden(pseudonym);
        const posts = await listTopicPosts(deps.db, pseudonym, [...handles.keys()], topic, TOPIC_LIMITS.posts);
        return {
          people,
          posts: posts
            .filter((p) => !hidesItem(hidden, p))
            .map((p) => (p.authorHandle ? p : { ...p, authorHandle: handles.get(p.author)! })),
        };
      }),
  };

  return {
    api,
    async lensed(pseudonym, page, following) {
      const plain = !page.authors && !page.hasMedia && page.since === undefined && page.order !== 'oldest';
      // A viewer with no private state here (not a local pseudonym) has no lens on.
      const settings = plain ? await deps.settings(pseudonym).catch(() => undefined) : undefined;
      const share = settings ? topicsShareOf(settings.lens) : 0;
      const listed = listedUnder.get(pseudonym);
      if (share === 0 || !listed) return following;
      const topics = await ownTopics(pseudonym);
      const followed = new Set((await deps.store.listFollows(pseudonym)).map((f) => f.target));
      const hidden = await deps.hidden(pseudonym);
      const seen = new Map<string, TimelineItem>();
      for (const topic of topics) {
        const authors = [...(listed.get(topic) ?? [])].filter((a) => !followed.has(a) && !hidden.blocked.has(a));
        for (const item of await listTopicPosts(deps.db, pseudonym, authors, topic, page.limit))
          if (isAfter(item, page.cursor) && !hidesItem(hidden, item)) seen.set(item.id, item);
      }
      const candidates = [...seen.values()];
      const why = topicsLens(candidates.map(lensInputOf), { me: pseudonym, topics, listed, followed });
      const lensItems = candidates
        .filter((i) => why.has(i.id))
        .map((i) => ({ ...i, lens: { name: 'topics' as const, why: why.get(i.id)! } }))
        .sort((a, b) => b.ts - a.ts);
      return mixPage(following, lensItems, share, page.limit);
    },
    async refreshLenses(pseudonym) {
      try {
        if (topicsShareOf((await deps.settings(pseudonym)).lens) === 0) return;
        for (const topic of await ownTopics(pseudonym)) await api.readTopic(pseudonym, topic);
        deps.changed(pseudonym);
      } catch (error) {
        console.warn('murmur: could not read the topics lens', error);
      }
    },
  };
}

function fresh(fetchedAt: ReadonlyMap<string, number>, key: string, now: number): boolean {
  const at = fetchedAt.get(key);
  return at !== undefined && now - at < TOPIC_LIMITS.refetchMs;
}
