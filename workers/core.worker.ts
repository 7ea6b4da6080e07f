/**
 * The core worker's entry: opens the database and exposes the API over
 * comlink at once (calls wait until the database is open, so no message sent
 * early is lost). The API comes in two stages (api/staged-api.ts): the first
 * screen's reads from this script, and the full core (api/full-core.ts), a
 * chunk loaded once the first screen shows or a call needs it.
 */
import * as Comlink from 'comlink';
import { deferredApi } from './api/deferred-api.ts';
import type { ChangeListener } from './api/changes.ts';
import { createEarlyApi } from './api/early-api.ts';
import { type StagedApi, stagedApi } from './api/staged-api.ts';
import { openCoreDb } from './store/db.ts';
import { TAB_CHANNEL_NAME, TabChannel } from './tabs/tab-channel.ts';

const api = deferredApi(
  (async () => {
    const db = await openCoreDb();
    const staged: StagedApi = stagedApi(
      {
        early: createEarlyApi(db, () => staged.online()),
        load: async (online) => (await import('./api/full-core.ts')).startFullCore(db, online),
        otherTabs(listener) {
          if (typeof BroadcastChannel !== 'function') return () => undefined;
          const channel = new TabChannel(new BroadcastChannel(TAB_CHANNEL_NAME));
          channel.onMessage((message) => message.type === 'change' && listener(message.change));
          return () => channel.close();
        },
      },
      self.navigator.onLine,
    );
    return staged;
  })(),
);

// The unsubscribe crosses back to the page as a proxy, as the listener came in.
Comlink.expose({ ...api, subscribe: async (listener: ChangeListener) => Comlink.proxy(await api.subscribe(listener)) });
