/**
 * The command line's failures: every error it reports has a name (the
 * protocol's, the core's, the hub client's, or one of these), and the name
 * picks the exit code, so a script or an agent can branch on either.
 * docs/cli.md lists them.
 */

/** The command line's own names, beside the core's (workers/errors.ts) and the hub client's. */
export type CliErrorName =
  /** The command line was called wrongly (unknown command or option, missing argument). */
  | 'Usage'
  /** No pseudonym in this home (or none by that --as name): run `murmur init` or `murmur import`. */
  | 'NoPseudonym'
  /** A pseudonym by that name is already in this home. */
  | 'NameTaken'
  /** Another murmur process holds this home; it lets go when it ends. */
  | 'HomeBusy'
  /** git failed in the repository an agent reads (`agent devlog --repo`); its words say why. */
  | 'GitFailed'
  /** This agent's owner revoked it (a revoke op in the owner's feed): it may sign nothing more. */
  | 'AgentRevoked'
  /** MURMUR_AGENT_KEY names a file that is not an agent credential `agent add` wrote. */
  | 'AgentCredentialUnreadable';

export class CliError extends Error {
  override readonly name: CliErrorName;

  constructor(name: CliErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

/** Exit codes, by what went wrong (docs/cli.md, "Exit codes"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, offline: 3, refused: 4, notFound: 5 } as const;

const USAGE = new Set(['Usage', 'InvalidField', 'MalformedId']);
const OFFLINE = new Set(['Offline', 'HubUnavailable', 'HubUnreachable', 'AnswerTooSlow']);
const NOT_FOUND = new Set(['NotFound', 'NoPseudonym', 'NoDmKey', 'NoHub']);
/** Refusals: a hub or the keys said no, or the home is busy; trying the same thing again will not help. */
const REFUSED = new Set([
  'HandleTaken',
  'WrongHost',
  'Locked',
  'WrongPassphrase',
  'BackupTampered',
  'BackupUnreadable',
  'NameTaken',
  'HomeBusy',
  'Forbidden',
  'TooLarge',
  'BadSignature',
  'WrongAuthor',
  'Conflict',
  'AgentRevoked',
  'AgentCredentialUnreadable',
  'OutOfScope',
  'DelegationExpired',
  'BadDelegation',
  // A file refused as damaged or forged (import-feed): reading it again will not help.
  'Truncated',
  'HashMismatch',
  'DecodeError',
  'NonCanonical',
  'MissingParents',
  'BadSeq',
  'FutureTimestamp',
  'BadCiphertext',
  'ForkTooDeep',
]);

/** The exit code for a failure named `name`. */
export function exitCodeOf(name: string): number {
  if (USAGE.has(name)) return EXIT.usage;
  if (OFFLINE.has(name)) return EXIT.offline;
  if (NOT_FOUND.has(name)) return EXIT.notFound;
  if (REFUSED.has(name)) return EXIT.refused;
  return EXIT.failed;
}
