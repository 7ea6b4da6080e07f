/**
 * Where the key lock's settings are kept (key-lock.ts writes them), apart
 * from the lock's crypto so the first screen can tell "no lock" without it.
 */
import type { CoreDb } from '../store/db.ts';

export const LOCK_META_KEY = 'key-lock';

/** Whether a passphrase lock is set on this device (whether this worker holds it open is key-lock.ts's to say). */
export async function lockIsSet(db: CoreDb): Promise<boolean> {
  return (await db.getKey('meta', LOCK_META_KEY)) !== undefined;
}
