/**
 * What the hub client knows of each route beyond its path (src/protocol/
 * routes.ts): which only read, so a read whose kept-alive connection was
 * closed is sent again at once, and how an answer is named in a message.
 */
import type { RouteName } from '../protocol/routes.ts';

export const READ_RETRIES = 3;

/** Routes that only read: asking twice is harmless. */
export const READS: ReadonlySet<RouteName> = new Set([
  'getBlob',
  'listDirectory',
  'listListings',
  'getInboxPolicy',
  'missingBlobs',
  'batchBlobs',
  'getHeads',
  'listChanges',
  'webfinger',
  'hubInfo',
  // Signed, but signed afresh for each send: asking twice reads twice.
  'listInbox',
]);

/** How an answer is named in a message. */
export const ROUTE_WHAT: Partial<Record<RouteName, string>> = {
  putHead: 'a head',
  listChanges: 'a change page',
  webfinger: 'WebFinger',
  hubInfo: 'its info',
  listInbox: 'its inbox',
};
