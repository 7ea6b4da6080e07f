/**
 * A hive post's page (`#/hives/<hive>/p/<post>?hub=...`): the post whole, and its comments threaded (a reply
 * to the post or to a comment, nested), each with its votes; moderators may remove any of them. Read as the
 * hive's page reads (use-hive.ts), starting from what it last showed.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import type { ObjectId } from '../../protocol/ids.ts';
import { hiveHref, routeHref } from '../nav/route.ts';
import { CommentForm, CommentTree } from './HiveComments.tsx';
import { HivePostCard } from './HivePostCard.tsx';
import { HiveReadStatus, NoHive } from './HiveReadStatus.tsx';
import { commentCounts, commentTree, standingOf } from './hive-view.ts';
import { hiveKey, useHive } from './use-hive.ts';
import '../styles/hives.css';

export default function HivePostScreen({
  pseudonym,
  at,
  post,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly at: HiveAddress;
  readonly post: ObjectId;
}) {
  return (
    <section className="screen hive-screen" aria-labelledby="hive-title">
      {at.hubs.length === 0 ? (
        <NoHive at={at} />
      ) : (
        <HivePost key={`${hiveKey(pseudonym.id, at)} ${post}`} pseudonym={pseudonym} at={at} post={post} />
      )}
    </section>
  );
}

function HivePost({
  pseudonym,
  at,
  post,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly at: HiveAddress;
  readonly post: ObjectId;
}) {
  const reader = useHive(pseudonym.id, at);
  const state = reader.read?.state;
  const shown = state?.exists ? state.posts.find((p) => p.id === post) : undefined;
  const standing = state?.exists ? standingOf(state, pseudonym.id) : undefined;
  return (
    <>
      <p>
        <a href={state?.exists ? hiveHref(at) : routeHref({ name: 'hives' })}>
          ← {state?.exists ? <bdi>{state.settings.name}</bdi> : 'Hives'}
        </a>
      </p>
      {(!state || (state.exists && !shown)) && (
        <h1 id="hive-title" className="screen-title">
          Hive post
        </h1>
      )}
      {state && !state.exists && <NoHive at={at} />}
      {state?.exists && shown && standing && (
        <HivePostCard
          me={pseudonym}
          at={at}
          post={shown}
          comments={commentCounts(state.comments).get(post) ?? 0}
          moderates={standing.moderates}
          reader={reader}
          whole
        />
      )}
      <HiveReadStatus reader={reader} />
      {state?.exists && !shown && (
        <p className="message message-info" data-testid="hive-post-missing">
          This post is not shown in the hive: a moderator removed it, its author was banned or is not a member, or it
          has not reached the hive’s hub yet.
        </p>
      )}
      {state?.exists && shown && standing && (
        <>
          <CommentForm me={pseudonym} at={at} post={post} standing={standing} reader={reader} />
          <section className="hive-section" aria-labelledby="hive-comments-title">
            <h2 id="hive-comments-title" className="section-title">
              Comments
            </h2>
            <CommentTree
              me={pseudonym}
              at={at}
              nodes={commentTree(state.comments, post)}
              standing={standing}
              reader={reader}
              depth={1}
            />
          </section>
        </>
      )}
    </>
  );
}
