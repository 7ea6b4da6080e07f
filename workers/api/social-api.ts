/**
 * The social half of the facade: posting with options, reposts, reactions,
 * edits, deletes, unfollows, profiles, and the read views (thread, edit
 * history, profile, media). Each method delegates and turns expected
 * failures into Result values; each local commit is queued for the outbox.
 */
import type { SignedCommit } from '../../src/protocol/commits.ts';
import type { ObjectId, PseudonymId } from '../../src/protocol/ids.ts';
import type { BuiltObject, PostObject } from '../../src/protocol/objects.ts';
import type { CoreApi } from './api-types.ts';
import type { CoreDb } from '../store/db.ts';
import { asResult } from '../errors.ts';
import type { HubClient } from '../net/hub-client.ts';
import type { LocalDeps } from '../feed/local-commits.ts';
import { type LinkedKey, findMedia } from '../feed/media.ts';
import type { LinkPostKey } from '../private/links.ts';
import { getEditHistory, findThread, isShownTo } from '../read/post-views.ts';
import { findProfile } from '../read/profile-view.ts';
import { openLinkedPost } from '../feed/link-post.ts';
import { listAudienceCandidates } from '../read/audience-candidates.ts';
import { listFollowersOf } from '../inbox/followers.ts';
import type { CoreStore } from '../store/core-store.ts';
import type { PrivateSettings } from '../private/types.ts';
import type { Verify } from '../../src/protocol/keys.ts';
import {
  commitDelete,
  commitEdit,
  commitPostWith,
  commitProfile,
  commitReaction,
  commitRepost,
  commitUnfollow,
} from '../feed/social-actions.ts';

export interface SocialApiDeps extends LocalDeps {
  readonly db: CoreDb;
  readonly hub: (origin: string, as?: PseudonymId) => HubClient;
  readonly verify: Verify;
  /** A local commit of `pseudonym` was stored: notify and push. */
  readonly committed: (pseudonym: PseudonymId, kinds?: readonly ('timeline' | 'profile')[]) => void;
  /** The follow set of `pseudonym` changed (live streams follow it). */
  readonly followsChanged: (pseudonym: PseudonymId) => Promise<void>;
  /** A local commit that may concern others (reply, quote, mention, reaction, repost): notify their inboxes. */
  readonly store: CoreStore;
  readonly blocked: (pseudonym: PseudonymId) => Promise<ReadonlySet<PseudonymId>>;
  /** The pseudonym's private settings: its approved followers are the readers of its `followers` posts. */
  readonly settings: (pseudonym: PseudonymId) => Promise<PrivateSettings>;
  /** Keeps a link post's key for the pseudonym's other devices (its private state). */
  readonly recordLink?: (pseudonym: PseudonymId, link: LinkPostKey) => Promise<void>;
  readonly noticed?: (pseudonym: PseudonymId, commit: SignedCommit, post?: BuiltObject<PostObject>) => Promise<void>;
}

export type SocialApi = Pick<
  CoreApi,
  | 'post'
  | 'repost'
  | 'react'
  | 'unreact'
  | 'edit'
  | 'deletePost'
  | 'unfollow'
  | 'setProfile'
  | 'findProfile'
  | 'findThread'
  | 'getEditHistory'
  | 'findMedia'
  | 'openLink'
  | 'listAudienceCandidates'
  | 'listFollowers'
>;

export function createSocialApi(deps: SocialApiDeps): SocialApi {
  const { db, now } = deps;
  // Posts opened from their links on this run, with their keys: memory only, as the links themselves.
  const linked = new Map<ObjectId, LinkedKey>();
  const done = <T>(pseudonym: PseudonymId, value: T, kinds?: readonly ('timeline' | 'profile')[]) => {
    deps.committed(pseudonym, kinds);
    return value;
  };
  const noticed = async (pseudonym: PseudonymId, commit: SignedCommit) => {
    await deps.noticed?.(pseudonym, commit);
    return commit;
  };
  return {
    post: (pseudonym, body, options) =>
      asResult(async () => {
        const approvedFollowers = async (p: PseudonymId) =>
          (await deps.settings(p)).approvedFollowers.map((e) => e.value);
        const { post, commit, linkKey } = await commitPostWith(
          { ...deps, approvedFollowers },
          pseudonym,
          body,
          options,
        );
        // A notice carries the post to an inbox in the clear: a sealed post's readers read it from its feed.
        const sealed = options?.audience !== undefined && options.audience.kind !== 'public';
        if (!sealed) await deps.noticed?.(pseudonym, commit, post);
        if (linkKey) await deps.recordLink?.(pseudonym, { post: post.id, commit: commit.id, key: linkKey });
        return done(pseudonym, { id: post.id, commitId: commit.id, ...(linkKey && { linkKey }) });
      }),
    repost: (pseudonym, post) =>
      asResult(async () =>
        done(pseudonym, { commitId: (await noticed(pseudonym, await commitRepost(deps, pseudonym, post))).id }),
      ),
    react: (pseudonym, post, emoji) =>
      asResult(async () =>
        done(pseudonym, {
          commitId: (await noticed(pseudonym, await commitReaction(deps, pseudonym, post, emoji, true))).id,
        }),
      ),
    unreact: (pseudonym, post, emoji) =>
      asResult(async () =>
        done(pseudonym, { commitId: (await commitReaction(deps, pseudonym, post, emoji, false)).id }),
      ),
    edit: (pseudonym, post, body) =>
      asResult(async () => {
        const { version, commit } = await commitEdit(deps, pseudonym, post, body);
        return done(pseudonym, { id: version.id, commitId: commit.id });
      }),
    deletePost: (pseudonym, post) =>
      asResult(async () => done(pseudonym, { commitId: (await commitDelete(deps, pseudonym, post)).id })),
    unfollow: (pseudonym, target) =>
      asResult(async () => {
        const commit = await commitUnfollow(deps, pseudonym, target);
        await deps.followsChanged(pseudonym);
        return done(pseudonym, { commitId: commit.id });
      }),
    setProfile: (pseudonym, fields) =>
      asResult(async () =>
        done(pseudonym, { commitId: (await commitProfile(deps, pseudonym, fields)).id }, ['timeline', 'profile']),
      ),
    findProfile: (viewer, author) => findProfile(db, viewer, author, now()),
    findThread: (viewer, post) => findThread(db, viewer, post),
    getEditHistory: async (viewer, post) => ((await isShownTo(db, viewer, post)) ? getEditHistory(db, post) : []),
    findMedia: (id, post, viewer) => findMedia(db, deps.hub, id, { post, viewer, linked }),
    openLink: (link) => asResult(() => openLinkedPost(deps.hub, deps.verify, link, linked)),
    listAudienceCandidates: (pseudonym) => listAudienceCandidates(db, pseudonym),
    listFollowers: async (pseudonym) => {
      const [settings, blocked] = await Promise.all([deps.settings(pseudonym), deps.blocked(pseudonym)]);
      return listFollowersOf(deps.store, pseudonym, settings.approvedFollowers, blocked);
    },
  };
}
