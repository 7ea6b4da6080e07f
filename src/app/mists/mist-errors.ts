/** What a mist's actions and links say when refused (core/error-text.ts ErrorWords), loaded with the mist screens. */
import type { ErrorWords } from '../core/error-text.ts';

/** Mists: the worker's own words say which file or mist (NotFound, Forbidden, TooLarge), except these. */
export const MIST_ERRORS: ErrorWords = {
  ForkTooDeep: 'This mist is a fork five deep already, as deep as forks go: it cannot be forked again',
  TooLarge: 'That file is over 10 MiB, more than a mist may hold',
  NotFound: 'This mist is not on this device: it is not in your feed or those you follow, or it was deleted',
};

/** A secret mist's link: as a link post's, nothing is shown unless its key opens the mist. */
export const MIST_LINK_ERRORS: ErrorWords = {
  MalformedLink: 'This link does not carry the key that opens the mist',
  Undecryptable: 'This link’s key does not open the mist',
  NotFound: 'That mist is not on the hub this link names, or this key does not open it',
  InvalidField: 'This link does not name a hub',
};
