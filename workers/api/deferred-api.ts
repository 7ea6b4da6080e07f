/**
 * The API before the core is ready: every method by name, each call waiting
 * for the real one (the worker listens for messages before its database is
 * open).
 */
import { PRIVATE_METHODS } from '../private/types.ts';
import type { CoreApi } from './api-types.ts';

/** Every CoreApi method, by name (the compiler checks none is missing). */
export const CORE_METHODS = [
  'listPseudonyms',
  'createPseudonym',
  'claimHandle',
  'post',
  'follow',
  'listTimeline',
  'search',
  'getSyncStatus',
  'setActive',
  'setOnline',
  'syncNow',
  'subscribe',
  'renamePseudonym',
  'setOtherHubs',
  'moveHub',
  'retirePseudonym',
  'exportPseudonym',
  'importPseudonym',
  'exportFeed',
  'importFeed',
  'findFeedFileProgress',
  'setLock',
  'unlock',
  'lock',
  'getLockState',
  'getStorageInfo',
  'repost',
  'react',
  'unreact',
  'edit',
  'deletePost',
  'unfollow',
  'setProfile',
  'findProfile',
  'findThread',
  'getEditHistory',
  'findMedia',
  'openLink',
  'listAudienceCandidates',
  'listFollowers',
  'discover',
  'readTopic',
  'listNotifications',
  'countUnreadNotifications',
  'markNotificationsRead',
  'refreshInbox',
  'enableMessages',
  'openConversation',
  'listConversations',
  'getContact',
  'listMessages',
  'sendMessage',
  'markConversationRead',
  'createMist',
  'updateMist',
  'deleteMist',
  'forkMist',
  'listMists',
  'getMist',
  'openMistLink',
  'listHives',
  'listListedHives',
  'createHive',
  'joinHive',
  'leaveHive',
  'postToHive',
  'commentInHive',
  'voteInHive',
  'moderateHive',
  'readHive',
  'startBackground',
] as const satisfies readonly (keyof CoreApi)[];
const allMethodsListed: Exclude<
  keyof CoreApi,
  (typeof CORE_METHODS)[number] | (typeof PRIVATE_METHODS)[number]
> extends never
  ? true
  : never = true;
void allMethodsListed;

/**
 * A CoreApi usable at once whose calls wait for the real one (the worker can
 * listen for messages before its database is open; if opening fails, every
 * call rejects with that error).
 */
export function deferredApi(ready: Promise<CoreApi>): CoreApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of [...CORE_METHODS, ...PRIVATE_METHODS]) {
    api[name] = async (...args) => ((await ready)[name] as (...a: unknown[]) => Promise<unknown>)(...args);
  }
  return api as unknown as CoreApi;
}
