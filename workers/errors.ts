/**
 * The worker's named errors: the protocol's names plus the few that only the
 * client meets (no network, a lost race, a misbehaving hub). The name is the
 * contract; it survives comlink and becomes `Result.error`.
 */
import { HubError } from '../src/hub-client/errors.ts';
import { ProtocolError, type ProtocolErrorName } from '../src/protocol/errors.ts';

export type CoreErrorName =
  | ProtocolErrorName
  /** The hub could not be reached at all (fetch failed). */
  | 'Offline'
  /** The hub answered with something that is not the protocol (5xx, HTML, ...). */
  | 'HubUnavailable'
  /** The hub a feed is moving to could not be reached or does not answer as a hub (moveHub); nothing moved. */
  | 'HubUnreachable'
  /** Our tips moved while a local commit was being built; build again. */
  | 'Conflict'
  | 'Aborted'
  /** Keys are locked with a passphrase: unlock() before signing. */
  | 'Locked'
  /** A passphrase that does not open this backup or lock. */
  | 'WrongPassphrase'
  /** A backup whose contents fail authentication (changed or damaged). */
  | 'BackupTampered'
  /** Not a backup this version reads. */
  | 'BackupUnreadable'
  /** The browser refused to store more (QuotaExceededError). */
  | 'StorageFull'
  /** IndexedDB failed a write or read (aborted transaction, closed or broken database). */
  | 'StorageError'
  /** The person has not published a DM key (profile `dm_key`) that this device holds. */
  | 'NoDmKey'
  /** No hub is known where this person reads its inbox. */
  | 'NoHub'
  /** A notice whose objects do not verify or do not concern its recipient (dropped). */
  | 'Unverified'
  /**
   * A notice about a post this device does not hold (one's own, made on another device or by one's agent, not
   * pulled yet, or no post at all): the inbox pull catches up its own feed and checks it once more.
   */
  | 'SubjectUnknown';

export class CoreError extends Error {
  override readonly name: CoreErrorName;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(name: CoreErrorName, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    this.context = context;
  }
}

export interface Failure {
  readonly ok: false;
  readonly error: string;
  readonly message: string;
}

/** The name of any error (protocol, core, or a platform error), for deciding what to do. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** An expected failure as a value. Misuse (TypeError, RangeError) and bugs are rethrown. */
export function toFailure(error: unknown): Failure {
  // A HubError is the hub client's (src/hub-client): the hub's names, Offline, HubUnavailable.
  if (error instanceof CoreError || error instanceof ProtocolError || error instanceof HubError) {
    return { ok: false, error: error.name, message: error.message };
  }
  const storage = storageFailure(error);
  if (storage) return storage;
  throw error;
}

/** Runs `fn`, turning expected failures into `{ ok: false }` values. */
export async function asResult<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | Failure> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return toFailure(error);
  }
}

/** IndexedDB's DOMException names that mean "the write did not happen", not a bug of ours. */
const STORAGE_ERRORS = new Set([
  'AbortError',
  'UnknownError',
  'InvalidStateError',
  'TransactionInactiveError',
  'DataError',
  'VersionError',
]);

/**
 * A storage failure as a value, so the person reads that nothing was saved
 * (never a false "posted"): the quota, or IndexedDB failing under us.
 */
export function storageFailure(error: unknown): Failure | undefined {
  const name = errorName(error);
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  if (name === 'QuotaExceededError') {
    return {
      ok: false,
      error: 'StorageFull',
      message:
        `This device is out of storage space for Murmur, so nothing was saved${detail}. ` +
        `Free some space and try again.`,
    };
  }
  if (STORAGE_ERRORS.has(name)) {
    return {
      ok: false,
      error: 'StorageError',
      message: `The browser's storage failed, so nothing was saved${detail}. Try again; reloading the page may help.`,
    };
  }
  return undefined;
}
