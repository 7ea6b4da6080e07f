/** A feed's profile as this pseudonym sees it: who, counts from the DAG held here, a year of activity, their posts. */
import { useMemo } from 'react';
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { useCore } from '../core/use-core.ts';
import { describeError } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { Avatar } from '../identity/Avatar.tsx';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { Markdown } from '../markdown/Markdown.tsx';
import { BackLink } from '../nav/BackLink.tsx';
import { routeHref } from '../nav/route.ts';
import { ProfilePrivacy } from '../privacy/ProfilePrivacy.tsx';
import { usePrivateSettings } from '../privacy/use-private-settings.ts';
import { MediaImage } from '../post/MediaImage.tsx';
import { Timeline } from '../timeline/Timeline.tsx';
import type { FeedQuery } from '../timeline/use-timeline-feed.ts';
import { useNow } from '../timeline/use-now.ts';
import { ActivityHeatmap } from './ActivityHeatmap.tsx';
import { EditProfile } from './EditProfile.tsx';
import { FollowButton } from './FollowButton.tsx';
import { ProfileAgents } from './ProfileAgents.tsx';

export default function ProfileScreen({
  pseudonym,
  id,
}: {
  readonly pseudonym: PseudonymSummary;
  readonly id: PseudonymId;
}) {
  const core = useCore();
  const viewer = pseudonym.id;
  const {
    data: profile,
    error,
    loading,
  } = useCoreQuery(
    `profile:${viewer}:${id}`,
    () => core.findProfile(viewer, id),
    (change) =>
      (change.kind === 'profile' || change.kind === 'timeline') &&
      (!change.pseudonym || change.pseudonym === viewer || change.pseudonym === id),
  );
  const now = useNow(60_000);
  const own = id === viewer;
  // A blocked feed's avatar is not fetched either (a missing blob would be asked of the hubs).
  const blocked = usePrivateSettings(viewer).data?.blocked.some((e) => e.value === id) ?? true;
  const query = useMemo<FeedQuery>(() => ({ order: 'newest', authors: [id] }), [id]);
  const handle = profile?.handle ?? (own ? pseudonym.handle : undefined);
  const name = profile?.name ?? (own ? pseudonym.name : undefined);
  const title = name?.trim() || handle || shortFingerprint(id);
  const counts = profile?.counts;
  return (
    <section className="screen profile" aria-labelledby="profile-title">
      <BackLink />
      <div className="profile-head card">
        {profile?.avatar && !blocked ? (
          <span className="profile-avatar">
            <MediaImage id={profile.avatar} alt={`Avatar of ${title}`} />
          </span>
        ) : (
          <Avatar id={id} label={title} size="large" />
        )}
        <div className="profile-who">
          <h1 id="profile-title" className="screen-title">
            {title}
          </h1>
          <p className="profile-handle" data-testid="profile-handle">
            {handle ?? shortFingerprint(id)}
          </p>
          {profile?.bio && <Markdown source={profile.bio} className="profile-bio" />}
          {profile?.topics && (
            <ul className="post-tags profile-topics" aria-label="Topics">
              {profile.topics.map((topic) => (
                <li key={topic} className="tag">
                  <a href={routeHref({ name: 'search', q: `#${topic}` })}>#{topic}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
        {profile && !own && <FollowButton viewer={viewer} profile={profile} />}
        {!own && <ProfilePrivacy viewer={viewer} target={id} name={title} />}
        {own && <EditProfile key={profile ? 'loaded' : 'none'} viewer={viewer} profile={profile} />}
      </div>
      {error !== undefined && (
        <p className="message message-error" role="alert">
          Could not read this profile: {describeError('load', error)}
        </p>
      )}
      {loading && profile === undefined && <p className="timeline-loading">Loading the profile…</p>}
      {counts && (
        <dl className="profile-counts" data-testid="profile-counts">
          <div>
            <dt>Posts</dt>
            <dd>{counts.posts}</dd>
          </div>
          <div>
            <dt>Following</dt>
            <dd>{counts.following}</dd>
          </div>
          <div>
            <dt>Followers seen</dt>
            <dd>{counts.followersSeen}</dd>
          </div>
        </dl>
      )}
      {profile && <ActivityHeatmap activity={profile.activity} now={now} />}
      {profile && <ProfileAgents agents={profile.agents} />}
      <h2 className="section-title">Posts</h2>
      {/* Keyed by the feed: another person's profile is a new list, never this one's posts kept while it loads. */}
      <Timeline
        key={id}
        pseudonym={viewer}
        query={query}
        label={`Posts by ${title}`}
        empty="No posts from this feed on this device yet."
      />
    </section>
  );
}
