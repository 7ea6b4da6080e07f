/**
 * One post: reposted-by line, byline, reply context, safe markdown body, tags, media, quote, actions.
 * Memoized: a list re-renders when a row is measured or the window moves, and the timeline keeps an
 * unchanged post's object across re-reads (merge-page.ts), so only new or changed posts render again.
 */
import { Suspense, lazy, memo } from 'react';
import type { TimelineItem } from '../../../workers/api/api-types.ts';
import { Avatar } from '../identity/Avatar.tsx';
import { Markdown } from '../markdown/Markdown.tsx';
import { HighlightedText } from '../search/HighlightedText.tsx';
import { profileHref, threadHref } from '../nav/route.ts';
import { Icon } from '../shell/Icon.tsx';
import { authorLabel } from './author-label.ts';
import { MediaImage } from './MediaImage.tsx';
import { PostActions } from './PostActions.tsx';
import { PostHeader } from './PostHeader.tsx';
import { QuotedPost } from './QuotedPost.tsx';
import { RepostedBy } from './RepostedBy.tsx';

// Loaded only for a post that links a mist (a cheap test of its words first), so plain posts pay nothing for it.
const PostMists = lazy(() => import('../mists/PostMists.tsx'));
const LINKS_MIST = /#\/mists\/[0-9a-f]{64}\/[0-9a-f]{16}/;

export interface PostCardProps {
  readonly item: TimelineItem;
  readonly now: number;
  /** Thread view: the post the thread is about. */
  readonly focused?: boolean;
  /** Search: the body as plain text with these [start, end) ranges marked, instead of markdown. */
  readonly highlights?: readonly (readonly [number, number])[];
}

export const PostCard = memo(function PostCard({ item, now, focused, highlights }: PostCardProps) {
  const label = authorLabel(item);
  return (
    <article
      className={`post${focused ? ' post-focused' : ''}`}
      data-testid="post"
      aria-label={`Post by ${item.authorName?.trim() || label}`}
    >
      {item.repostedBy && item.repostedBy.length > 0 && <RepostedBy ids={item.repostedBy} />}
      {item.lens && (
        <p className="post-context" data-testid="post-lens">
          From your {item.lens.name} lens: {item.lens.why}
        </p>
      )}
      <div className="post-row">
        {/* A mouse-only twin of the author link in PostHeader: screen readers and Tab meet that link once. */}
        {/* biome-ignore lint/a11y/useAnchorContent: hidden on purpose, the author link in PostHeader names it */}
        <a href={profileHref(item.author)} className="post-avatar" tabIndex={-1} aria-hidden="true">
          <Avatar id={item.author} label={item.authorName?.trim() || label} />
        </a>
        <div className="post-main">
          <PostHeader item={item} now={now} />
          {item.replyTo && (
            <p className="post-context">
              <Icon name="reply" size={14} />
              <a href={threadHref(item.replyTo)}>Replying to a post</a>
            </p>
          )}
          {highlights ? (
            <HighlightedText text={item.body} ranges={highlights} className="post-body" testId="post-body" />
          ) : (
            <Markdown source={item.body} className="post-body" testId="post-body" />
          )}
          {item.tags && item.tags.length > 0 && (
            <ul className="post-tags" aria-label="Tags">
              {item.tags.map((tag) => (
                <li key={tag} className="tag">
                  #{tag}
                </li>
              ))}
            </ul>
          )}
          {item.media && item.media.length > 0 && (
            <div className="post-media">
              {item.media.map((id, i) => (
                <MediaImage
                  key={id}
                  id={id}
                  post={item.id}
                  alt={`Image ${i + 1} of ${item.media?.length ?? 0} attached by ${label}`}
                />
              ))}
            </div>
          )}
          {LINKS_MIST.test(item.body) && (
            <Suspense fallback={null}>
              <PostMists body={item.body} />
            </Suspense>
          )}
          {item.quoteOf && <QuotedPost id={item.quoteOf} />}
          <PostActions item={item} />
        </div>
      </div>
    </article>
  );
});
