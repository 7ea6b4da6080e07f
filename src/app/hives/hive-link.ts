/**
 * A hive's link: the app's address with the hive's route, `<app>/#/hives/<hive id>?hub=<origin>` (hub repeated
 * for each of its hubs, home first), which opens the hive in any copy of the app, and the route a pasted link
 * names (the whole address or only its `#/hives/...` part).
 */
import type { HiveAddress } from '../../../workers/api/hives-types.ts';
import { type Route, hiveHref, parseRoute } from '../nav/route.ts';

/** The link to share, on the app at `base` (`location.origin + location.pathname`). */
export const hiveLinkOf = (base: string, at: HiveAddress): string => `${base}${hiveHref(at)}`;

/** The hive (or hive post) route a pasted link names, when it names one with a hub. */
export function parseHiveLink(text: string): Extract<Route, { name: 'hive' | 'hive-post' }> | undefined {
  const hash = text.trim().slice(text.trim().indexOf('#'));
  if (!hash.startsWith('#/hives/')) return undefined;
  const route = parseRoute(hash);
  return (route.name === 'hive' || route.name === 'hive-post') && route.hubs.length > 0 ? route : undefined;
}
