/**
 * Failures in words. The worker returns expected failures as values
 * (`{ ok: false, error, message }`) and comlink rebuilds thrown errors with
 * their `name`, so the name is what we translate; the message is the fallback.
 */

/** Which action failed: the same error name can mean different things. */
export type ErrorContext =
  | 'claim'
  | 'follow'
  | 'post'
  | 'create'
  | 'load'
  | 'action'
  | 'backup'
  | 'lock'
  | 'feed-file'
  | 'move'
  | 'link'
  | 'mist'
  | 'mist-link'
  | 'hive';

const WORDS: Record<string, string> = {
  Offline: 'You are offline',
  HandleTaken: 'That handle is taken on this hub',
  NotFound: 'No such handle on that hub',
  TooLarge: 'That is too long',
  RateLimited: 'Too many requests right now; try again in a minute',
  Unreachable: 'That hub could not be reached',
  NetworkError: 'That hub could not be reached',
  WrongHost: 'That handle belongs to another hub',
  BadSignature: 'The hub sent data with a bad signature, so it was refused',
  HashMismatch: 'The hub sent damaged data, so it was refused',
  Locked: 'Your keys are locked',
  WrongPassphrase: 'That passphrase is not right',
  BadPassphrase: 'That passphrase is not right',
  DecodeError: 'That file is not a Murmur backup',
  NotOwn: 'Only the author can do that',
  NoDmKey: 'They have not turned on messages yet (they need to open Messages once)',
  NoHub: 'Their hub is not known here; start the conversation from their handle',
  InboxClosed: 'They take messages only from people they follow or name',
};

/** comlink's words when the worker lacks a method (a newer worker brings it). */
const MISSING_METHOD = /is not a function|undefined is not|Cannot read properties of undefined/;

const BY_CONTEXT: Partial<Record<ErrorContext, Record<string, string>>> = {
  post: {
    NotFound: 'This pseudonym was not found on this device',
    NoDmKey:
      'Someone you named has not turned on private messages, so the post cannot be sealed to them; ' +
      'nothing was posted',
  },
  // Opening a link post: the key is in the link, and nothing is shown unless it opens the post.
  link: {
    MalformedLink: 'This link does not carry the key that opens the post',
    Undecryptable: 'This link’s key does not open the post',
    NotFound: 'That post is not on the hub this link names',
    InvalidField: 'This link does not name a hub',
  },
  claim: { NotFound: 'This hub does not accept handle claims' },
  // A feed file is checked whole before anything is taken in: each refusal says what was wrong with the file.
  'feed-file': {
    DecodeError: 'That file is not a Murmur feed file, or it is damaged',
    Truncated: 'That file is cut short (was the copy finished?); nothing was imported',
    HashMismatch: 'That file was changed or damaged after it was made; nothing was imported',
    BadSignature: 'That file holds a post its author did not sign; nothing was imported',
    WrongAuthor: 'That file mixes in someone else’s posts; nothing was imported',
    MissingParents: 'That file is out of order or incomplete; nothing was imported',
    NotFound: 'That file has no key, and its pseudonym is not on this device: import its backup first',
    InvalidField: 'That file carries its key: give the passphrase it was exported with',
  },
  // Mists: the worker's own words say which file or mist (NotFound, Forbidden, TooLarge), except these.
  mist: {
    ForkTooDeep: 'This mist is a fork five deep already, as deep as forks go: it cannot be forked again',
    TooLarge: 'That file is over 10 MiB, more than a mist may hold',
    NotFound: 'This mist is not on this device: it is not in your feed or those you follow, or it was deleted',
  },
  // A secret mist's link: as a link post's, nothing is shown unless its key opens the mist.
  'mist-link': {
    MalformedLink: 'This link does not carry the key that opens the mist',
    Undecryptable: 'This link’s key does not open the mist',
    NotFound: 'That mist is not on the hub this link names, or this key does not open it',
    InvalidField: 'This link does not name a hub',
  },
  // Hives: read from the hubs a link names, each entry checked; an act is a commit of one's own feed.
  hive: {
    NotFound: 'This hive is not on the hub its link names (yet), or something it names is missing there',
    Unreachable: 'The hive’s hub could not be reached',
    NetworkError: 'The hive’s hub could not be reached',
    BadSignature: 'The hive’s hub sent something with a bad signature, so it was refused',
    WrongAuthor: 'The hive’s hub sent something signed by someone else, so it was refused',
    TooLarge: 'That is too long for a hive',
    Offline: 'The hive’s hub could not be reached: you or it may be offline',
    HubUnavailable: 'The hive’s hub is not answering as a Murmur hub right now',
    HandleTaken: 'That handle is taken on the hive’s hub: give the hive another one (or another name)',
  },
  // A move that is refused changes nothing: each refusal says so.
  move: {
    HubUnreachable: 'That hub could not be reached, or is not a Murmur hub; nothing was moved',
    HandleTaken: 'Your handle’s name is taken on that hub; nothing was moved',
    Offline: 'You are offline; nothing was moved',
  },
};

/** Words for an error name (with the worker's message as fallback). */
export function describeFailure(context: ErrorContext, error: string, message?: string): string {
  const words = BY_CONTEXT[context]?.[error] ?? WORDS[error];
  if (words) return words;
  if (message && message.trim() !== '') return capitalize(message.trim());
  return `Something went wrong (${error})`;
}

/** Words for anything thrown (comlink errors keep name and message). */
export function describeError(context: ErrorContext, thrown: unknown): string {
  if (thrown instanceof Error && MISSING_METHOD.test(thrown.message))
    return "This device's Murmur core cannot do that yet";
  if (thrown instanceof Error) return describeFailure(context, thrown.name, thrown.message);
  if (typeof thrown === 'string') return describeFailure(context, 'Error', thrown);
  return describeFailure(context, 'Error', undefined);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
