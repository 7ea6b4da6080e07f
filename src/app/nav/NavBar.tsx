/** Home, my profile, settings: a bar under the header (at the bottom on phones). */
import type { PseudonymId } from '../../protocol/ids.ts';
import { Icon, type IconName } from '../shell/Icon.tsx';
import { type Route, profileHref, routeHref } from './route.ts';

export function NavBar({ route, me }: { readonly route: Route; readonly me: PseudonymId }) {
  const links: readonly [string, string, IconName, boolean][] = [
    ['Home', routeHref({ name: 'home' }), 'home', route.name === 'home' || route.name === 'new'],
    ['My profile', profileHref(me), 'user', route.name === 'profile' && route.id === me],
    ['Settings', routeHref({ name: 'settings' }), 'settings', route.name === 'settings'],
  ];
  return (
    <nav className="nav-bar" aria-label="Main">
      {links.map(([label, href, icon, current]) => (
        <a key={label} href={href} className="nav-link" aria-current={current ? 'page' : undefined}>
          <Icon name={icon} />
          <span>{label}</span>
        </a>
      ))}
    </nav>
  );
}
