/**
 * A topic page's posts: the newest public posts carrying one topic from the
 * given feeds (the listed pseudonyms under that topic), whether or not the
 * viewer follows them. It walks each author's posts (byAuthorTs) rather than
 * the viewer's timeline rows, which hold only what the viewer follows, and
 * keeps posts that are held, not deleted, not sealed (a sealed post is for
 * its readers, never for a topic page) and tagged with the topic.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { TimelineItem } from '../api/api-types.ts';
import type { CoreDb, PostKey } from '../store/db.ts';
import { compareKeys, isHeldPost, itemOf } from '../store/post-rows.ts';
import { authorRange } from '../store/post-rows.ts';

/** The newest posts of each author looked at: a topic page shows recent posts, not a whole feed's history. */
export const TOPIC_SCAN_PER_AUTHOR = 200;

export async function listTopicPosts(
  db: CoreDb,
  viewer: PseudonymId,
  authors: readonly PseudonymId[],
  topic: string,
  limit: number,
): Promise<TimelineItem[]> {
  const index = db.transaction('posts').store.index('byAuthorTs');
  const perAuthor = await Promise.all(
    [...new Set(authors)].map(async (author) => {
      const found: { k: PostKey; item: TimelineItem }[] = [];
      let scanned = 0;
      for (
        let c = await index.openCursor(authorRange(author));
        c && found.length < limit && scanned < TOPIC_SCAN_PER_AUTHOR;
        c = await c.continue(), scanned++
      ) {
        const row = c.value;
        if (!isHeldPost(row) || row.del || row.au) continue;
        const item = itemOf(row, viewer);
        if (item.tags?.includes(topic)) found.push({ k: row.k, item });
      }
      return found;
    }),
  );
  return perAuthor
    .flat()
    .sort((x, y) => compareKeys(x.k, y.k))
    .slice(0, limit)
    .map((f) => f.item);
}

/**
 * Each author's oldest public posts held here, at most `perAuthor` of each, oldest first: a feed's first posts
 * once it is fetched whole (the fresh lens's reading of a newly listed pseudonym).
 */
export async function listFirstPosts(
  db: CoreDb,
  viewer: PseudonymId,
  authors: readonly PseudonymId[],
  perAuthor: number,
): Promise<TimelineItem[]> {
  const index = db.transaction('posts').store.index('byAuthorTs');
  const perFeed = await Promise.all(
    [...new Set(authors)].map(async (author) => {
      const found: TimelineItem[] = [];
      // The index runs newest first within an author: backwards is oldest first.
      for (
        let c = await index.openCursor(authorRange(author), 'prev');
        c && found.length < perAuthor;
        c = await c.continue()
      ) {
        const row = c.value;
        if (isHeldPost(row) && !row.del && !row.au) found.push(itemOf(row, viewer));
      }
      return found;
    }),
  );
  return perFeed.flat();
}
