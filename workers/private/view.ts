/**
 * The private document's plain view (mutes, blocks, private follows, lens
 * settings and drafts), kept beside its update rows by docs.ts, so the first
 * page can be filtered and the drafts listed before Yjs is loaded (the
 * worker loads the rest of the core after the first screen: api/staged-api.ts).
 * The view counts only while the pseudonym's update rows are exactly the ones
 * it was made from; otherwise the caller reads the document itself.
 */
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { CoreDb } from '../store/db.ts';
import { DEFAULT_INBOX_MODE, type DraftView, type PrivateSettings } from './types.ts';

export interface PrivateView {
  readonly settings: PrivateSettings;
  readonly drafts: readonly DraftView[];
}

/** What a pseudonym with no private rows has: nothing muted, no drafts. */
export const EMPTY_VIEW: PrivateView = {
  settings: {
    mutedUsers: [],
    mutedWords: [],
    mutedTags: [],
    blocked: [],
    privateFollows: [],
    lens: {},
    inboxMode: DEFAULT_INBOX_MODE,
    inboxAllow: [],
    approvedFollowers: [],
    listing: 'never',
    searchable: false,
  },
  drafts: [],
};

/** @returns the view, or undefined when the document must be read (rows changed since, or none kept yet). */
export async function readPrivateView(db: CoreDb, pseudonym: PseudonymId): Promise<PrivateView | undefined> {
  const tx = db.transaction(['privateUpdates', 'privateSync'], 'readonly');
  const [keys, row] = await Promise.all([
    tx.objectStore('privateUpdates').getAllKeys(IDBKeyRange.bound([pseudonym, ''], [pseudonym, '\uffff'])),
    tx.objectStore('privateSync').get([pseudonym]),
  ]);
  if (keys.length === 0) return EMPTY_VIEW;
  const cache = row?.view;
  if (!cache || cache.keys.length !== keys.length) return undefined;
  // Both lists are sorted: the store's keys by IndexedDB's order of [pseudonym, key], the cache's when written.
  const same = keys.every(([, key], i) => key === cache.keys[i]);
  return same ? (cache.view as PrivateView) : undefined;
}
