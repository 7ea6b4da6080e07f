/**
 * Tells the core its first screen is on screen, so it loads the rest of
 * itself and starts syncing (workers/api/staged-api.ts): until then the
 * worker's first script answers the first screen's reads alone, and nothing
 * else competes with them. It waits for the screen's frame to be painted and
 * the main thread to be idle (shell/first-screen.ts), then also lets the page
 * register the service worker (main.tsx). Safe to call from several places:
 * the core starts once.
 */
import { useEffect } from 'react';
import { afterPaintAndIdle, markFirstScreenShown } from '../shell/first-screen.ts';
import { useCore } from './use-core.ts';

/** @param shown whether the caller's first screen is on screen */
export function useStartBackground(shown: boolean): void {
  const core = useCore();
  useEffect(() => {
    if (!shown) return;
    return afterPaintAndIdle(() => {
      markFirstScreenShown();
      core.startBackground().catch((error: unknown) => console.error('murmur: could not start syncing', error));
    });
  }, [core, shown]);
}
