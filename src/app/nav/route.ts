/**
 * In-app navigation as hash routes (no router dependency):
 * `#/` home, `#/new` home with the composer focused, `#/thread/<post id>`, `#/profile/<pseudonym id>`, `#/settings`,
 * `#/notifications`, `#/messages`, `#/messages/<pseudonym id>` (one conversation), `#/search?q=<query>`,
 * `#/discover?topic=<topic>&q=<words>` (the directory of listed pseudonyms),
 * `#/link/<commit id>?hub=<origin>&k=<key>` (a link post: the key stays in the fragment, which no server is sent),
 * `#/mists?scope=mine|explore&type=<artifact>` (mists), `#/mists/<author>/<mist id>?v=<version>` (one mist),
 * `#/mist/<commit id>?hub=<origin>&k=<key>` (a secret mist's link, as `murmur mist create --secret` prints it),
 * `#/hives` (the hives you made or joined), `#/hives/<hive id>?hub=<origin>&top=<window>` (a hive, its link: `hub`
 * may repeat, the first is home; `top` sorts by votes over day, week, month or all, else newest first),
 * `#/hives/<hive id>/p/<post id>?hub=<origin>` (a hive post and its comments).
 * Ids are kept as lowercase hex; anything else falls back to home.
 */
import type { ObjectId, PseudonymId } from '../../protocol/ids.ts';
import type { MistId } from '../../protocol/mists.ts';
import { ARTIFACT_TYPES, type ArtifactType } from '../../protocol/mist-types.ts';

export type Route =
  | { readonly name: 'home' }
  /** Home with the composer focused (the "New post" app shortcut). */
  | { readonly name: 'new' }
  | { readonly name: 'thread'; readonly id: ObjectId }
  | { readonly name: 'profile'; readonly id: PseudonymId }
  | { readonly name: 'settings' }
  | { readonly name: 'notifications' }
  | { readonly name: 'messages' }
  | { readonly name: 'conversation'; readonly peer: PseudonymId }
  | { readonly name: 'search'; readonly q: string }
  | { readonly name: 'discover'; readonly topic: string; readonly q: string }
  /** A link post: where it is and its key (`#k=...`, empty when the link carries none). */
  | { readonly name: 'link'; readonly commit: ObjectId; readonly hub: string; readonly key: string }
  | { readonly name: 'mists'; readonly scope: MistScope; readonly type?: ArtifactType }
  /** One mist; `version` an index in its history (the latest when absent). */
  | { readonly name: 'mist'; readonly author: PseudonymId; readonly id: MistId; readonly version?: number }
  /** A secret mist's link: where its commit is and its key (`#k=...`). */
  | { readonly name: 'mist-link'; readonly commit: ObjectId; readonly hub: string; readonly key: string }
  | { readonly name: 'hives' }
  /** A hive at its hubs (home first; only http(s) origins); `top` when sorted by votes over that window. */
  | { readonly name: 'hive'; readonly hive: PseudonymId; readonly hubs: readonly string[]; readonly top?: TopWindow }
  | {
      readonly name: 'hive-post';
      readonly hive: PseudonymId;
      readonly hubs: readonly string[];
      readonly post: ObjectId;
    };

/** The window a hive's Top sort counts posts from: the reader's explicit choice (New is the default, not a rank). */
export type TopWindow = 'day' | 'week' | 'month' | 'all';
export const TOP_WINDOWS: readonly TopWindow[] = ['day', 'week', 'month', 'all'];

/** The http(s) origins among `hubs`, each once, in order: a link's hubs are fetched from, so nothing else passes. */
export function hubOrigins(hubs: readonly string[]): string[] {
  const origins = hubs.flatMap((hub) => {
    try {
      const url = new URL(hub);
      return url.protocol === 'http:' || url.protocol === 'https:' ? [url.origin] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}

/** Whose mists a list shows: those you follow and yours, yours alone, or those listed in your hub's directory. */
export type MistScope = 'following' | 'mine' | 'explore';
const MIST_SCOPES: readonly string[] = ['following', 'mine', 'explore'] satisfies MistScope[];

const HEX = /^[0-9a-f]{8,128}$/;

/** The route a location hash names (home for anything unknown). */
export function parseRoute(hash: string): Route {
  const search = /^#\/search(?:\?(.*))?$/.exec(hash);
  if (search) return { name: 'search', q: new URLSearchParams(search[1] ?? '').get('q') ?? '' };
  const discover = /^#\/discover(?:\?(.*))?$/.exec(hash);
  if (discover) {
    const params = new URLSearchParams(discover[1] ?? '');
    return { name: 'discover', topic: params.get('topic') ?? '', q: params.get('q') ?? '' };
  }
  const link = /^#\/link\/([0-9a-f]{64})(?:\?(.*))?$/.exec(hash);
  if (link) {
    const params = new URLSearchParams(link[2] ?? '');
    const k = params.get('k');
    return { name: 'link', commit: link[1] as ObjectId, hub: params.get('hub') ?? '', key: k ? `#k=${k}` : '' };
  }
  const mists = /^#\/mists(?:\?(.*))?$/.exec(hash);
  if (mists) {
    const params = new URLSearchParams(mists[1] ?? '');
    const type = params.get('type');
    return {
      name: 'mists',
      scope: MIST_SCOPES.includes(params.get('scope') ?? '') ? (params.get('scope') as MistScope) : 'following',
      ...(type && ARTIFACT_TYPES.includes(type as ArtifactType) && { type: type as ArtifactType }),
    };
  }
  const mist = /^#\/mists\/([0-9a-f]{64})\/([0-9a-f]{16})(?:\?(.*))?$/.exec(hash);
  if (mist) {
    const v = Number(new URLSearchParams(mist[3] ?? '').get('v') ?? Number.NaN);
    return {
      name: 'mist',
      author: mist[1] as PseudonymId,
      id: mist[2] as MistId,
      ...(Number.isInteger(v) && v >= 1 && { version: v - 1 }),
    };
  }
  const mistLink = /^#\/mist\/([0-9a-f]{64})(?:\?(.*))?$/.exec(hash);
  if (mistLink) {
    const params = new URLSearchParams(mistLink[2] ?? '');
    const k = params.get('k');
    return {
      name: 'mist-link',
      commit: mistLink[1] as ObjectId,
      hub: params.get('hub') ?? '',
      key: k ? `#k=${k}` : '',
    };
  }
  const hive = /^#\/hives(?:\/([0-9a-f]{64})(?:\/p\/([0-9a-f]{64}))?)?(?:\?(.*))?$/.exec(hash);
  if (hive) return hiveRoute(hive[1], hive[2], new URLSearchParams(hive[3] ?? ''));
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [name, id] = parts;
  if (name === 'settings') return { name: 'settings' };
  if (name === 'new') return { name: 'new' };
  if (name === 'notifications') return { name: 'notifications' };
  if (name === 'messages')
    return id && HEX.test(id) ? { name: 'conversation', peer: id as PseudonymId } : { name: 'messages' };
  if (name === 'thread' && id && HEX.test(id)) return { name: 'thread', id: id as ObjectId };
  if (name === 'profile' && id && HEX.test(id)) return { name: 'profile', id: id as PseudonymId };
  return { name: 'home' };
}

function hiveRoute(hive: string | undefined, post: string | undefined, params: URLSearchParams): Route {
  if (!hive) return { name: 'hives' };
  const at = { hive: hive as PseudonymId, hubs: hubOrigins(params.getAll('hub')) };
  if (post) return { name: 'hive-post', ...at, post: post as ObjectId };
  const top = params.get('top') as TopWindow | null;
  return { name: 'hive', ...at, ...(top && TOP_WINDOWS.includes(top) && { top }) };
}

const hubParams = (hubs: readonly string[]) => new URLSearchParams(hubs.map((hub) => ['hub', hub]));

/** The href for a route. */
export function routeHref(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'settings':
      return '#/settings';
    case 'new':
      return '#/new';
    case 'thread':
      return `#/thread/${route.id}`;
    case 'profile':
      return `#/profile/${route.id}`;
    case 'notifications':
      return '#/notifications';
    case 'messages':
      return '#/messages';
    case 'conversation':
      return `#/messages/${route.peer}`;
    case 'search':
      return route.q ? `#/search?${new URLSearchParams({ q: route.q })}` : '#/search';
    case 'discover': {
      const params = new URLSearchParams({
        ...(route.topic && { topic: route.topic }),
        ...(route.q && { q: route.q }),
      });
      return params.size > 0 ? `#/discover?${params}` : '#/discover';
    }
    case 'link':
      return `#/link/${route.commit}?${new URLSearchParams({ hub: route.hub, k: route.key.replace(/^#k=/, '') })}`;
    case 'mists': {
      const params = new URLSearchParams({
        ...(route.scope !== 'following' && { scope: route.scope }),
        ...(route.type && { type: route.type }),
      });
      return params.size > 0 ? `#/mists?${params}` : '#/mists';
    }
    case 'mist':
      return `#/mists/${route.author}/${route.id}${route.version === undefined ? '' : `?v=${route.version + 1}`}`;
    case 'mist-link':
      return `#/mist/${route.commit}?${new URLSearchParams({ hub: route.hub, k: route.key.replace(/^#k=/, '') })}`;
    case 'hives':
      return '#/hives';
    case 'hive': {
      const params = hubParams(route.hubs);
      if (route.top) params.append('top', route.top);
      return `#/hives/${route.hive}?${params}`;
    }
    case 'hive-post':
      return `#/hives/${route.hive}/p/${route.post}?${hubParams(route.hubs)}`;
  }
}

export const threadHref = (id: ObjectId): string => routeHref({ name: 'thread', id });
export const profileHref = (id: PseudonymId): string => routeHref({ name: 'profile', id });
export const mistHref = (author: PseudonymId, id: MistId, version?: number): string =>
  routeHref({ name: 'mist', author, id, ...(version !== undefined && { version }) });
export const conversationHref = (peer: PseudonymId): string => routeHref({ name: 'conversation', peer });

/**
 * The search href to put in place of `hash` once typing settles on `q`, or
 * undefined to leave it: unchanged, or no longer a search at all. The settle
 * timer can fire after a link click set the hash but before hashchange
 * unmounts the screen; writing the search back then would cancel the move.
 */
export function settledSearchHref(hash: string, q: string): string | undefined {
  const href = routeHref({ name: 'search', q });
  return parseRoute(hash).name === 'search' && hash !== href ? href : undefined;
}
export const hiveHref = (at: { hive: PseudonymId; hubs: readonly string[] }, top?: TopWindow): string =>
  routeHref({ name: 'hive', hive: at.hive, hubs: at.hubs, ...(top && { top }) });
export const hivePostHref = (at: { hive: PseudonymId; hubs: readonly string[] }, post: ObjectId): string =>
  routeHref({ name: 'hive-post', hive: at.hive, hubs: at.hubs, post });
