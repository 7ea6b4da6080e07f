/** Entry: styles, the service worker, persistent storage, the core worker, and the React root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createWorkerCore, startOutboxSync } from '../client/core.ts';
import { App } from './App.tsx';
import { CoreProvider } from './core/CoreProvider.tsx';
import { loadOnboarding } from './identity/load-onboarding.ts';
import { hasRememberedPseudonym } from './identity/use-active-pseudonym.ts';
import { applyTheme, readTheme } from './settings/use-theme.ts';
import { firstScreenShown } from './shell/first-screen.ts';
import { startServiceWorker } from './shell/service-worker.ts';
import './styles/theme.css';
import './styles/shell.css';
import './styles/home.css';
import './styles/onboarding.css';
import './styles/post.css';
import './styles/screens.css';
import './styles/discover.css';

/** Asks once that the browser not evict this device's keys and posts under storage pressure. */
async function requestPersistentStorage(): Promise<void> {
  if (!navigator.storage?.persist) return;
  if (await navigator.storage.persisted()) return;
  const granted = await navigator.storage.persist();
  if (!granted) console.info('murmur: persistent storage was not granted; the browser may evict data under pressure');
}

// First, as when importing src/client/core.ts started it: the worker's start (opening IndexedDB) is the longest.
// Outside the React tree: StrictMode renders twice, and a second worker would be a second core over the same database.
const core = createWorkerCore();
// A first visit shows onboarding: its chunk loads now, beside the worker's start (load-onboarding.ts).
if (!hasRememberedPseudonym()) loadOnboarding().catch((error: unknown) => console.warn('murmur: onboarding', error));
requestPersistentStorage().catch((error: unknown) => console.warn('murmur: storage persistence request failed', error));
// After the first screen: its precache fetches the whole app, which would compete with that screen.
void firstScreenShown()
  .then(() => {
    startOutboxSync(core).catch((error: unknown) => console.error('murmur: could not start background sync', error));
    return startServiceWorker(() => import('virtual:pwa-register'));
  })
  .catch((error: unknown) => console.error('murmur: could not load the service worker registration', error));
applyTheme(readTheme());

const container = document.getElementById('root');
if (!container) throw new Error('murmur: #root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    <CoreProvider core={core}>
      <App />
    </CoreProvider>
  </StrictMode>,
);
