/**
 * Views of single posts for one viewer: a reply thread and a post's edit
 * history. Posts the viewer's timeline holds come with their materialized
 * row (reactions, reposts); other held replies (from feeds not followed)
 * come as plain verified items. Deleted posts never show.
 */
import type { ObjectId, PseudonymId } from '../src/protocol/ids.ts';
import type { EditVersion, ThreadView, TimelineItem } from './api-types.ts';
import type { CoreDb, PostRow } from './db.ts';
import { timelineKey } from './timeline-rows.ts';

/** Most posts a thread view holds (a runaway thread is cut, not loaded whole). */
const MAX_THREAD = 1000;

function plainItem(row: PostRow): TimelineItem {
  return {
    id: row.id, commitId: row.commitId, author: row.author, body: row.body, ts: row.ts, verified: true, queued: false,
    ...(row.replyTo && { replyTo: row.replyTo }), ...(row.quoteOf && { quoteOf: row.quoteOf }),
    ...(row.tags && { tags: row.tags }), ...(row.media && { media: row.media }), ...(row.agent && { agent: row.agent }),
  };
}

/** The reply tree around `post`: from its highest held ancestor down, depth-first, oldest reply first. */
export async function getThread(db: CoreDb, viewer: PseudonymId, post: ObjectId): Promise<ThreadView | undefined> {
  const tx = db.transaction(['posts', 'timeline', 'tombstones']);
  const posts = tx.objectStore('posts');
  let root = await posts.get(post);
  if (!root) return undefined;
  const seen = new Set<ObjectId>([root.id]);
  while (root.replyTo && !seen.has(root.replyTo)) {
    const parent = await posts.get(root.replyTo);
    if (!parent) break;
    seen.add(parent.id);
    root = parent;
  }
  const items: (TimelineItem & { depth: number })[] = [];
  const visit = async (row: PostRow, depth: number): Promise<void> => {
    if (items.length >= MAX_THREAD || row.deleted) return;
    const shown = await tx.objectStore('timeline').get(timelineKey(viewer, row.ts, row.id));
    items.push({ ...(shown?.item ?? plainItem(row)), depth });
    const replies = (await posts.index('byReplyTo').getAll(row.id)).sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    for (const reply of replies) if (reply.id !== row.id) await visit(reply, depth + 1);
  };
  await visit(root, 0);
  return { root: root.id, items };
}

/** Every version of a post by its author, oldest first (the original, then the edits by stamp). */
export async function getEditHistory(db: CoreDb, post: ObjectId): Promise<EditVersion[]> {
  const tx = db.transaction(['posts', 'edits', 'blobs']);
  const row = await tx.objectStore('posts').get(post);
  if (!row) return [];
  const edits = (await tx.objectStore('edits').getAll(IDBKeyRange.bound([post], [post, []])))
    .filter((e) => e.author === row.author)
    .sort((a, b) => a.stamp[0] - b.stamp[0] || (a.stamp[1] < b.stamp[1] ? -1 : a.stamp[1] > b.stamp[1] ? 1 : a.stamp[2] - b.stamp[2]));
  const versions: EditVersion[] = [{ id: row.id, body: row.body, ts: row.ts }];
  for (const e of edits) {
    const blob = await tx.objectStore('blobs').get(e.id);
    if (!blob) continue;
    // Stored blobs were verified as post objects on the way in.
    const value = JSON.parse(new TextDecoder().decode(blob.bytes)) as { body: string; ts: number };
    versions.push({ id: e.id, body: value.body, ts: value.ts });
  }
  return versions;
}
