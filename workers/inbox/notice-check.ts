/**
 * Checking a notice against the signed objects it names. A notice is only a
 * pointer: the commit (and post) it names are fetched, hashed and verified
 * here, must be by the notice's sender, and must really reply to, quote,
 * mention, react to or repost one of the recipient's own posts, or follow them. Anything
 * else is refused with a named error and nothing is stored.
 */
import { decodeCommit, verifyCommit } from '../../src/protocol/commits.ts';
import { ProtocolError } from '../../src/protocol/errors.ts';
import { type ObjectId, type PseudonymId, hashBytes } from '../../src/protocol/ids.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import { mentions } from '../../src/protocol/mentions.ts';
import type { Notice } from '../../src/protocol/notices.ts';
import { decodePost } from '../../src/protocol/objects.ts';
import type { FeedStore } from '../store/core-store.ts';
import type { NotificationRow } from '../store/inbox-rows.ts';
import { CoreError } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';

export interface NoticeCheckDeps {
  readonly store: FeedStore;
  readonly verify: Verify;
}

/**
 * The blobs `ids` from `hub`, each checked against its id.
 * @throws CoreError NotFound, Offline; ProtocolError HashMismatch
 */
async function fetchVerified(hub: HubClient, ids: readonly ObjectId[]): Promise<Map<ObjectId, Uint8Array>> {
  const found = new Map<ObjectId, Uint8Array>();
  for (const { id, bytes } of await hub.batchBlobs(ids)) {
    if (hashBytes(bytes) !== id) throw new ProtocolError('HashMismatch', `the hub answered other bytes for ${id}`);
    found.set(id, bytes);
  }
  for (const id of ids)
    if (!found.has(id)) throw new CoreError('NotFound', `the hub does not hold ${id}, which the notice names`);
  return found;
}

/**
 * The notification a (signature-checked) notice proves, for `owner`.
 * @param ownHandles the owner's `name@host`, and those it had on hubs it moved away from, for mentions.
 * @throws CoreError Unverified, SubjectUnknown (it names a post not held here), NotFound, Offline; ProtocolError as
 *   decodeCommit / decodePost
 */
export async function checkNotice(
  deps: NoticeCheckDeps,
  hub: HubClient,
  owner: PseudonymId,
  ownHandles: readonly string[],
  notice: Notice,
): Promise<NotificationRow> {
  const { kind, from, ids } = notice;
  if (kind === 'hive') throw new CoreError('Unverified', "a hive's announcement, in a person's inbox");
  const [commitId, postId] = ids;
  const blobs = await fetchVerified(hub, ids.slice(0, 2));
  const signed = decodeCommit(blobs.get(commitId!)!, commitId);
  // The sender is the commit's author, or the agent that signed it for the author (an agent's device signs its
  // notices with the agent's key): the notification names the author, whom the commit speaks for.
  if (signed.commit.author !== from && signed.commit.agent?.id !== from)
    throw new CoreError('Unverified', `the commit is by ${signed.commit.author}, not the notice's sender`);
  if (!(await verifyCommit(signed, deps.verify)))
    throw new ProtocolError('BadSignature', 'the commit the notice names does not verify');
  const { commit } = signed;
  // A subject this device does not hold may yet be the owner's (made elsewhere): said apart from "not yours".
  let unknown: ObjectId | undefined;
  const own = async (post: ObjectId | undefined) => {
    if (post === undefined) return false;
    const author = await deps.store.findPostAuthor(post);
    if (author === undefined) unknown = post;
    return author === owner;
  };
  const unverified = (message: string) =>
    unknown === undefined
      ? new CoreError('Unverified', message)
      : new CoreError('SubjectUnknown', `${message}: this device does not hold ${unknown}`, { post: unknown });
  const base = {
    owner,
    id: `${kind}:${ids.join(',')}`,
    kind,
    from: commit.author,
    ts: commit.ts,
    read: false,
  } as const;

  if (kind === 'react') {
    for (const op of commit.ops) {
      if (op.type === 'react' && (await own(op.target)))
        return { ...base, subject: op.target, object: commitId!, emoji: op.emoji };
    }
    throw unverified('the commit reacts to no post of yours');
  }
  if (kind === 'follow') {
    if (commit.ops.some((op) => op.type === 'follow' && op.target === owner)) return { ...base, object: commitId! };
    throw new CoreError('Unverified', 'the commit does not follow you');
  }
  if (kind === 'repost') {
    for (const op of commit.ops) {
      if (op.type === 'repost' && (await own(op.object))) return { ...base, subject: op.object, object: commitId! };
    }
    throw unverified('the commit reposts no post of yours');
  }
  if (kind === 'reply' || kind === 'quote' || kind === 'mention') {
    if (!postId || !commit.ops.some((op) => op.type === 'post' && op.object === postId))
      throw unverified('the commit does not publish the post the notice names');
    const { value: post } = decodePost(blobs.get(postId)!, postId);
    if (post.author !== from) throw unverified("the post is not by the notice's sender");
    const subject = kind === 'reply' ? post.reply_to : kind === 'quote' ? post.quote_of : undefined;
    if (kind === 'mention' ? !ownHandles.some((h) => mentions(post.body, h)) : !(await own(subject))) {
      throw unverified(`the post does not ${kind === 'mention' ? 'mention you' : `${kind} to a post of yours`}`);
    }
    return { ...base, object: postId, body: post.body, ts: post.ts, ...(subject !== undefined && { subject }) };
  }
  throw unverified(`notices of kind ${kind} are not shown`);
}
