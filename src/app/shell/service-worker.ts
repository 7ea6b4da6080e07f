/**
 * Registers the service worker (vite-plugin-pwa's virtual module, prompt
 * mode) and keeps whether an update waits, for the UpdatePrompt. The module
 * and workbox-window under it are loaded when the first screen has shown
 * (main.tsx imports it, so this module and its test need no virtual module),
 * not with the page: nothing on that screen needs them.
 */
/// <reference types="vite-plugin-pwa/vanillajs" />

type Listener = () => void;
const listeners = new Set<Listener>();
let needRefresh = false;
let updateSW: ((reloadPage?: boolean) => Promise<void>) | undefined;

function set(value: boolean): void {
  needRefresh = value;
  for (const listener of listeners) listener();
}

let started = false;

export type LoadRegister = () => Promise<typeof import('virtual:pwa-register')>;

/**
 * Call once, after the first screen. If the module fails to load (the network dropped between the page and its
 * chunk), it is tried again when the browser is next online, not left unregistered until a reload.
 * @param load the module's import (main.tsx's; a test passes its own)
 */
export async function startServiceWorker(load: LoadRegister): Promise<void> {
  if (started || !('serviceWorker' in navigator)) return;
  started = true;
  let registerSW: Awaited<ReturnType<LoadRegister>>['registerSW'];
  try {
    ({ registerSW } = await load());
  } catch (error) {
    started = false;
    console.warn('murmur: the service worker module did not load; trying again when online', error);
    window.addEventListener('online', () => void startServiceWorker(load), { once: true });
    return;
  }
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
