// @vitest-environment happy-dom
/**
 * The service worker's registration module is loaded after the first screen; a load that fails (offline at that
 * moment) is tried again at the next `online` event, once, and registers then.
 */
import { expect, test, vi } from 'vitest';
import { startServiceWorker } from './service-worker.ts';

test('a failed load of the registration module is tried again when the browser is online', async () => {
  Object.defineProperty(navigator, 'serviceWorker', { value: {}, configurable: true });
  const registerSW = vi.fn(() => async () => undefined);
  let attempts = 0;
  const load = async () => {
    attempts++;
    if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return { registerSW } as unknown as typeof import('virtual:pwa-register');
  };
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await startServiceWorker(load);
  expect(attempts).toBe(1);
  expect(registerSW).not.toHaveBeenCalled();
  expect(warn).toHaveBeenCalledOnce();

  window.dispatchEvent(new Event('online'));
  await vi.waitFor(() => expect(registerSW).toHaveBeenCalledOnce());
  expect(attempts).toBe(2);
  // Registered now: later calls and online events load nothing more.
  await startServiceWorker(load);
  window.dispatchEvent(new Event('online'));
  await Promise.resolve();
  expect(attempts).toBe(2);
  warn.mockRestore();
});
