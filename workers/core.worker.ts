/**
 * The core worker's entry: opens the database, picks the fastest verifier
 * (with verify workers for long catch-ups), builds the API with the
 * platform's fetch, randomness and clock, and exposes it over comlink at
 * once (calls wait until the database is open, so no message sent early is
 * lost). Everything else lives in the modules it wires.
 */
import * as Comlink from 'comlink';
import { pickVerify } from '../src/protocol/keys.ts';
import { createCoreApi } from './api/api.ts';
import { deferredApi } from './api/deferred-api.ts';
import type { ChangeListener } from './api/changes.ts';
import { openCoreDb } from './store/db.ts';
import { HANDOFF_DB } from './sync/handoff-db.ts';
import { pooledVerify, verifyWorkersFor } from './verify/verify-pool.ts';
import { TAB_CHANNEL_NAME } from './tabs/tab-channel.ts';

const api = deferredApi(
  (async () =>
    createCoreApi({
      db: await openCoreDb(),
      // Long catch-ups verify on verify workers (verify-pool.ts); the few signatures of a turn stay here.
      verify: pooledVerify(
        await pickVerify(),
        () =>
          new Worker(new URL('./verify/verify.worker.ts', import.meta.url), { type: 'module', name: 'murmur-verify' }),
        {
          workers: verifyWorkersFor(self.navigator.hardwareConcurrency),
        },
      ),
      fetch: self.fetch.bind(self),
      random: (array) => crypto.getRandomValues(array),
      now: Date.now,
      online: self.navigator.onLine,
      storage: self.navigator.storage,
      // One tab leads each pseudonym's sync; the others hear of changes (leader.ts, tab-channel.ts).
      ...(self.navigator.locks && { tabLocks: self.navigator.locks }),
      ...(typeof BroadcastChannel === 'function' && { tabChannel: new BroadcastChannel(TAB_CHANNEL_NAME) }),
      // Queued pushes left signed for the service worker, which sends them with no tab open (handoff.ts).
      handoffDb: HANDOFF_DB,
    }))(),
);

// The unsubscribe crosses back to the page as a proxy, as the listener came in.
Comlink.expose({ ...api, subscribe: async (listener: ChangeListener) => Comlink.proxy(await api.subscribe(listener)) });
