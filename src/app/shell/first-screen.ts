/**
 * When the first screen has been painted and the main thread has gone idle:
 * what can wait for it (the full core's chunk, syncing, the service worker's
 * registration and its precache of the whole app) waits, so none of it
 * competes with the first screen's render for the CPU or the network.
 * Lighthouse's mobile profile counts every main-thread task past 50 ms after
 * the first paint as blocking time, and its simulation counts every request
 * finished before a paint as holding that paint.
 */

/** An upper bound on the wait for idle, so a page that is never idle still starts its background work. */
const IDLE_TIMEOUT_MS = 3000;

let resolveShown: () => void = () => {};
const shown = new Promise<void>((resolve) => {
  resolveShown = resolve;
});

/** Resolves once markFirstScreenShown() has run. */
export function firstScreenShown(): Promise<void> {
  return shown;
}

/** Runs `task` after the next frame is painted and then the main thread is idle; returns a cancel. */
export function afterPaintAndIdle(task: () => void): () => void {
  let cancelled = false;
  const run = () => {
    if (!cancelled) task();
  };
  const idle = () =>
    typeof requestIdleCallback === 'function'
      ? requestIdleCallback(run, { timeout: IDLE_TIMEOUT_MS })
      : setTimeout(run, 0);
  // A task queued from inside a frame callback runs after that frame is painted.
  const frame = requestAnimationFrame(() => setTimeout(idle, 0));
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
  };
}

/** Called by the first screen once it is on screen (use-start-background.ts). Safe to call more than once. */
export function markFirstScreenShown(): void {
  resolveShown();
}
