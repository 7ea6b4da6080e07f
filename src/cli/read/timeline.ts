/**
 * The timeline the command line shows: one's own posts, those of the feeds
 * one follows, and the posts those feeds reposted, newest first, filtered as
 * `timeline` asks (since, handle, media). Each feed's state comes from the
 * merge model over what the store holds (feeds.ts); the posts are read from
 * the store's blobs. It reads the store only (no network): `timeline`
 * refreshes the follows first.
 */
import { join } from 'node:path';
import { isSealedPost } from '../../protocol/audience.ts';
import { shownVersion } from '../../protocol/feed-state.ts';
import type { CommitId, ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { PostObject } from '../../protocol/objects.ts';
import { type Hidden, hidesItem } from '../../../workers/private/filter.ts';
import type { FeedStore } from '../../../workers/store/core-store.ts';
import { FeedMemo } from './feed-memo.ts';
import { ChunkedList, mergeSorted, newerFirst } from './newest-first.ts';
import {
  type Decoded,
  type HeldFeed,
  type PostAgent,
  decodeAnew,
  listReadFeeds,
  readFeed,
} from '../../../workers/read/held-feed.ts';
import { openedRows, openedView, shownTo } from './opened-posts.ts';
import type { SealedAudienceKind } from '../../protocol/ops.ts';

/** Who reposted a post into the timeline, and when. */
export interface RepostMark {
  readonly by: PseudonymId;
  readonly handle: string | null;
  /** Milliseconds since the epoch: the repost commit's time. */
  readonly ts: number;
}

/** One post as `timeline --json` prints it (docs/cli.md): a stable shape. */
export interface TimelinePost {
  readonly id: ObjectId;
  readonly author: PseudonymId;
  /** `name@host` when the author is followed by handle (or is oneself with a handle). */
  readonly handle: string | null;
  readonly body: string;
  /** Milliseconds since the Unix epoch, as the author's clock saw it. */
  readonly ts: number;
  readonly replyTo: ObjectId | null;
  readonly quoteOf: ObjectId | null;
  readonly tags: readonly string[];
  /** The ids (sha256) of its media blobs. */
  readonly media: readonly ObjectId[];
  /** True when the author edited it since: the body is the latest version's, `ts` the first's. */
  readonly edited: boolean;
  /** Set when it is shown because a followed feed reposted it (its author's feed does not show it). */
  readonly repost: RepostMark | null;
  /** Set when an agent wrote it for its author (its commit carries the agent; docs/cli.md). */
  readonly agent: PostAgent | null;
  /** Who may read it when it is not public: `followers`, `allowlist` or `link` (null: public). */
  readonly audience: SealedAudienceKind | null;
}

/** A post as a feed's digest keeps it: a sealed one with the local viewers that opened it (never printed). */
type DigestPost = TimelinePost & { readonly readers?: readonly string[] };

/** What `timeline` asks for. */
export interface TimelineQuery {
  /** At most this many (the newest). */
  readonly limit: number;
  /** Only posts (or reposts) at or after this time, ms since the epoch. */
  readonly since?: number;
  /** Only posts by this handle (`name@host`, or `name` on any host). */
  readonly handle?: string;
  readonly hasMedia?: boolean;
  /** Oldest first (still the newest `limit`). */
  readonly reverse?: boolean;
  /** What one's mutes and blocks hide (posts by, or reposted by, those muted; muted words and tags). */
  readonly hidden?: Hidden;
}

function postOf(
  id: ObjectId,
  value: PostObject,
  extra: {
    handle: string | null;
    body: string;
    edited: boolean;
    repost: RepostMark | null;
    agent?: PostAgent;
    sealed?: { audience: SealedAudienceKind; readers: readonly string[] };
  },
): DigestPost {
  return {
    id,
    author: value.author,
    handle: extra.handle,
    body: extra.body,
    ts: value.ts,
    replyTo: value.reply_to ?? null,
    quoteOf: value.quote_of ?? null,
    tags: [...(value.tags ?? [])],
    media: [...(value.media ?? [])],
    edited: extra.edited,
    repost: extra.repost,
    agent: extra.agent ?? null,
    audience: extra.sealed?.audience ?? null,
    ...(extra.sealed && { readers: extra.sealed.readers }),
  };
}

/**
 * What the timeline takes from one feed, whatever the query asks: a function of the feed's heads, so it can be
 * kept between commands (feed-memo.ts). Beside it the memo keeps the feed's posts still shown (not deleted), each
 * with the body of its latest edit, newest first, as the chunks of a ChunkedList (newest-first.ts); `handle`
 * null, set per read.
 */
export interface FeedDigest {
  /** The posts it reposted and has not withdrawn, as held, with the repost's time and the original's commit. */
  readonly reposts: readonly { id: ObjectId; value: PostObject; ts: number; original: CommitId }[];
  readonly deleted: ReadonlySet<ObjectId>;
  readonly agents: ReadonlyMap<CommitId, PostAgent>;
}

/** The memo of feed digests in `home` (a file beside the journal; feed-memo.ts says why it is safe to keep). */
export function openTimelineMemo(home: string): FeedMemo<FeedDigest> {
  return FeedMemo.open(join(home, 'timeline-memo'), 'timeline-digest-4');
}

/** A feed's digest, and its posts; `whole` is false when a blob it shows was not held (then it is not kept). */
async function digestOf(
  store: FeedStore,
  feed: HeldFeed,
  decoded: Decoded,
): Promise<{ digest: FeedDigest; posts: ChunkedList<DigestPost>; whole: boolean }> {
  const { author, state } = feed;
  let whole = true;
  const shown = new Map<ObjectId, ObjectId>();
  for (const id of state.posts.keys()) {
    const version = shownVersion(state, id);
    if (version !== undefined) shown.set(id, version);
  }
  const blobs = await store.findBlobs(author, [...new Set([...shown.keys(), ...shown.values()])]);
  const sealed = [...shown.keys()].filter((id) => {
    const bytes = blobs.get(id);
    return bytes !== undefined && isSealedPost(bytes);
  });
  const opened = await openedRows(store, sealed);
  const posts = [...shown].flatMap(([id, version]): DigestPost[] => {
    const original = blobs.get(id);
    const latest = blobs.get(version);
    if (!original || !latest) {
      whole = false;
      return [];
    }
    const agent = feed.agents.get(state.posts.get(id)![1]);
    if (isSealedPost(original)) {
      // Shown as opened when this home's ingest opened it (opened-posts.ts); else to no one.
      const row = opened.get(id);
      const view = row && openedView(row, author, id, version, latest);
      if (!view) return [];
      const { value, body, edited, audience, readers } = view;
      const extra = {
        handle: null,
        body,
        edited,
        repost: null,
        sealed: { audience, readers },
        ...(agent && { agent }),
      };
      return [postOf(id, value, extra)];
    }
    const value = decoded.post(id, original);
    if (value.author !== author) return []; // a repost's original: shown on its author's feed, or as a repost
    // Most posts were never edited: their shown version is the post itself, decoded (and hashed) once.
    const body = version === id ? value.body : decoded.post(version, latest).body;
    return [postOf(id, value, { handle: null, body, edited: version !== id, repost: null, ...(agent && { agent }) })];
  });
  const reposted = [...state.reposts.keys()].filter((id) => !state.deleted.has(id));
  const held = await store.findBlobs(author, reposted);
  const reposts = reposted.flatMap((id) => {
    const bytes = held.get(id);
    if (!bytes) {
      whole = false;
      return [];
    }
    if (isSealedPost(bytes)) return [];
    const { stamp, value: original } = state.reposts.get(id)!;
    return [{ id, value: decoded.post(id, bytes), ts: stamp[0], original }];
  });
  const list = ChunkedList.encode(posts.sort(newerFirst((p) => p.ts)));
  return { digest: { reposts, deleted: state.deleted, agents: feed.agents }, posts: list, whole };
}

interface DigestedFeed {
  readonly author: PseudonymId;
  readonly handle: string | null;
  readonly digest: FeedDigest;
  readonly posts: ChunkedList<DigestPost>;
}

/** The digest of `feed` at its heads now: kept in `memo`, else derived from the store (and kept). */
async function digestFeed(
  store: FeedStore,
  feed: { readonly author: PseudonymId; readonly handle: string | null },
  memo: FeedMemo<FeedDigest> | undefined,
  decoded: Decoded,
): Promise<DigestedFeed> {
  const heads = (await store.findTips(feed.author))?.heads ?? [];
  const kept = memo?.find(feed.author, heads);
  if (kept) return { ...feed, digest: kept.value, posts: new ChunkedList(kept.chunks) };
  const { digest, posts, whole } = await digestOf(store, await readFeed(store, feed, heads, decoded), decoded);
  if (whole) memo?.put(feed.author, heads, digest, posts.chunks);
  return { ...feed, digest, posts };
}

/** The posts a feed reposted and has not withdrawn, marked as reposts; those whose author deleted them left out. */
function feedReposts(feed: DigestedFeed, feeds: readonly DigestedFeed[]): TimelinePost[] {
  return feed.digest.reposts.flatMap(({ id, value, ts, original }) => {
    const byAuthor = feeds.find((f) => f.author === value.author);
    if (byAuthor?.digest.deleted.has(id)) return [];
    const agent = byAuthor?.digest.agents.get(original);
    const extra = {
      handle: byAuthor?.handle ?? null,
      body: value.body,
      edited: false,
      repost: { by: feed.author, handle: feed.handle, ts },
      ...(agent && { agent }),
    };
    return [postOf(id, value, extra)];
  });
}

/**
 * Keeps a repost (taken oldest repost first) unless the post shows already: on its author's feed, when that is
 * read, or by an earlier repost.
 */
function firstShowing(feeds: readonly DigestedFeed[]): (post: TimelinePost) => boolean {
  const shown = new Set<ObjectId>();
  const byAuthor = new Map<PseudonymId, ReadonlySet<ObjectId>>();
  const onFeed = (post: TimelinePost) => {
    let ids = byAuthor.get(post.author);
    if (!ids) {
      const feed = feeds.find((f) => f.author === post.author);
      ids = new Set(feed ? [...feed.posts.items()].map((p) => p.id) : []);
      byAuthor.set(post.author, ids);
    }
    return ids.has(post.id);
  };
  return (post) => !shown.has(post.id) && !onFeed(post) && shown.add(post.id) !== undefined;
}

function* withHandle(posts: Iterable<TimelinePost>, handle: string | null): Generator<TimelinePost> {
  for (const post of posts) yield handle === null ? post : { ...post, handle };
}

/** When a post entered the timeline: a repost when reposted, else when written. */
function shownAt(post: TimelinePost): number {
  return post.repost?.ts ?? post.ts;
}

function matches(post: TimelinePost, query: TimelineQuery): boolean {
  const { hidden } = query;
  if (hidden && (hidesItem(hidden, post) || (post.repost && hidden.users.has(post.repost.by)))) return false;
  if (query.since !== undefined && shownAt(post) < query.since) return false;
  if (query.hasMedia && post.media.length === 0) return false;
  if (query.handle !== undefined) {
    const wanted = query.handle.toLowerCase();
    const handle = post.handle?.toLowerCase() ?? '';
    if (handle !== wanted && !handle.startsWith(`${wanted}@`) && post.author !== query.handle) return false;
  }
  return true;
}

/**
 * `me`'s timeline, newest first (oldest first with `reverse`), at most `limit`: its own posts, its follows', and
 * what its follows reposted; a post shows once (by its author's feed when held, else its first repost). With
 * `memo`, each feed whose heads have not moved since it was kept is not read again (feed-memo.ts); it is closed
 * when the read ends. What was fetched in this process is not decoded again (`decoded`: the store's, decoded.ts).
 */
export async function readTimeline(
  store: FeedStore,
  me: { readonly id: PseudonymId; readonly handle?: string },
  query: TimelineQuery,
  memo?: FeedMemo<FeedDigest>,
  decoded: Decoded = decodeAnew,
): Promise<TimelinePost[]> {
  try {
    const feeds = await Promise.all((await listReadFeeds(store, me)).map((f) => digestFeed(store, f, memo, decoded)));
    memo?.save();
    return newestOf(feeds, query, me.id);
  } finally {
    memo?.close(); // the chunks a read reached were read from the memo's file by now
  }
}

function newestOf(feeds: readonly DigestedFeed[], query: TimelineQuery, viewer: PseudonymId): TimelinePost[] {
  const order = newerFirst(shownAt);
  const reposts = feeds
    .flatMap((f) => feedReposts(f, feeds))
    .sort((a, b) => a.repost!.ts - b.repost!.ts)
    .filter(firstShowing(feeds))
    .sort(order);
  const lists = [...feeds.map(({ posts, handle }) => withHandle(posts.items(), handle)), reposts];
  const newest: TimelinePost[] = [];
  // Newest first across the feeds, so the read stops at `limit` (or `since`) having decoded little of each.
  for (const post of mergeSorted(lists, order)) {
    if (newest.length >= query.limit || (query.since !== undefined && shownAt(post) < query.since)) break;
    if (!shownTo(post, viewer) || !matches(post, query)) continue;
    const { readers: _, ...shown } = post as DigestPost;
    newest.push(shown);
  }
  return query.reverse ? newest.reverse() : newest;
}
