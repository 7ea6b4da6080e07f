/**
 * A hive post: its title (opening its page), its link (http(s) only, opened without referrer or opener), its
 * body as plain text, who and when, its votes and comment count, and for moderators a removal. Everything in it
 * is someone else's text, rendered as text.
 */
import type { PseudonymSummary } from '../../../workers/api/api-types.ts';
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { safeHref } from '../markdown/parse-markdown.ts';
import { hivePostHref } from '../nav/route.ts';
import { formatFullTime, formatRelativeTime } from '../timeline/relative-time.ts';
import { HivePerson } from './HivePerson.tsx';
import { type HivePostView, tsOf } from './hive-view.ts';
import { RemoveButton } from './RemoveButton.tsx';
import type { HiveReader } from './use-hive.ts';
import { VoteButtons } from './VoteButtons.tsx';

const EXCERPT = 400;

export function HivePostCard({
  me,
  at,
  post,
  comments,
  moderates,
  reader,
  whole = false,
}: {
  readonly me: PseudonymSummary;
  readonly at: HiveAddress;
  readonly post: HivePostView;
  readonly comments: number;
  readonly moderates: boolean;
  readonly reader: HiveReader;
  /** On the post's own page: the whole body, the title not a link. */
  readonly whole?: boolean;
}) {
  const { title, body, link } = post.object;
  const href = link ? safeHref(link) : undefined;
  const ts = tsOf(post);
  const shownBody = body && !whole && body.length > EXCERPT ? `${body.slice(0, EXCERPT)}…` : body;
  const Title = whole ? 'h1' : 'h3';
  return (
    <article className="hive-post" aria-label={`Post ${title}`} data-testid="hive-post">
      <Title
        className={whole ? 'screen-title hive-post-title' : 'hive-post-title'}
        {...(whole && { id: 'hive-title' })}
      >
        {whole ? (
          <bdi>{title}</bdi>
        ) : (
          <a href={hivePostHref(at, post.id)}>
            <bdi>{title}</bdi>
          </a>
        )}
      </Title>
      {href && (
        <p className="hive-link">
          <a href={href} target="_blank" rel="noopener noreferrer nofollow">
            {href}
          </a>
        </p>
      )}
      {shownBody && <p className="hive-text">{shownBody}</p>}
      <p className="hive-meta">
        <HivePerson me={me} id={post.author} />
        {' · '}
        <time dateTime={new Date(ts).toISOString()} title={formatFullTime(ts)}>
          {formatRelativeTime(ts, Date.now())}
        </time>
        {' · '}
        {whole ? (
          <span data-testid="comment-count">{commentsText(comments)}</span>
        ) : (
          <a href={hivePostHref(at, post.id)} data-testid="comment-count">
            {commentsText(comments)}
          </a>
        )}
      </p>
      <div className="hive-row">
        <VoteButtons me={me} at={at} target={post.id} votes={post.votes} what={`post ${title}`} reader={reader} />
        {moderates && <RemoveButton me={me} at={at} target={post.id} what="post" reader={reader} />}
      </div>
    </article>
  );
}

const commentsText = (n: number) => `${n} ${n === 1 ? 'comment' : 'comments'}`;
