/**
 * For tests and the benchmark that need the hub as a real process: src/hub/main.ts built with
 * vite.hub.config.ts (src/hub/testing/vite-build.ts: a fresh folder, once per test run), so the process runs the
 * code under test, never a stale dist/. (Not imported by the hub itself.)
 */
import { join } from 'node:path';
import { viteBuildOnce } from './vite-build.ts';

export interface BuiltHub {
  /** The built main.js to run with node. */
  readonly main: string;
  remove(): Promise<void>;
}

/** @throws with Vite's output when the build fails. */
export async function buildHub(): Promise<BuiltHub> {
  const built = await viteBuildOnce('vite.hub.config.ts');
  return { main: join(built.dir, 'main.js'), remove: built.remove };
}
