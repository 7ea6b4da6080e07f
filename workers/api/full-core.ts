/**
 * The worker's second stage (staged-api.ts loads this chunk after the first
 * screen): the full core over the open database, with the fastest verifier
 * (and verify workers for long catch-ups) and the platform's fetch,
 * randomness, clock, storage, tab locks and channel.
 */
import { pickVerify } from '../../src/protocol/keys.ts';
import { type CoreService, createCoreApi } from './api.ts';
import type { CoreDb } from '../store/db.ts';
import { HANDOFF_DB } from '../sync/handoff-db.ts';
import { pooledVerify, verifyWorkersFor } from '../verify/verify-pool.ts';
import { TAB_CHANNEL_NAME } from '../tabs/tab-channel.ts';

export async function startFullCore(db: CoreDb, online: boolean): Promise<CoreService> {
  return createCoreApi({
    db,
    // Long catch-ups verify on verify workers (verify-pool.ts); the few signatures of a turn stay here.
    verify: pooledVerify(
      await pickVerify(),
      () =>
        new Worker(new URL('../verify/verify.worker.ts', import.meta.url), { type: 'module', name: 'murmur-verify' }),
      { workers: verifyWorkersFor(self.navigator.hardwareConcurrency) },
    ),
    fetch: self.fetch.bind(self),
    random: (array) => crypto.getRandomValues(array),
    now: Date.now,
    online,
    storage: self.navigator.storage,
    // One tab leads each pseudonym's sync; the others hear of changes (leader.ts, tab-channel.ts).
    ...(self.navigator.locks && { tabLocks: self.navigator.locks }),
    ...(typeof BroadcastChannel === 'function' && { tabChannel: new BroadcastChannel(TAB_CHANNEL_NAME) }),
    // Queued pushes left signed for the service worker, which sends them with no tab open (handoff.ts).
    handoffDb: HANDOFF_DB,
  });
}
