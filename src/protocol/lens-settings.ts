/**
 * The lens settings' names and values, shared by the app (Settings), the
 * command line (`murmur lens`) and the worker (workers/read/lenses.ts). They
 * live in a pseudonym's private state and are never sent: a lens is this
 * device's reading of what it holds.
 */

/** The lenses a person may stack on `following` (its plain chronological timeline), in the order shown. */
export const LENS_NAMES = ['topics', 'adjacent', 'fresh'] as const;
export type LensName = (typeof LENS_NAMES)[number];

/** The shares a person may give one lens, in percent of each page of the home feed (0: off). */
export const LENS_SHARES = [0, 10, 20, 30] as const;
export type LensShare = (typeof LENS_SHARES)[number];

/** Each lens's definition in words, as the Lenses settings and `murmur lens` show it. */
export const LENS_WORDS: Readonly<Record<LensName, string>> = {
  topics: 'public posts carrying your profile’s topics from people listed under them whom you do not follow',
  adjacent:
    'public posts on topics seen alongside yours in what you have read (not your own topics), from people ' +
    'listed under them whom you do not follow',
  fresh: 'the first posts of people newly listed in your hub’s directory whom you do not follow',
};

/** The lens setting (private state, `lens` map) holding a lens's share: `topics.share` and so on. */
export const shareSetting = (name: LensName): string => `${name}.share`;

/** A lens's share as the settings say; anything else (absent, out of range) is off. */
export function lensShareOf(lens: Readonly<Record<string, unknown>>, name: LensName): LensShare {
  const value = lens[shareSetting(name)];
  return (LENS_SHARES as readonly unknown[]).includes(value) ? (value as LensShare) : 0;
}

/** Every lens's share; `following` keeps what they leave of a page. */
export function lensSharesOf(lens: Readonly<Record<string, unknown>>): Record<LensName, LensShare> {
  return {
    topics: lensShareOf(lens, 'topics'),
    adjacent: lensShareOf(lens, 'adjacent'),
    fresh: lensShareOf(lens, 'fresh'),
  };
}
