/**
 * What a person does besides posting plain text and following: posts with
 * options (reply, quote, tags, media), reposts, reactions, edits, deletes,
 * unfollows and profile changes. Each is one local signed commit at once
 * (local-commits.ts), queued for the outbox like a post. Checks that need
 * the local store (the post exists, it is one's own) come first and fail as
 * named errors; the protocol's own checks (emoji, lengths) fail as its errors.
 */
import { type SignedCommit, decodeCommit } from '../../src/protocol/commits.ts';
import { type ObjectId, type PseudonymId, isObjectId } from '../../src/protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { PostOptions, ProfileFields } from '../api/api-types.ts';
import { type PostView, isHeldPost, postViewOf } from '../store/post-rows.ts';
import { CoreError } from '../errors.ts';
import { type LocalDeps, commitLocal } from './local-commits.ts';
import { checkBody, editContent, postContent, profileContent, repostContent } from './post-content.ts';
import { findBlobs } from '../store/commit-store.ts';
import { rowFor } from '../store/lazy-posts.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { linkFragment } from '../../src/protocol/audience.ts';
import { checkAudience, resolveReaders, sealedEditContent, sealedPostContent } from './audience-content.ts';
import { fromBase64url } from '../../src/protocol/bytes.ts';

/**
 * A post, sealed when its audience is not public (audience-content.ts). Checks and readers' keys come first, so
 * a refusal commits nothing.
 * @returns the post (opened, under the id its op names) and, for a link post, the link's fragment
 * @throws CoreError InvalidField, MalformedId, TooLarge, NoDmKey (a reader whose DM key is unknown here);
 *   ProtocolError as buildPost
 */
export async function commitPostWith(
  deps: LocalDeps & { readonly approvedFollowers: (pseudonym: PseudonymId) => Promise<readonly PseudonymId[]> },
  pseudonym: PseudonymId,
  body: string,
  options: PostOptions = {},
): Promise<{ post: BuiltObject<PostObject>; commit: SignedCommit; linkKey?: string }> {
  checkAudience(options.audience, options);
  const make = postContent(pseudonym, body, options);
  const store = new IdbCoreStore(deps.db);
  const choice = await resolveReaders(
    options.audience,
    (reader) => store.findProfileField(reader, 'dm_key'),
    () => deps.approvedFollowers(pseudonym),
  );
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  let post: BuiltObject<PostObject> | undefined;
  let linkSecret: Uint8Array | undefined;
  const commit = await commitLocal(deps, pseudonym, (ctx) => {
    const content = make(ctx);
    if (!choice) {
      post = content.post;
      return content;
    }
    const sealed = sealedPostContent(content, choice, { id: pseudonym, secretKey: ctx.secretKey }, random);
    post = sealed.post;
    linkSecret = sealed.mark.linkSecret;
    return sealed;
  });
  return { post: post!, commit, ...(linkSecret && { linkKey: linkFragment(linkSecret) }) };
}

/** @throws ProtocolError NotFound when no such post is held. */
async function getPost(deps: LocalDeps, id: ObjectId): Promise<PostView> {
  if (isObjectId(id)) await rowFor(deps.db, id); // a post only its pack holds gets its row first
  const row = isObjectId(id) ? await deps.db.getFromIndex('posts', 'byId', id) : undefined;
  if (!isHeldPost(row)) throw new CoreError('NotFound', `no post ${id} on this device`);
  return postViewOf(row);
}

/** Shares a post; the op names the original author's commit that published it, so readers verify it there. */
export async function commitRepost(deps: LocalDeps, pseudonym: PseudonymId, id: ObjectId): Promise<SignedCommit> {
  const post = await getPost(deps, id);
  // Its readers were chosen by its author: a repost would show the sealed post to no one new, or leak it.
  if (post.audience)
    throw new CoreError('Forbidden', 'a post that is not public cannot be reposted', { field: 'post' });
  const original = (await findBlobs(deps.db, post.author, [post.commitId])).get(post.commitId);
  // Stored bytes were verified; decoding them again is only to read the author.
  if (!original || decodeCommit(original, post.commitId).commit.author !== post.author)
    throw new CoreError('NotFound', `the commit that published ${id} is not on this device`);
  // The original commit goes with the repost (a push carries
  // it): another author's commit is held in that author's packs.
  return commitLocal(deps, pseudonym, () => repostContent(id, post.commitId, original));
}

export async function commitReaction(
  deps: LocalDeps,
  pseudonym: PseudonymId,
  id: ObjectId,
  emoji: string,
  on: boolean,
): Promise<SignedCommit> {
  await getPost(deps, id);
  return commitLocal(deps, pseudonym, () => ({
    ops: [{ type: on ? 'react' : 'unreact', target: id, emoji }],
    posts: [],
  }));
}

/**
 * A new version of one's own post (same reply, quote, tags and media; new body). A sealed post's version is sealed
 * under its content key, so exactly its readers read the edit (PROTOCOL.md, Audiences): the version returned is
 * the opened one, under the sealed blob's id. @throws CoreError NotFound, Forbidden
 */
export async function commitEdit(
  deps: LocalDeps,
  pseudonym: PseudonymId,
  id: ObjectId,
  body: string,
): Promise<{ version: BuiltObject<PostObject>; commit: SignedCommit }> {
  checkBody(body);
  const post = await getPost(deps, id);
  if (post.author !== pseudonym) throw new CoreError('Forbidden', 'only the author can edit a post', { field: 'post' });
  const contentKey = post.audience ? await contentKeyOf(deps, id) : undefined;
  const make = editContent(
    id,
    {
      type: 'post',
      author: post.author,
      body: post.body,
      ts: post.ts,
      ...(post.replyTo && { reply_to: post.replyTo }),
      ...(post.quoteOf && { quote_of: post.quoteOf }),
      ...(post.tags && { tags: post.tags }),
      ...(post.media && { media: post.media }),
    },
    body,
  );
  const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));
  let version: BuiltObject<PostObject> | undefined;
  const commit = await commitLocal(deps, pseudonym, (ctx) => {
    const content = make(ctx);
    version = content.version;
    if (!contentKey) return content;
    const sealed = sealedEditContent(id, content.version, contentKey, random);
    version = sealed.version;
    return sealed;
  });
  return { version: version!, commit };
}

/** A sealed post's content key, kept in its row (the author's device keeps it from the post's making). */
async function contentKeyOf(deps: LocalDeps, id: ObjectId): Promise<Uint8Array> {
  const row = await deps.db.getFromIndex('posts', 'byId', id);
  const key = row?.ck === undefined ? undefined : fromBase64url(row.ck);
  // A post sealed before content keys were kept: its edit could not be sealed for its readers.
  if (!key)
    throw new CoreError('Forbidden', 'this post’s key is not kept on this device, so it cannot be edited', {
      field: 'post',
    });
  return key;
}

/**
 * A tombstone for one's own post, or withdrawing one's own repost of someone's. @throws CoreError NotFound, Forbidden
 */
export async function commitDelete(deps: LocalDeps, pseudonym: PseudonymId, id: ObjectId): Promise<SignedCommit> {
  const post = await getPost(deps, id);
  if (post.author !== pseudonym && !(await deps.db.getKey('reposts', [id, pseudonym]))) {
    throw new CoreError('Forbidden', 'only the author can delete a post (or a reposter withdraw a repost)', {
      field: 'post',
    });
  }
  return commitLocal(deps, pseudonym, () => ({ ops: [{ type: 'delete', target: id }], posts: [] }));
}

/** @throws CoreError NotFound when `target` is not followed. */
export async function commitUnfollow(
  deps: LocalDeps,
  pseudonym: PseudonymId,
  target: PseudonymId,
): Promise<SignedCommit> {
  const current = await deps.db.get('follows', [pseudonym, target]);
  if (!current?.active) throw new CoreError('NotFound', 'that feed is not followed', { field: 'target' });
  return commitLocal(deps, pseudonym, () => ({ ops: [{ type: 'unfollow', target }], posts: [] }));
}

/** Sets the given profile fields (others keep their last value). The avatar becomes a blob. */
export async function commitProfile(
  deps: LocalDeps,
  pseudonym: PseudonymId,
  fields: ProfileFields,
): Promise<SignedCommit> {
  const content = profileContent(fields);
  return commitLocal(deps, pseudonym, () => content);
}
