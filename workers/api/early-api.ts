/**
 * The first screen's reads, answered straight from IndexedDB before the rest
 * of the core is loaded (staged-api.ts): the pseudonyms, whether a lock is
 * set, the timeline's first page with mutes applied, and the drafts. They
 * import no Yjs, no DM or lock crypto, no sync engine, no inbox (the nav's
 * unread counts are asked once the first screen shows: use-unread.ts), so
 * the worker's first script stays small. Each answers `undefined` where only
 * the full core can say (a lock is set, the private view is out of date),
 * and the full core answers instead.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { CoreApi, SyncStatus } from './api-types.ts';
import { type CoreDb, ownedRange } from '../store/db.ts';
import { listPseudonyms } from '../keys/summaries.ts';
import { lockIsSet } from '../keys/lock-row.ts';
import { readTimelinePage } from '../read/timeline-page.ts';
import { type Hidden, filterTimeline, hiddenOf } from '../private/filter.ts';
import { readPrivateView } from '../private/view.ts';
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
  'listDrafts',
] as const satisfies readonly (keyof CoreApi)[];
export type EarlyMethod = (typeof EARLY_METHODS)[number];

/** @param online the page's view of connectivity as last told */
export function createEarlyApi(db: CoreDb, online: () => boolean): EarlyApi {
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
    listDrafts: async (pseudonym) => {
      if (!(await known(pseudonym))) return undefined; // the full core names the error
      const view = await readPrivateView(db, pseudonym);
      return view && [...view.drafts];
    },
  };
}
