/**
 * Notifications of the pseudonym on screen: replies, quotes, mentions,
 * reactions and reposts from anyone (followed or not), each verified by the
 * worker against the signed objects. Opening the screen pulls the inbox, and
 * what it shows is read: the nav's count clears at once, as in any app
 * people know; what was unread when it arrived here stays marked "New" for
 * this visit, so seeing it does not hide which ones are news.
 */
import { useEffect, useRef, useState } from 'react';
import type { NotificationItem, PseudonymSummary } from '../../../workers/api/api-types.ts';
import { useCore } from '../core/use-core.ts';
import { describeError, describeFailure } from '../core/error-text.ts';
import { useCoreQuery } from '../core/use-core-query.ts';
import { BackLink } from '../nav/BackLink.tsx';
import { profileHref, threadHref } from '../nav/route.ts';
import { PersonLabel } from '../people/PersonLabel.tsx';

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

  const items = list.data ?? [];
  // Unread as first shown here: marked "New" until the screen is left, though read at once.
  const fresh = useRef(new Set<string>());
  const unshown = items.filter((n) => !n.read && !fresh.current.has(n.id)).map((n) => n.id);
  const unshownKey = unshown.join(' ');
  const isNew = (n: NotificationItem) => !n.read || fresh.current.has(n.id);
  // biome-ignore lint/correctness/useExhaustiveDependencies: unshownKey is the trigger: new unread items shown
  useEffect(() => {
    if (unshown.length === 0) return;
    for (const id of unshown) fresh.current.add(id);
    core
      .markNotificationsRead(me, unshown)
      .catch((error: unknown) => setProblem(`Could not mark as read: ${describeError('action', error)}`));
  }, [core, me, unshownKey]);

  return (
    <section className="screen notifications" aria-labelledby="notifications-title">
      <BackLink />
      <h1 id="notifications-title" className="screen-title">
        Notifications
      </h1>
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
            className={isNew(n) ? 'notification notification-unread' : 'notification'}
            data-testid="notification"
          >
            <p className="notification-what">
              <a href={profileHref(n.from)}>
                <PersonLabel person={{ id: n.from, name: n.fromName, handle: n.fromHandle }} />
              </a>{' '}
              {what(n)}
              {isNew(n) && <span className="notification-new">New</span>}
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
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
