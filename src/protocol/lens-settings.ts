/**
 * The lens settings' names and values, shared by the app (Settings) and the
 * worker (workers/read/lenses.ts). They live in a pseudonym's private state
 * and are never sent: a lens is this device's reading of what it holds.
 */

/** The shares a person may give the topics lens, in percent of each page of the home feed (0: off). */
export const TOPICS_SHARES = [0, 10, 20, 30] as const;
export type TopicsShare = (typeof TOPICS_SHARES)[number];

/** The lens setting (private state, `lens` map) holding the topics lens's share. */
export const TOPICS_SHARE_SETTING = 'topics.share';

/** The topics lens's share as the settings say; anything else (absent, out of range) is off. */
export function topicsShareOf(lens: Readonly<Record<string, unknown>>): TopicsShare {
  const value = lens[TOPICS_SHARE_SETTING];
  return (TOPICS_SHARES as readonly unknown[]).includes(value) ? (value as TopicsShare) : 0;
}
