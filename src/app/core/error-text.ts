/**
 * Failures in words. The worker returns expected failures as values
 * (`{ ok: false, error, message }`) and comlink rebuilds thrown errors with
 * their `name`, so the name is what we translate; the message is the fallback.
 */

/**
 * Which action failed: the same error name can mean different things. A screen loaded later brings its own
 * words for its actions (ErrorWords, kept beside it), so the first screen's script does not carry them.
 */
export type ErrorContext =
  | 'claim'
  | 'follow'
  | 'post'
  | 'create'
  | 'load'
  | 'action'
  | 'backup'
  | 'lock'
  | 'link'
  | ErrorWords;

/** Words for error names in one kind of action, before the general ones. */
export type ErrorWords = Readonly<Record<string, string>>;

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

const BY_CONTEXT: Partial<Record<Exclude<ErrorContext, ErrorWords>, ErrorWords>> = {
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
};

/** Words for an error name (with the worker's message as fallback). */
export function describeFailure(context: ErrorContext, error: string, message?: string): string {
  const words = (typeof context === 'string' ? BY_CONTEXT[context] : context)?.[error] ?? WORDS[error];
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
