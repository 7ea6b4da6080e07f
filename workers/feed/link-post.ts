/**
 * Opening a link post from its link (PROTOCOL.md, Audiences): the hub that
 * holds it, the commit that published it, and the key from the URL
 * fragment. The commit is fetched and its hash and signature checked, then
 * the sealed post it names, by hash; the key opens it here, and the post
 * must be the commit author's. The key is never sent anywhere, and nothing
 * is stored: whoever holds the link sees the post, signed in or not. Its
 * content key stays in worker memory, so its media open (media.ts).
 */
import { linkContentKey, openSealedObject, parseLinkFragment } from '../../src/protocol/audience.ts';
import { decodeCommit, verifyCommit } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type CommitId, type ObjectId, hashBytes, isObjectId } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import type { PostOp } from '../../src/protocol/ops.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { TimelineItem } from '../api/api-types.ts';
import { CoreError } from '../errors.ts';
import { parseHubOrigin } from '../keys/hub-origin.ts';
import type { LinkedKey } from './media.ts';

/** Where a link post is and its key: what a link carries, all of it in the URL fragment. */
export interface PostLink {
  /** A hub origin holding the author's feed. */
  readonly hub: string;
  readonly commit: CommitId;
  /** `#k=` and the link secret (audience.ts linkFragment). */
  readonly key: string;
}

/**
 * The post a link opens, as a timeline item (no reactions or replies: only the post itself is fetched). Its
 * content key goes into `linked`, for its media.
 * @throws ProtocolError MalformedLink (no key in the link), MalformedId, HashMismatch, BadSignature, NotFound (no
 *   link post in that commit), Undecryptable (the key is not this post's), WrongAuthor; CoreError InvalidField
 *   (the hub), Offline
 */
export async function openLinkedPost(
  hub: (origin: string) => HubClient,
  verify: Verify,
  link: PostLink,
  linked?: Map<ObjectId, LinkedKey>,
): Promise<TimelineItem> {
  checkLinkShape(link);
  const contentKey = linkContentKey(parseLinkFragment(link.key));
  const origin = parseHubOrigin(link.hub);
  if (!isObjectId(link.commit))
    throw new ProtocolError('MalformedId', 'the link does not name a commit', { field: 'commit' });
  const client = hub(origin);
  const signed = decodeCommit(await client.getBlob(link.commit), link.commit);
  if (!(await verifyCommit(signed, verify)))
    throw new ProtocolError('BadSignature', `commit ${link.commit} is not signed by its author`);
  const { commit } = signed;
  const ops = commit.ops.filter((op): op is PostOp => op.type === 'post' && op.audience === 'link');
  if (ops.length === 0) throw new ProtocolError('NotFound', 'that commit publishes no link post');
  for (const op of ops) {
    const id = op.object;
    const sealed = await client.getBlob(id);
    if (hashBytes(sealed) !== id) throw new ProtocolError('HashMismatch', `the hub's bytes do not hash to ${id}`);
    let plaintext: Uint8Array;
    try {
      plaintext = openSealedObject(contentKey, sealed);
    } catch (error) {
      if (error instanceof ProtocolError && error.name === 'Undecryptable') continue; // another link post's key
      throw error;
    }
    const { value } = decodePost(plaintext);
    if (value.author !== commit.author)
      throw new ProtocolError('WrongAuthor', `the post is by ${value.author}, in a commit of ${commit.author}`);
    linked?.set(id, { contentKey, media: value.media ?? [], hub: origin });
    return {
      id,
      commitId: signed.id,
      author: value.author,
      body: value.body,
      ts: value.ts,
      verified: true,
      queued: false,
      audience: 'link',
      ...(value.reply_to !== undefined && { replyTo: value.reply_to }),
      ...(value.quote_of !== undefined && { quoteOf: value.quote_of }),
      ...(value.tags && { tags: value.tags }),
      ...(value.media && { media: value.media }),
    };
  }
  throw new ProtocolError('Undecryptable', 'this link does not open the post: its key is not that post’s');
}

/** @throws CoreError InvalidField */
function checkLinkShape(link: unknown): asserts link is PostLink {
  const l = link as Partial<PostLink> | null;
  if (typeof l?.hub !== 'string' || typeof l.commit !== 'string' || typeof l.key !== 'string')
    throw new CoreError('InvalidField', 'a link names a hub, a commit and a key', { field: 'link' });
}
