/**
 * In-process test hubs for mirroring tests: started with quick retries (a
 * slow poll, so each test shows what the stream and its follow-ups do), and
 * stopped together (`afterEach(hubs.stopAll)`: this folder takes no test runner).
 */
import { type TestHub, type TestHubOptions, startTestHub } from './hub-fixture.ts';

export const FAST_MIRROR = { retryMinMs: 20, retryMaxMs: 200, pollMs: 60_000 };

export function mirrorHubs() {
  const hubs: TestHub[] = [];
  return {
    async stopAll(): Promise<void> {
      await Promise.all(hubs.splice(0).map((h) => h.stop()));
    },
    async start(options: TestHubOptions = {}): Promise<TestHub> {
      const t = await startTestHub({ mirrorTiming: FAST_MIRROR, ...options });
      hubs.push(t);
      return t;
    },
    /** Restarts `t` (same port and data), stopping the new one after the test instead. */
    async restart(t: TestHub): Promise<TestHub> {
      const again = await t.restart();
      hubs.splice(hubs.indexOf(t), 1, again);
      return again;
    },
  };
}
