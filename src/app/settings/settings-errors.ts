/** What moving hubs and feed files say when refused (core/error-text.ts ErrorWords), loaded with Settings. */
import type { ErrorWords } from '../core/error-text.ts';

/** A feed file is checked whole before anything is taken in: each refusal says what was wrong with the file. */
export const FEED_FILE_ERRORS: ErrorWords = {
  DecodeError: 'That file is not a Murmur feed file, or it is damaged',
  Truncated: 'That file is cut short (was the copy finished?); nothing was imported',
  HashMismatch: 'That file was changed or damaged after it was made; nothing was imported',
  BadSignature: 'That file holds a post its author did not sign; nothing was imported',
  WrongAuthor: 'That file mixes in someone else’s posts; nothing was imported',
  MissingParents: 'That file is out of order or incomplete; nothing was imported',
  NotFound: 'That file has no key, and its pseudonym is not on this device: import its backup first',
  InvalidField: 'That file carries its key: give the passphrase it was exported with',
};

/** A move that is refused changes nothing: each refusal says so. */
export const MOVE_ERRORS: ErrorWords = {
  HubUnreachable: 'That hub could not be reached, or is not a Murmur hub; nothing was moved',
  HandleTaken: 'Your handle’s name is taken on that hub; nothing was moved',
  Offline: 'You are offline; nothing was moved',
};
