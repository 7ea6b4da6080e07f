/**
 * Notifications of the pseudonym on screen: replies, quotes, mentions,
 * reactions and reposts from anyone (followed or not), each verified by the
 * worker against the signed objects. Opening the screen pulls the inbox;
 * items are marked read one by one or all at once.
 */
import { useEffect, useState } from 'react';
import type { NotificationItem, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { shortFingerprint } from '../identity/pseudonym-label.ts';
import { BackLink } from '../nav/BackLink.tsx';
import { profileHref, threadHref } from '../nav/route.ts';

const PAGE = 100;

function what(n: NotificationItem): string {
  switch (n.kind) {
    case 'reply':
      return 'replied to your post';
    case 'quote':
      return 'quoted your post';
    case 'mention':
      return 'mentioned you';
    // The emoji isolated (U+2068 FSI ... U+2069 PDI): one may hold a bidi override (it is no letter), which would
    // turn the rest around.
    case 'react':
      return `reacted \u2068${n.emoji ?? ''}\u2069 to your post`;
    case 'repost':
      return 'reposted your post';
    case 'follow':
      return 'followed you';
    case 'dm':
      return 'sent you a message';
  }
}

export default function NotificationsScreen({ pseudonym }: { readonly pseudonym: PseudonymSummary }) {
  const core = useCore();
  const me = pseudonym.id;
  const list = useCoreQuery(
    `notifications:${me}`,
    () => core.listNotifications(me, { limit: PAGE }),
    (c) => c.kind === 'notifications' && c.pseudonym === me,
  );
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    let live = true;
    core.refreshInbox(me).then(
      (result) =>
        live &&
        setProblem(
          result.ok
            ? undefined
            : `Could not check for new notifications: ${describeFailure('load', result.error, result.message)}`,
        ),
      (error: unknown) => live && setProblem(`Could not check for new notifications: ${describeError('load', error)}`),
    );
    return () => {
      live = false;
    };
  }, [core, me]);

  const markRead = (ids?: readonly string[]) =>
    core
      .markNotificationsRead(me, ids)
      .catch((error: unknown) => setProblem(`Could not mark as read: ${describeError('action', error)}`));
  const items = list.data ?? [];
  const unread = items.filter((n) => !n.read).length;

  return (
    <section className="screen notifications" aria-labelledby="notifications-title">
      <BackLink />
      <div className="screen-head">
        <h1 id="notifications-title" className="screen-title">
          Notifications
        </h1>
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={unread === 0}
          onClick={() => void markRead()}
        >
          Mark all read
        </button>
      </div>
      {problem && (
        <p className="message message-error" role="alert">
          {problem}
        </p>
      )}
      {list.error !== undefined && (
        <p className="message message-error" role="alert">
          {describeError('load', list.error)}
        </p>
      )}
      {list.data !== undefined && items.length === 0 && (
        <p className="screen-message">Nothing yet. Replies, mentions, reactions and reposts of your posts show here.</p>
      )}
      <ol className="notification-list" aria-label="Notifications">
        {items.map((n) => (
          <li
            key={n.id}
            className={n.read ? 'notification' : 'notification notification-unread'}
            data-testid="notification"
          >
            <p className="notification-what">
              <a href={profileHref(n.from)}>
                <bdi>{n.fromName ?? shortFingerprint(n.from)}</bdi>
              </a>{' '}
              {what(n)}
              {!n.read && <span className="visually-hidden"> (unread)</span>}
            </p>
            {n.body !== undefined && <p className="notification-body">{n.body}</p>}
            <p className="notification-meta">
              <time dateTime={new Date(n.ts).toISOString()}>{new Date(n.ts).toLocaleString()}</time>
              {n.subject && (
                <>
                  {' '}
                  · <a href={threadHref(n.subject)}>Your post</a>
                </>
              )}
              {!n.read && (
                <button
                  type="button"
                  className="button button-quiet button-small"
                  onClick={() => void markRead([n.id])}
                >
                  Mark read
                </button>
              )}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
