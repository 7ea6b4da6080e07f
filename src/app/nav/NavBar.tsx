/** Home, search, notifications, messages, mists, hives, my profile, settings: a bar under the header (at the bottom
 * on phones). */
import type { PseudonymId } from '../../protocol/ids.ts';
import { useUnreadMessages, useUnreadNotifications } from '../notifications/use-unread.ts';
import { Icon, type IconName } from '../shell/Icon.tsx';
import { type Route, profileHref, routeHref } from './route.ts';

export function NavBar({ route, me }: { readonly route: Route; readonly me: PseudonymId }) {
  const notifications = useUnreadNotifications(me);
  const messages = useUnreadMessages(me);
  // [label, href, icon, current, unread, shorter label for a phone's bottom bar ('' for the icon alone)]
  const links: readonly [string, string, IconName, boolean, number, string?][] = [
    ['Home', routeHref({ name: 'home' }), 'home', route.name === 'home' || route.name === 'new', 0],
    ['Search', routeHref({ name: 'search', q: '' }), 'search', route.name === 'search', 0],
    [
      'Notifications',
      routeHref({ name: 'notifications' }),
      'bell',
      route.name === 'notifications',
      notifications,
      // The longest label, and the bell says it: on a phone the icon alone (its name stays "Notifications").
      '',
    ],
    [
      'Messages',
      routeHref({ name: 'messages' }),
      'mail',
      route.name === 'messages' || route.name === 'conversation',
      messages,
    ],
    [
      'Mists',
      routeHref({ name: 'mists', scope: 'following' }),
      'file',
      route.name === 'mists' || route.name === 'mist',
      0,
    ],
    [
      'Hives',
      routeHref({ name: 'hives' }),
      'hive',
      route.name === 'hives' || route.name === 'hive' || route.name === 'hive-post',
      0,
      // Eight links share a phone's width: the hexagon alone there (its name stays "Hives").
      '',
    ],
    ['My profile', profileHref(me), 'user', route.name === 'profile' && route.id === me, 0, 'Profile'],
    ['Settings', routeHref({ name: 'settings' }), 'settings', route.name === 'settings', 0],
  ];
  return (
    <nav className="nav-bar" aria-label="Main">
      {links.map(([label, href, icon, current, unread, short]) => (
        <a
          key={label}
          href={href}
          className="nav-link"
          aria-current={current ? 'page' : undefined}
          aria-label={short ? label : undefined}
        >
          <Icon name={icon} />
          {short === '' ? (
            // Read out, and shown beside the icon but on a phone; the unread count below stays in its name.
            <span className="nav-label-beside-icon">{label}</span>
          ) : short ? (
            <>
              <span className="nav-label-long">{label}</span>
              <span className="nav-label-short" aria-hidden="true">
                {short}
              </span>
            </>
          ) : (
            <span>{label}</span>
          )}
          {unread > 0 && (
            <span className="nav-badge" data-testid={`unread-${label.toLowerCase()}`}>
              {unread > 99 ? '99+' : unread}
              <span className="visually-hidden"> unread</span>
            </span>
          )}
        </a>
      ))}
    </nav>
  );
}
