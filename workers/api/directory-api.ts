/**
 * The CoreApi methods of the directory: `discover` (a page of the shown
 * pseudonym's home hub directory, workers/directory/discover.ts) and
 * `readTopic`, a topic page: the pseudonyms listed under a topic and their
 * newest public posts carrying it. Their feeds are fetched for the pseudonym
 * reading (as a profile or a first follow fetches one), a few per read and
 * each again only after a while, then read from this device's store
 * (read/topic-posts.ts), mutes and blocks applied.
 *
 * The home feed's lenses (lens-stack.ts) stand on the same: `listTopic`
 * and `listSince` read who is listed, under a topic or lately, fetching their
 * feeds as above.
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
import type { CoreApi } from './api-types.ts';
import type { DirectoryCard } from '../directory/types.ts';
import { type LensStack, type LensStackDeps, createLensStack } from './lens-stack.ts';

export const TOPIC_LIMITS = {
  /** Listed feeds fetched in one read at most: a topic page of 50 people must not fetch 50 feeds at once. */
  fetchesPerRead: 8,
  /** A feed fetched for a topic page is fetched again after this long (a follow keeps followed ones fresh). */
  refetchMs: 10 * 60 * 1000,
  /** Posts on one topic page. */
  posts: 50,
  /** Pages of the whole directory read to find who was listed lately (it pages by id, not by time). */
  pagesSince: 4,
} as const;

export interface DirectoryApiDeps {
  readonly db: CoreDb;
  readonly store: FeedStore;
  readonly keys: KeySource;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  readonly now: () => number;
  readonly hidden: (pseudonym: PseudonymId) => Promise<Hidden>;
  readonly settings: LensStackDeps['settings'];
  readonly changed: LensStackDeps['changed'];
  /** Fetches `author`'s feed from `hubs` for `pseudonym`, or brings it up to date (Feeds.update). */
  readonly fetchFeed: (author: PseudonymId, hubs: readonly string[], pseudonym: PseudonymId) => Promise<unknown>;
}

export interface Directory {
  readonly api: Pick<CoreApi, 'discover' | 'readTopic'>;
  /** Those listed under `topic` in the pseudonym's home hub directory, their feeds fetched (a few per read). */
  listTopic(pseudonym: PseudonymId, topic: string): Promise<DirectoryCard[]>;
  /** Those listed whose listing was signed since `since` (the first pages), their feeds fetched (a few per read). */
  listSince(pseudonym: PseudonymId, since: number): Promise<DirectoryCard[]>;
  /** The home feed's lenses, reading the directory through the two above. */
  readonly lenses: LensStack;
}

export function createDirectory(deps: DirectoryApiDeps): Directory {
  const fetchedAt = new Map<string, number>();
  const fetching = new Map<string, Promise<unknown>>();
  const blockedBy = async (pseudonym: PseudonymId) => (await deps.hidden(pseudonym)).blocked;
  const discoverDeps = { ...deps, blocked: blockedBy };
  /**
   * Fetches the feeds of those not followed, at most a few and each again only after a while. (Never this
   * device's other pseudonyms: discover leaves them out, as a fetch as this one, just after one listed itself,
   * would tie the two together.)
   */
  const fetchListed = async (pseudonym: PseudonymId, people: readonly DirectoryCard[]) => {
    const key = (card: DirectoryCard) => `${pseudonym}:${card.id}`;
    // A fetch another read started (a lens, a topic page) is waited for: a read while it runs would find the feed
    // half there, and no notice tells a reader of someone not followed that it arrived.
    const running = people.flatMap((p) => fetching.get(key(p)) ?? []);
    const due = people.filter((p) => !p.followed && !fetchedLately(fetchedAt, key(p), deps.now()));
    const started = due.slice(0, TOPIC_LIMITS.fetchesPerRead).map((card) => {
      fetchedAt.set(key(card), deps.now());
      // A feed that cannot be fetched now (its hub down, a refusal) is left out of this read, not an error.
      const fetched = deps
        .fetchFeed(card.id, [hubOrigin(parseHandle(card.handle).host)], pseudonym)
        .catch(() => {})
        .finally(() => fetching.delete(key(card)));
      fetching.set(key(card), fetched);
      return fetched;
    });
    await Promise.all([...running, ...started]);
  };
  const listTopic = async (pseudonym: PseudonymId, topicText: string) => {
    const topic = directoryQueryOf({ topic: topicText }).topic ?? '';
    const { people } = await discover(discoverDeps, pseudonym, { topic });
    await fetchListed(pseudonym, people);
    return { topic, people: [...people] };
  };

  const api: Directory['api'] = {
    discover: (pseudonym, query) => asResult(() => discover(discoverDeps, pseudonym, query)),
    readTopic: (pseudonym, topicText) =>
      asResult(async () => {
        const { topic, people } = await listTopic(pseudonym, topicText);
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

  const directory: Omit<Directory, 'lenses'> = {
    api,
    listTopic: async (pseudonym, topic) => (await listTopic(pseudonym, topic)).people,
    async listSince(pseudonym, since) {
      const lately: DirectoryCard[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < TOPIC_LIMITS.pagesSince; page++) {
        const answer = await discover(discoverDeps, pseudonym, cursor === undefined ? {} : { cursor });
        lately.push(...answer.people.filter((p) => p.listedAt >= since));
        cursor = answer.next;
        if (cursor === undefined) break;
      }
      await fetchListed(pseudonym, lately);
      return lately;
    },
  };
  return { ...directory, lenses: createLensStack({ ...deps, ...directory }) };
}

function fetchedLately(fetchedAt: ReadonlyMap<string, number>, key: string, now: number): boolean {
  const at = fetchedAt.get(key);
  return at !== undefined && now - at < TOPIC_LIMITS.refetchMs;
}
