/**
 * The first screen's reads, answered straight from IndexedDB before the rest
 * of the core is loaded (staged-api.ts): the pseudonyms, whether a lock is
 * set, the timeline's first page with mutes applied, the unread counts and
 * the drafts. They import no Yjs, no DM or lock crypto, no sync engine, so
 * the worker's first script stays small. Each answers `undefined` where only
 * the full core can say (a lock is set, the private view is out of date),
 * and the full core answers instead.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { CoreApi, SyncStatus } from './api-types.ts';
import { type CoreDb, ownedRange } from '../store/db.ts';
import { IdbPeopleReads } from '../store/idb-people-reads.ts';
import { listPseudonyms } from '../keys/summaries.ts';
import { lockIsSet } from '../keys/lock-row.ts';
import { readTimelinePage } from '../read/timeline-page.ts';
import { type Hidden, filterTimeline, hiddenOf, hidesNotification, hidesNothing } from '../private/filter.ts';
import { readPrivateView } from '../private/view.ts';
import { countUnread, listNotifications } from '../inbox/notifications.ts';
import { listConversations } from '../inbox/conversations.ts';
import { offlineStatus } from '../net/offline-status.ts';

/** A CoreApi method that may answer `undefined`: "ask the full core". */
type Early<K extends keyof CoreApi> = (
  ...args: Parameters<CoreApi[K]>
) => Promise<Awaited<ReturnType<CoreApi[K]>> | undefined>;

export type EarlyApi = { readonly [K in EarlyMethod]: Early<K> };

export const EARLY_METHODS = [
  'listPseudonyms',
  'getLockState',
  'getSyncStatus',
  'listTimeline',
  'countUnreadNotifications',
  'listConversations',
  'listDrafts',
] as const satisfies readonly (keyof CoreApi)[];
export type EarlyMethod = (typeof EARLY_METHODS)[number];

/** @param online the page's view of connectivity as last told */
export function createEarlyApi(db: CoreDb, online: () => boolean): EarlyApi {
  const store = new IdbPeopleReads(db);
  const known = async (pseudonym: PseudonymId) => (await db.getKey('pseudonyms', pseudonym)) !== undefined;
  const hidden = async (pseudonym: PseudonymId): Promise<Hidden | undefined> => {
    const view = await readPrivateView(db, pseudonym);
    return view && hiddenOf(view.settings);
  };
  return {
    listPseudonyms: () => listPseudonyms(db),
    // Set, only the full core knows whether this worker holds it open (it does not, at start).
    getLockState: async () => ((await lockIsSet(db)) ? undefined : 'none'),
    // The sync run starts with the rest of the core, right after the first screen.
    getSyncStatus: async (pseudonym): Promise<SyncStatus> => {
      const queued = await db.count('outbox', ownedRange(pseudonym));
      return online() ? { state: 'syncing', queued } : offlineStatus(queued);
    },
    listTimeline: async (pseudonym, page) => {
      const hides = await hidden(pseudonym);
      if (!hides) return undefined;
      // A page that reaches posts still without rows is the full core's: building rows is not in this script.
      let due = false;
      const items = await filterTimeline(db, hides, page, async (p) => {
        const read = await readTimelinePage(db, pseudonym, p);
        if ('items' in read) return read.items;
        due = true;
        return [];
      });
      return due ? undefined : items;
    },
    countUnreadNotifications: async (pseudonym) => {
      const hides = await hidden(pseudonym);
      if (!hides) return undefined;
      const query = async (...args: Parameters<typeof listNotifications>) => {
        const items = await listNotifications(...args);
        return hidesNothing(hides) ? items : items.filter((n) => !hidesNotification(hides, n));
      };
      return countUnread(query, store, pseudonym);
    },
    listConversations: (pseudonym) => listConversations(store, pseudonym),
    listDrafts: async (pseudonym) => {
      if (!(await known(pseudonym))) return undefined; // the full core names the error
      const view = await readPrivateView(db, pseudonym);
      return view && [...view.drafts];
    },
  };
}
