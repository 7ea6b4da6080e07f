/**
 * Opening one's own link posts made on another device (private/links.ts):
 * each link the private state names whose commit and sealed post this device
 * holds, and that has no row here yet, is opened with its key and given its
 * row (store/opened-rows.ts). Everything was verified when stored; the post
 * must still be its feed author's, published by that commit as a link post.
 * A link whose commit has not arrived yet is tried again on the next pass.
 */
import { linkContentKey, openSealedObject, parseLinkFragment } from '../../src/protocol/audience.ts';
import { decodeCommit } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import { findBlobs } from '../store/commit-store.ts';
import type { CoreDb } from '../store/db.ts';
import { addOpenedPost } from '../store/opened-rows.ts';
import { isHeldPost } from '../store/post-rows.ts';
import type { LinkPostKey } from './links.ts';

/** @returns how many posts got their rows */
export async function adoptLinks(db: CoreDb, author: PseudonymId, links: readonly LinkPostKey[]): Promise<number> {
  let opened = 0;
  for (const link of links) {
    if (isHeldPost(await db.getFromIndex('posts', 'byId', link.post))) continue;
    const blobs = await findBlobs(db, author, [link.commit, link.post]);
    const commitBytes = blobs.get(link.commit);
    const sealed = blobs.get(link.post);
    if (!commitBytes || !sealed) continue; // not here yet
    const { commit } = decodeCommit(commitBytes, link.commit);
    // An agent's commits never carry its owner's private state; only the owner's own are adopted.
    if (commit.author !== author || commit.agent) continue;
    const index = commit.ops.findIndex((op) => op.type === 'post' && op.object === link.post && op.audience === 'link');
    if (index < 0) continue;
    const secret = parseLinkFragment(link.key);
    const contentKey = linkContentKey(secret);
    let post: ReturnType<typeof decodePost>;
    try {
      post = decodePost(openSealedObject(contentKey, sealed));
    } catch (error) {
      if (error instanceof ProtocolError) continue; // a damaged entry: nothing to show
      throw error;
    }
    if (post.value.author !== author) continue;
    const mark = { id: link.post, audience: 'link' as const, readers: [author], contentKey, linkSecret: secret };
    const built = { id: link.post, bytes: post.bytes, value: post.value };
    if (await addOpenedPost(db, built, [commit.ts, link.commit, index], mark)) opened++;
  }
  return opened;
}
