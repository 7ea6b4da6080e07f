/**
 * Views of single posts for one viewer: a reply thread and a post's edit
 * history. Posts on the viewer's timeline come with their view (reactions,
 * reposts); other held replies (from feeds not followed) come as plain
 * verified items. Deleted posts never show.
 */
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { EditVersion, ThreadView, TimelineItem } from '../api/api-types.ts';
import type { CoreDb } from '../store/db.ts';
import { rowFor } from '../store/lazy-posts.ts';
import { shownVersion } from '../store/edit-versions.ts';
import {
  type HeldPostRow,
  audienceAdmits,
  isHeldPost,
  itemOf,
  postValueOf,
  seenBy,
  tsOf,
  viewerTag,
} from '../store/post-rows.ts';

/** Most posts a thread view holds (a runaway thread is cut, not loaded whole). */
const MAX_THREAD = 1000;

/** The reply tree around `post`: from its highest held ancestor down, depth-first, oldest reply first. */
export async function findThread(db: CoreDb, viewer: PseudonymId, post: ObjectId): Promise<ThreadView | undefined> {
  // A post only its pack holds gets its row first; replies and the posts they name always have rows.
  await rowFor(db, post);
  const tx = db.transaction(['posts']);
  const posts = tx.objectStore('posts');
  const v = viewerTag(viewer);
  // A thread shows held posts of feeds the viewer does not follow, but never a sealed post it is not a reader of.
  const admits = (row: HeldPostRow) => audienceAdmits(row, postValueOf(row).author, viewer);
  const first = await posts.index('byId').get(post);
  if (!isHeldPost(first) || !admits(first)) return undefined;
  let root: HeldPostRow = first;
  const seen = new Set<ObjectId>([root.id]);
  for (let up = postValueOf(root).reply_to; up && !seen.has(up); up = postValueOf(root).reply_to) {
    const parent = await posts.index('byId').get(up);
    if (!isHeldPost(parent) || !admits(parent)) break;
    seen.add(parent.id);
    root = parent;
  }
  const items: (TimelineItem & { depth: number })[] = [];
  const visit = async (row: HeldPostRow, depth: number): Promise<void> => {
    if (items.length >= MAX_THREAD || row.del || !admits(row)) return;
    items.push({ ...itemOf(row, viewer, seenBy(row, v)), depth });
    const replies = (await posts.index('byReplyTo').getAll(row.id))
      .filter((r): r is HeldPostRow => isHeldPost(r))
      .sort((a, b) => tsOf(a) - tsOf(b) || (a.id < b.id ? -1 : 1));
    for (const reply of replies) if (reply.id !== row.id) await visit(reply, depth + 1);
  };
  await visit(root, 0);
  return { root: root.id, items };
}

/** False for a sealed post `viewer` is not a reader of (post-rows.ts audienceAdmits); true for any other. */
export async function isShownTo(db: CoreDb, viewer: PseudonymId, post: ObjectId): Promise<boolean> {
  const row = await db.getFromIndex('posts', 'byId', post);
  return !isHeldPost(row) || audienceAdmits(row, postValueOf(row).author, viewer);
}

/** Every version of a post by its author, oldest first (the original, then the edits by stamp). */
export async function getEditHistory(db: CoreDb, post: ObjectId): Promise<EditVersion[]> {
  await rowFor(db, post);
  const tx = db.transaction(['posts', 'edits', 'blobs']);
  const row = await tx.objectStore('posts').index('byId').get(post);
  if (!isHeldPost(row)) return [];
  const original = postValueOf(row);
  const edits = (await tx.objectStore('edits').getAll(IDBKeyRange.bound([post], [post, []])))
    .filter((e) => e.author === original.author)
    .sort(
      (a, b) =>
        a.stamp[0] - b.stamp[0] ||
        (a.stamp[1] < b.stamp[1] ? -1 : a.stamp[1] > b.stamp[1] ? 1 : a.stamp[2] - b.stamp[2]),
    );
  const versions: EditVersion[] = [{ id: row.id, body: original.body, ts: original.ts }];
  for (const e of edits) {
    const blob = await tx.objectStore('blobs').get(e.id);
    const value = blob && shownVersion(blob.bytes, row, original.author);
    if (value) versions.push({ id: e.id, body: value.body, ts: value.ts });
  }
  return versions;
}
