/**
 * The hub's page routes, declared once beside the API's (routes.ts): pages a browser opens, not calls a client
 * makes, so the hub client never speaks them. A mist's embed and raw pages (PROTOCOL.md, Embedding mists) are
 * one static page of the built app; the hub checks only the shape of the ids in the path, and the page, in the
 * browser, fetches the feed over the API, verifies it and finds the mist.
 */
import { isPseudonymId, type PseudonymId } from './ids.ts';
import { isMistId, type MistId } from './mists.ts';
import type { RouteSpec } from './routes.ts';

export const PAGE_ROUTES = {
  embedMist: {
    method: 'GET',
    path: '/m/:author/:mist/embed',
    answer:
      'the embed page (text/html): framing allowed from anywhere (frame-ancestors *), no cookies; it fetches, ' +
      'verifies and shows the mist',
    errors: ['MalformedId', 'NotFound'],
  },
  rawMist: {
    method: 'GET',
    path: '/m/:author/:mist/raw',
    answer: 'the same page in raw mode: the verified bytes as plain text, and a download',
    errors: ['MalformedId', 'NotFound'],
  },
  embedMistScript: {
    method: 'GET',
    path: '/m/:author/:mist/embed.js',
    answer:
      'a script (text/javascript) that puts the embed page in an iframe where the script stands: the script ' +
      'embed code, for sites that take a script tag rather than an iframe',
    errors: ['MalformedId'],
  },
} as const satisfies Record<string, RouteSpec>;

export type PageRouteName = keyof typeof PAGE_ROUTES;

/** The page's two ways of showing a mist: highlighted (embed) or the bytes as they are (raw). */
export type MistPageMode = 'embed' | 'raw';

export interface MistPage {
  readonly author: PseudonymId;
  readonly mist: MistId;
  readonly mode: MistPageMode;
}

/** The path of a mist's page. */
export function mistPagePath(page: MistPage): string {
  return `/m/${page.author}/${page.mist}/${page.mode}`;
}

/** The mist page a URL path names, or undefined when it names none (or its ids are malformed). */
export function parseMistPagePath(pathname: string): MistPage | undefined {
  const match = /^\/m\/([^/]+)\/([^/]+)\/(embed|raw)$/.exec(pathname);
  if (!match) return undefined;
  const [, author, mist, mode] = match;
  if (!isPseudonymId(author) || !isMistId(mist)) return undefined;
  return { author, mist, mode: mode as MistPageMode };
}

/** Where the app shows a mist (its hash route), on the hub at `origin`. */
export function appMistUrl(origin: string, author: PseudonymId, mist: MistId): string {
  return `${new URL(origin).origin}/#/mists/${author}/${mist}`;
}
