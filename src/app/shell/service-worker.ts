/**
 * Registers the service worker (vite-plugin-pwa's virtual module, prompt
 * mode) and keeps whether an update waits, for the UpdatePrompt.
 */
/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

type Listener = () => void;
const listeners = new Set<Listener>();
let needRefresh = false;
let updateSW: ((reloadPage?: boolean) => Promise<void>) | undefined;

function set(value: boolean): void {
  needRefresh = value;
  for (const listener of listeners) listener();
}

/** Call once at start. */
export function startServiceWorker(): void {
  if (updateSW || !('serviceWorker' in navigator)) return;
  updateSW = registerSW({
    onNeedRefresh: () => set(true),
    onRegisterError: (error: unknown) => console.error('murmur: service worker registration failed', error),
  });
}

export function subscribeUpdate(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isUpdateWaiting(): boolean {
  return needRefresh;
}

/** Activates the waiting worker (it posts SKIP_WAITING) and reloads the page once it has taken over. */
export function applyUpdate(): Promise<void> {
  // registerSW reloads on workbox's 'controlling' only when the page was
  // already controlled when it loaded; on a first visit the worker claims the
  // page later (clientsClaim), and Reload would do nothing. So reload here.
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  return updateSW ? updateSW(true) : Promise.resolve();
}

export function dismissUpdate(): void {
  set(false);
}
