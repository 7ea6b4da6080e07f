/**
 * What one does to posts and feeds already there: `repost`, `react` /
 * `unreact`, `edit`, `delete`, `unfollow`. Each checks first what the app
 * checks (workers/feed/social-actions.ts: the post is held, an edit or delete
 * is one's own), reading the held feeds through the merge model (feeds.ts),
 * then makes one own commit with the core's commitOwn and the core's content
 * builders (post-content.ts), and offers it to the home hub like a post.
 */
import { type ObjectId, type PseudonymId, isObjectId } from '../../protocol/ids.ts';
import { CoreError } from '../../../workers/errors.ts';
import { commitOwn } from '../../../workers/feed/local-commits.ts';
import { editContent, repostContent } from '../../../workers/feed/post-content.ts';
import { sealedEditContent } from '../../../workers/feed/audience-content.ts';
import { fromBase64url } from '../../protocol/bytes.ts';
import type { Answer } from '../answer.ts';
import { getPost, readFeeds } from '../read/feeds.ts';
import type { HeldFeed } from '../../../workers/read/held-feed.ts';
import { type CommandContext, actingAs } from './context.ts';
import { noticeCommit } from './notices.ts';
import { send, sentAnswer } from './social.ts';

/** @throws CoreError MalformedId */
function postId(text: string): ObjectId {
  if (!isObjectId(text)) throw new CoreError('MalformedId', `${text} is not a post id (64 hex digits)`);
  return text;
}

async function feedsOf(context: CommandContext) {
  const me = actingAs(context);
  return { me, feeds: await readFeeds(context.device.store, me) };
}

function ownFeed(feeds: readonly HeldFeed[], me: PseudonymId): HeldFeed {
  return feeds.find((f) => f.author === me)!;
}

export async function repost(context: CommandContext, idText: string): Promise<Answer> {
  const id = postId(idText);
  const { me, feeds } = await feedsOf(context);
  const { store } = context.device;
  const post = await getPost(store, feeds, id, me.id);
  // Its readers were chosen by its author: a repost would show the sealed post to no one new, or leak it.
  if (post.sealed) throw new CoreError('Forbidden', 'a post that is not public cannot be reposted', { field: 'post' });
  const original = (await store.findBlobs(post.author, [post.commit])).get(post.commit);
  if (!original) throw new CoreError('NotFound', `the commit that published ${id} is not on this device`);
  const commit = await commitOwn(context.device.deps, me.id, () => repostContent(id, post.commit, original));
  await noticeCommit(context.device, me.id, commit);
  return sentAnswer({ id, commit: commit.id }, `Reposted ${id}.`, await send(context.device, me.id));
}

export async function react(context: CommandContext, idText: string, emoji: string, on: boolean): Promise<Answer> {
  const id = postId(idText);
  const { me, feeds } = await feedsOf(context);
  await getPost(context.device.store, feeds, id, me.id);
  const commit = await commitOwn(context.device.deps, me.id, () => ({
    ops: [{ type: on ? 'react' : 'unreact', target: id, emoji }],
    posts: [],
  }));
  await noticeCommit(context.device, me.id, commit);
  const words = on ? `Reacted ${emoji} to ${id}.` : `Took back ${emoji} from ${id}.`;
  return sentAnswer({ id, emoji, on, commit: commit.id }, words, await send(context.device, me.id));
}

export async function edit(context: CommandContext, idText: string, body: string): Promise<Answer> {
  const id = postId(idText);
  const { me, feeds } = await feedsOf(context);
  const post = await getPost(context.device.store, feeds, id, me.id);
  if (post.author !== me.id) throw new CoreError('Forbidden', 'only the author can edit a post', { field: 'post' });
  // A sealed post's version is sealed under its content key, as the app seals it (workers/feed/social-actions.ts).
  const contentKey = post.sealed && (post.sealed.contentKey ? fromBase64url(post.sealed.contentKey) : undefined);
  if (post.sealed && !contentKey)
    throw new CoreError('Forbidden', 'this post’s key is not kept here, so it cannot be edited', { field: 'post' });
  const make = editContent(id, post.value, body);
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  let version: ObjectId | undefined;
  const commit = await commitOwn(context.device.deps, me.id, (ctx) => {
    const content = contentKey ? sealedEditContent(id, make(ctx).version, contentKey, random) : make(ctx);
    version = content.version.id;
    return content;
  });
  return sentAnswer({ id, version, commit: commit.id }, `Edited ${id}.`, await send(context.device, me.id));
}

/** Deletes one's own post, or withdraws one's own repost of someone else's. */
export async function remove(context: CommandContext, idText: string): Promise<Answer> {
  const id = postId(idText);
  const { me, feeds } = await feedsOf(context);
  const post = await getPost(context.device.store, feeds, id, me.id);
  if (post.author !== me.id && !ownFeed(feeds, me.id).state.reposts.has(id)) {
    throw new CoreError('Forbidden', 'only the author can delete a post (or a reposter withdraw a repost)', {
      field: 'post',
    });
  }
  const commit = await commitOwn(context.device.deps, me.id, () => ({
    ops: [{ type: 'delete', target: id }],
    posts: [],
  }));
  const words = post.author === me.id ? `Deleted ${id}.` : `Withdrew your repost of ${id}.`;
  return sentAnswer({ id, commit: commit.id }, words, await send(context.device, me.id));
}

/** Stops following HANDLE (as followed: name@host) or a pseudonym id. */
export async function unfollow(context: CommandContext, who: string): Promise<Answer> {
  const me = actingAs(context);
  const follows = await context.device.store.listFollows(me.id);
  const wanted = who.toLowerCase();
  const follow = follows.find((f) => f.target === who || f.handle?.toLowerCase() === wanted);
  if (!follow) throw new CoreError('NotFound', `you do not follow ${who}`, { field: 'target' });
  const commit = await commitOwn(context.device.deps, me.id, () => ({
    ops: [{ type: 'unfollow', target: follow.target }],
    posts: [],
  }));
  return sentAnswer(
    { target: follow.target, handle: follow.handle ?? null, commit: commit.id },
    `Unfollowed ${follow.handle ?? follow.target}.`,
    await send(context.device, me.id),
  );
}
