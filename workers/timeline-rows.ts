/**
 * The materialized timeline: for each local pseudonym (viewer) one row per
 * post it can see, holding the item exactly as listTimeline returns it.
 * Rows are rebuilt, inside the transaction that stores the commits changing
 * them, from the merge-rule stores (posts, edits, tombstones, reactions,
 * reposts, profiles, follows), never from arrival order, so a row is a pure
 * function of the set of commits held:
 *
 * - a post is visible to V when its author has not deleted it, and its author
 *   or a reposter that has not deleted its repost is V or followed by V;
 * - shown version = the author's latest edit by stamp (a deleted version does not count);
 * - reactions per (target, emoji) count the reactors whose last op is react.
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { compareStamps } from '../src/protocol/feed-state.ts';
import type { ObjectId, PseudonymId } from '../src/protocol/ids.ts';
import type { TimelineItem } from './api-types.ts';
import type { CoreSchema, PostRow, TimelineRow } from './db.ts';

export const ROW_STORES = ['pseudonyms', 'posts', 'edits', 'tombstones', 'reactions', 'reposts', 'profiles', 'follows', 'blobs', 'timeline'] as const;
type Tx = IDBPTransaction<CoreSchema, StoreNames<CoreSchema>[], 'readwrite'>;

const COMPLEMENT: Record<string, string> = Object.fromEntries([...'0123456789abcdef'].map((c, i) => [c, (15 - i).toString(16)]));

/** The id with each hex digit complemented: ascending order of it is descending order of ids. */
export function complementId(id: string): string {
  let out = '';
  for (const c of id) out += COMPLEMENT[c] ?? c;
  return out;
}

export function timelineKey(viewer: PseudonymId, ts: number, id: ObjectId): [PseudonymId, number, string] {
  return [viewer, -ts, complementId(id)];
}

/** Posts whose rows follow a change of what `viewer` follows about `target` (its posts and reposts). */
export async function postsOfAuthor(tx: Tx, author: PseudonymId): Promise<ObjectId[]> {
  const [own, reposted] = await Promise.all([
    tx.objectStore('posts').index('byAuthorTs').getAllKeys(IDBKeyRange.bound([author, -Infinity], [author, Infinity])),
    tx.objectStore('reposts').index('byReposter').getAllKeys(author),
  ]);
  return [...own, ...reposted.map(([object]) => object)];
}

/**
 * Rebuilds the rows of `posts` for every local viewer.
 * @param bodies bodies of post objects already decoded (saves reading their blobs).
 */
export async function rebuildRows(tx: Tx, posts: Iterable<ObjectId>, bodies: ReadonlyMap<ObjectId, string> = new Map(), rows: ReadonlyMap<ObjectId, PostRow> = new Map()): Promise<void> {
  const own = await tx.objectStore('pseudonyms').getAll();
  const viewers = own.map((p) => p.id);
  const follows = new Map<string, Promise<Seen>>();
  for (const p of own) follows.set(`${p.id} ${p.id}`, Promise.resolve({ active: true, ...(p.handle !== undefined && { handle: p.handle }) }));
  const sees = (viewer: PseudonymId, carrier: PseudonymId): Promise<Seen> => {
    const key = `${viewer} ${carrier}`;
    let known = follows.get(key);
    if (!known) {
      known = tx.objectStore('follows').get([viewer, carrier]).then((f) => ({ active: f?.active === true, ...(f?.handle !== undefined && { handle: f.handle }) }));
      follows.set(key, known);
    }
    return known;
  };
  const names = new Map<PseudonymId, Promise<unknown>>();
  const nameOf = (author: PseudonymId) => {
    let name = names.get(author);
    if (!name) names.set(author, (name = tx.objectStore('profiles').get([author, 'name']).then((r) => r?.value)));
    return name;
  };
  const ctx: Ctx = { viewers, sees, bodies, rows, nameOf };
  await Promise.all([...new Set(posts)].map((id) => rebuildOne(tx, id, ctx)));
}

/** What every post's rebuild shares: who views, who they see, and reads made once per transaction. */
interface Ctx {
  readonly viewers: readonly PseudonymId[];
  readonly sees: (viewer: PseudonymId, carrier: PseudonymId) => Promise<Seen>;
  /** Bodies of post objects already decoded (saves reading their blobs). */
  readonly bodies: ReadonlyMap<ObjectId, string>;
  /** Post rows just written in this transaction (saves reading them back). */
  readonly rows: ReadonlyMap<ObjectId, PostRow>;
  readonly nameOf: (author: PseudonymId) => Promise<unknown>;
}

/** Whether a viewer sees a feed (itself, or followed), and the handle it knows the feed by. */
interface Seen {
  readonly active: boolean;
  readonly handle?: string;
}

async function rebuildOne(tx: Tx, id: ObjectId, ctx: Ctx): Promise<void> {
  const { viewers, sees, bodies } = ctx;
  const range = IDBKeyRange.bound([id], [id, []]);
  const [post, tombstones, reposts, edits, reactions, replies] = await Promise.all([
    ctx.rows.get(id) ?? tx.objectStore('posts').get(id),
    tx.objectStore('tombstones').getAllKeys(range),
    tx.objectStore('reposts').getAll(range),
    tx.objectStore('edits').getAll(range),
    tx.objectStore('reactions').getAll(range),
    tx.objectStore('posts').index('byReplyTo').getAll(id),
  ]);
  if (!post) return;
  const deletedBy = new Set(tombstones.map(([, author]) => author));
  const timeline = tx.objectStore('timeline');
  if (deletedBy.has(post.author)) {
    await Promise.all(viewers.map((v) => timeline.delete(timelineKey(v, post.ts, id))));
    if (!post.deleted) {
      // Marked on the row too, so reply and post counts leave it out; its parent counts one reply fewer.
      await tx.objectStore('posts').put({ ...post, deleted: true });
      if (post.replyTo) await rebuildOne(tx, post.replyTo, ctx);
    }
    return;
  }
  const reposters = reposts.filter((r) => !deletedBy.has(r.reposter)).map((r) => r.reposter);
  const carriers = [post.author, ...reposters.filter((r) => r !== post.author)];
  const [shown, name] = await Promise.all([
    shownBody(tx, post, edits.filter((e) => e.author === post.author), bodies),
    ctx.nameOf(post.author),
  ]);
  const counts = new Map<string, { count: number; reactors: Set<PseudonymId> }>();
  for (const r of reactions) {
    if (!r.on) continue;
    const c = counts.get(r.emoji) ?? { count: 0, reactors: new Set() };
    c.count++;
    c.reactors.add(r.reactor);
    counts.set(r.emoji, c);
  }
  const replyCount = replies.filter((r) => !r.deleted).length;
  await Promise.all(viewers.map(async (viewer) => {
    const seen = await Promise.all(carriers.map((c) => sees(viewer, c)));
    const key = timelineKey(viewer, post.ts, id);
    if (!seen.some((s) => s.active)) return timeline.delete(key);
    const repostedBy = reposters.filter((r) => seen[carriers.indexOf(r)]!.active).sort();
    const handle = seen[0]!.handle ?? (await sees(viewer, post.author)).handle;
    const item: TimelineItem = {
      id, commitId: post.commitId, author: post.author, body: shown.body, ts: post.ts, verified: true, queued: false,
      ...(handle !== undefined && { authorHandle: handle }),
      ...(typeof name === 'string' && { authorName: name }),
      ...(post.replyTo && { replyTo: post.replyTo }),
      ...(post.quoteOf && { quoteOf: post.quoteOf }),
      ...(post.tags && { tags: post.tags }),
      ...(post.media && { media: post.media }),
      ...(shown.edited && { edited: true }),
      ...(repostedBy.length > 0 && { repostedBy }),
      ...(counts.size > 0 && {
        reactions: [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([emoji, c]) => ({ emoji, count: c.count, mine: c.reactors.has(viewer) })),
      }),
      ...(replyCount > 0 && { replies: replyCount }),
      ...(post.agent && { agent: post.agent }),
    };
    const row: TimelineRow = { viewer, k: key[1], r: key[2], author: post.author, item, ...(post.media?.length && { mk: key[1] }) };
    return timeline.put(row);
  }));
}

/** The body of the shown version: the latest edit by stamp whose version is not deleted, else the post. */
async function shownBody(tx: Tx, post: PostRow, edits: readonly { id: ObjectId; stamp: readonly [number, string, number] }[], bodies: ReadonlyMap<ObjectId, string>): Promise<{ body: string; edited: boolean }> {
  if (edits.length === 0) return { body: post.body, edited: false };
  const gone = await Promise.all(edits.map((e) => tx.objectStore('tombstones').getKey([e.id, post.author])));
  const live = edits.filter((_, i) => gone[i] === undefined).sort((a, b) => compareStamps(b.stamp as never, a.stamp as never));
  const latest = live[0];
  if (!latest) return { body: post.body, edited: true };
  return { body: bodies.get(latest.id) ?? (await bodyOfBlob(tx, latest.id)) ?? post.body, edited: true };
}

async function bodyOfBlob(tx: Tx, id: ObjectId): Promise<string | undefined> {
  const row = await tx.objectStore('blobs').get(id);
  if (!row) return undefined;
  // Stored blobs were verified on the way in: reading the field is enough.
  const value = JSON.parse(new TextDecoder().decode(row.bytes)) as { body?: unknown };
  return typeof value.body === 'string' ? value.body : undefined;
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
