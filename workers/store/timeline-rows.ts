/**
 * The materialized timeline: each post row carries its view (post-rows.ts)
 * and the local pseudonyms (viewers) that see it, and the post store is in
 * timeline order, so a page is one getAll on it (timeline.ts). Views are rebuilt,
 * inside the transaction that stores the commits changing them, from the
 * merge-rule stores (posts, edits, tombstones, reactions, reposts, profiles,
 * follows), never from arrival order, so a view is a pure function of the
 * set of commits held:
 *
 * - a post is visible to V when its author has not deleted it, and its author
 *   or a reposter that has not deleted its repost is V or followed by V;
 * - shown version = the author's latest edit by stamp (a deleted version does not count);
 * - reactions per (target, emoji) count the reactors whose last op is react;
 * - votes count the voters whose last vote is +1 (up) or -1 (down).
 *
 * Every post a held row names (reply, reaction, repost, edit, delete) has a
 * row, a stub until the post arrives; so a post arriving with no row has
 * nothing to read about it (the fast path for catch-up ingest).
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { compareStamps } from '../../src/protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import { currentHandle } from '../../src/protocol/handle-names.ts';
import type { CoreSchema, PostKey, PostRow, TimelineKey } from './db.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import {
  type HeldPostRow,
  audienceAdmits,
  authorRange,
  voteView,
  isHeldPost,
  mediaKeyOf,
  postKeyOf,
  postValueOf,
  seenBy,
  stubRow,
  viewerTag,
} from './post-rows.ts';
import { putSearchRow, searchRowOf } from './search-rows.ts';
import { shownVersion } from './edit-versions.ts';

/**
 * Every store a row's rebuild reads or writes, with the packs and marks of posts still without rows (lazy-posts.ts).
 */
export const ROW_STORES = [
  'pseudonyms',
  'posts',
  'edits',
  'tombstones',
  'reactions',
  'reposts',
  'profiles',
  'votes',
  'follows',
  'blobs',
  'packs',
  'packBytes',
  'meta',
  'search',
] as const;
type Tx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

/** Posts whose views follow a change of what a viewer follows about `author` (its posts and reposts). */
export async function postsOfAuthor(tx: Tx, author: PseudonymId): Promise<ObjectId[]> {
  const [own, reposted] = await Promise.all([
    tx.objectStore('posts').index('byAuthorTs').getAll(authorRange(author)),
    tx.objectStore('reposts').index('byReposter').getAllKeys(author),
  ]);
  return [...own.map((r) => r.id), ...reposted.map(([object]) => object)];
}

export interface RebuildInput {
  /** Rows planned in this transaction (apply-plan.ts): used instead of reading them back. */
  readonly rows?: ReadonlyMap<ObjectId, HeldPostRow>;
  /**
   * Of those, posts that had no row before and that nothing in this transaction names: nothing about them can be held.
   */
  readonly fresh?: ReadonlySet<ObjectId>;
  /** Bodies of post objects already decoded (saves reading their blobs). */
  readonly bodies?: ReadonlyMap<ObjectId, string>;
}

/** Rebuilds and writes the rows of `posts` for every local viewer; a post not held gets a stub row. */
export async function rebuildRows(tx: Tx, posts: Iterable<ObjectId>, input: RebuildInput = {}): Promise<void> {
  const own = await tx.objectStore('pseudonyms').getAll();
  const viewers = own.map((p) => ({ id: p.id, tag: viewerTag(p.id) }));
  const follows = new Map<string, Promise<Seen>>();
  for (const p of own)
    follows.set(
      `${p.id} ${p.id}`,
      Promise.resolve({ active: true, ...(p.handle !== undefined && { handle: p.handle }) }),
    );
  const sees = (viewer: PseudonymId, carrier: PseudonymId): Promise<Seen> => {
    const key = `${viewer} ${carrier}`;
    let known = follows.get(key);
    if (!known) {
      known = tx
        .objectStore('follows')
        .get([viewer, carrier])
        .then((f) => ({ active: f?.active === true, ...(f?.handle !== undefined && { handle: f.handle }) }));
      follows.set(key, known);
    }
    return known;
  };
  const fields = new Map<string, Promise<unknown>>();
  const profileOf = (author: PseudonymId, field: 'name' | 'hubs') => {
    let value = fields.get(`${author} ${field}`);
    if (!value) {
      value = tx
        .objectStore('profiles')
        .get([author, field])
        .then((r) => r?.value);
      fields.set(`${author} ${field}`, value);
    }
    return value;
  };
  const ctx: Ctx = {
    viewers,
    sees,
    profileOf,
    rows: input.rows ?? new Map(),
    fresh: input.fresh ?? new Set(),
    bodies: input.bodies ?? new Map(),
  };
  await Promise.all([...new Set(posts)].map((id) => rebuildOne(tx, id, ctx)));
}

/** What every post's rebuild shares: who views, who they see, and reads made once per transaction. */
interface Ctx {
  readonly viewers: readonly { readonly id: PseudonymId; readonly tag: string }[];
  readonly sees: (viewer: PseudonymId, carrier: PseudonymId) => Promise<Seen>;
  /** A profile field of an author (its name; its signed hubs, which say where its handle is now). */
  readonly profileOf: (author: PseudonymId, field: 'name' | 'hubs') => Promise<unknown>;
  readonly rows: ReadonlyMap<ObjectId, HeldPostRow>;
  readonly fresh: ReadonlySet<ObjectId>;
  readonly bodies: ReadonlyMap<ObjectId, string>;
}

/** Whether a viewer sees a feed (itself, or followed), and the handle it knows the feed by. */
interface Seen {
  readonly active: boolean;
  readonly handle?: string;
}

/** The fields of a row that are its view (rebuilt from scratch each time). */
const VIEW_FIELDS = ['vw', 'tm', 'v', 'an', 'ed', 'eb', 'rx', 'rc', 'vo', 'del'] as const;

function baseOf(row: HeldPostRow): HeldPostRow {
  const base: Record<string, unknown> = { ...row };
  for (const f of VIEW_FIELDS) delete base[f];
  return base as unknown as HeldPostRow;
}

const NONE = {
  tombstones: [] as [ObjectId, PseudonymId][],
  reposts: [] as { reposter: PseudonymId }[],
  edits: [] as { id: ObjectId; author: PseudonymId; stamp: readonly [number, string, number] }[],
  reactions: [] as { emoji: string; reactor: PseudonymId; on: boolean }[],
  replies: 0,
  votes: [] as { voter: PseudonymId; value: -1 | 0 | 1 }[],
};

async function rebuildOne(tx: Tx, id: ObjectId, ctx: Ctx): Promise<void> {
  const posts = tx.objectStore('posts');
  const planned = ctx.rows.get(id);
  if (planned && ctx.fresh.has(id)) return writeView(tx, planned, NONE, ctx);
  const range = IDBKeyRange.bound([id], [id, []]);
  const [stored, tombstones, reposts, edits, reactions, replies, votes] = await Promise.all([
    planned ?? posts.index('byId').get(id),
    tx.objectStore('tombstones').getAllKeys(range),
    tx.objectStore('reposts').getAll(range),
    tx.objectStore('edits').getAll(range),
    tx.objectStore('reactions').getAll(range),
    posts.index('byReplyTo').count(id),
    tx.objectStore('votes').getAll(range),
  ]);
  if (!stored) {
    await posts.put(stubRow(id)); // something held names this post
    return;
  }
  if (!isHeldPost(stored)) return;
  const post = baseOf(stored);
  if (tombstones.some(([, author]) => author === postValueOf(post).author)) {
    // Deleted: no view, and out of its parent's reply count (the index leaves it out without rt).
    const { rt, ...rest } = post;
    // Never found again: its search row goes with its view (search-rows.ts).
    await Promise.all([posts.put({ ...rest, del: 1 }), tx.objectStore('search').delete(post.k)]);
    if (!stored.del && rt) await rebuildOne(tx, rt, ctx);
    return;
  }
  await writeView(tx, post, { tombstones, reposts, edits, reactions, replies, votes }, ctx);
}

async function writeView(tx: Tx, post: HeldPostRow, held: typeof NONE, ctx: Ctx): Promise<void> {
  const value = postValueOf(post);
  const deletedBy = new Set(held.tombstones.map(([, author]) => author));
  // An author's repost of its own post is no repost (as in testing/model-view.ts): it is there as a post.
  const reposters = held.reposts
    .filter((r) => !deletedBy.has(r.reposter) && r.reposter !== value.author)
    .map((r) => r.reposter);
  const carriers = [value.author, ...reposters];
  const [shown, name, hubs] = await Promise.all([
    shownBody(
      tx,
      post,
      held.edits.filter((e) => e.author === value.author),
      ctx.bodies,
    ),
    ctx.profileOf(value.author, 'name'),
    ctx.profileOf(value.author, 'hubs'),
  ]);
  const counts = new Map<string, { count: number; reactors: Set<PseudonymId> }>();
  for (const r of held.reactions) {
    if (!r.on) continue;
    const c = counts.get(r.emoji) ?? { count: 0, reactors: new Set() };
    c.count++;
    c.reactors.add(r.reactor);
    counts.set(r.emoji, c);
  }
  const vw: string[] = [];
  const tm: TimelineKey[] = [];
  const v: Record<string, { h?: string; rb?: PseudonymId[] }> = {};
  await Promise.all(
    ctx.viewers.map(async (viewer) => {
      if (!audienceAdmits(post, value.author, viewer.id)) return;
      const seen = await Promise.all(carriers.map((c) => ctx.sees(viewer.id, c)));
      if (!seen.some((s) => s.active)) return;
      vw.push(viewer.tag);
      if (value.media?.length) tm.push(mediaKeyOf(viewer.tag, value.ts, post.id));
      const repostedBy = reposters.filter((r) => seen[carriers.indexOf(r)]!.active).sort();
      // The handle followed by, on the hub the author's newest signed profile names (it may have moved since).
      const handle = currentHandle(seen[0]!.handle, hubs);
      if (handle !== undefined || repostedBy.length > 0)
        v[viewer.id] = { ...(handle !== undefined && { h: handle }), ...(repostedBy.length > 0 && { rb: repostedBy }) };
    }),
  );
  const local = new Set(ctx.viewers.map((x) => x.id));
  const row: PostRow = {
    ...post,
    ...(vw.length > 0 && { vw }),
    ...(tm.length > 0 && { tm }),
    ...(Object.keys(v).length > 0 && { v }),
    ...(typeof name === 'string' && { an: name }),
    ...(shown.edited && { ed: 1 as const }),
    ...(shown.body !== undefined && { eb: shown.body }),
    ...(counts.size > 0 && {
      rx: [...counts]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([e, c]) => {
          const m = [...c.reactors].filter((r) => local.has(r)).sort();
          return { e, n: c.count, ...(m.length > 0 && { m }) };
        }),
    }),
    ...(held.replies > 0 && { rc: held.replies }),
    ...voteView(held.votes, local),
  };
  // The search row follows the shown version (search-rows.ts); the row is not deleted here.
  await Promise.all([tx.objectStore('posts').put(row), putSearchRow(tx, searchRowOf(row as HeldPostRow)!)]);
}

/** The body of the shown version when an edit is shown: the latest edit by stamp whose version is not deleted. */
async function shownBody(
  tx: Tx,
  post: HeldPostRow,
  edits: readonly { id: ObjectId; stamp: readonly [number, string, number] }[],
  bodies: ReadonlyMap<ObjectId, string>,
): Promise<{ body?: string; edited: boolean }> {
  if (edits.length === 0) return { edited: false };
  const { author } = postValueOf(post);
  const gone = await Promise.all(edits.map((e) => tx.objectStore('tombstones').getKey([e.id, author])));
  const live = edits
    .filter((_, i) => gone[i] === undefined)
    .sort((a, b) => compareStamps(b.stamp as never, a.stamp as never));
  const latest = live[0];
  if (!latest) return { edited: true };
  const held = bodies.has(latest.id) ? undefined : (await tx.objectStore('blobs').get(latest.id))?.bytes;
  const body = bodies.get(latest.id) ?? (held && shownVersion(held, post, author)?.body);
  return body === undefined ? { edited: true } : { body, edited: true };
}

/**
 * Rebuilds the rows of everything `authors` posted or reposted, in one
 * transaction: after a handle claim, or when a pseudonym arrives on this
 * device (import) and must see the feeds it follows and its own.
 */
export async function refreshAuthorRows(db: IDBPDatabase<CoreSchema>, authors: readonly PseudonymId[]): Promise<void> {
  const tx = db.transaction(ROW_STORES, 'readwrite') as unknown as Tx;
  const ids = (await Promise.all(authors.map((a) => postsOfAuthor(tx, a)))).flat();
  await Promise.all([rebuildRows(tx, ids), tx.done]);
}

/** The posts on `viewer`'s timeline (to rebuild when it leaves this device: rare, so a scan, row by row). */
export async function postsSeenBy(tx: Tx, viewer: PseudonymId): Promise<ObjectId[]> {
  const v = viewerTag(viewer);
  const ids: ObjectId[] = [];
  for (let c = await tx.objectStore('posts').openCursor(); c; c = await c.continue())
    if (seenBy(c.value, v)) ids.push(c.value.id);
  return ids;
}

/** What existingPosts reads: the post store of any transaction. */
export interface PostStore {
  get(key: PostKey): Promise<PostRow | undefined>;
  getAllKeys(range: IDBKeyRange): Promise<PostKey[]>;
  index(name: 'byId'): { get(id: ObjectId): Promise<PostRow | undefined> };
}

/** Below this many posts a read per post is cheaper than reading key spans. */
const SPAN_READ_FROM = 16;

/**
 * The rows of `objects` as they are now (stubs included). Many at once are
 * found with two key reads (the span of their keys, and the stubs') and a
 * read only per row that exists, instead of a read per post.
 */
export async function existingPosts(
  postStore: PostStore,
  objects: readonly BuiltObject<PostObject>[],
): Promise<Map<ObjectId, PostRow>> {
  const found = new Map<ObjectId, PostRow>();
  if (objects.length < SPAN_READ_FROM) {
    const rows = await Promise.all(objects.map((o) => postStore.index('byId').get(o.id)));
    for (const r of rows) if (r) found.set(r.id, r);
    return found;
  }
  const keys = objects.map((o) => postKeyOf(o.value.ts, o.id));
  const lo = Math.min(...keys.map((k) => k[0]));
  const hi = Math.max(...keys.map((k) => k[0]));
  const [span, stubs] = await Promise.all([
    postStore.getAllKeys(IDBKeyRange.bound([lo], [hi, Infinity, Infinity])),
    postStore.getAllKeys(IDBKeyRange.lowerBound([Infinity])),
  ]);
  const held = new Set([...span, ...stubs].map((k) => k.join()));
  const candidates = objects
    .flatMap((_, i) => [keys[i]!, [Infinity, keys[i]![1], keys[i]![2]] as PostKey])
    .filter((k) => held.has(k.join()));
  for (const r of await Promise.all(candidates.map((k) => postStore.get(k)))) if (r) found.set(r.id, r);
  return found;
}
