/**
 * Initial JS for bench/ui.bench.ts: every script the browser fetches before
 * the first timeline page shows, the page's and its workers' alike (the core
 * worker the app starts at once, and verify workers if any start), each
 * gzipped from the built files; the React floor beside it; and the control
 * build, the same app with one extra module forced into its entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Request } from 'playwright-core';
import { build } from 'vite';
import { SHOWN } from './app-steps.ts';

/** The timeline with rows, or its empty state: what "the first page shows" means. */

export const gzipKb = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length / 1024;

export interface InitialJs {
  /** Paths under the app folder, in the order first asked. */
  readonly scripts: readonly string[];
  /** Scripts asked for only after the list was on screen (not counted). */
  readonly later: readonly string[];
  readonly kb: number;
}

/**
 * Opens the app in a new page of `context` (whose pseudonym is made: the page
 * shows its timeline, not onboarding) and notes every script asked by the
 * page or any of its workers (Playwright reports a dedicated worker's requests
 * on its page; the service worker's own fetches, its precache, are not the
 * page's) until the timeline or its empty state is on screen.
 * @param appDir the built app the hub serves, whose files are gzipped
 */
export async function initialJsOf(context: BrowserContext, url: string, appDir: string): Promise<InitialJs> {
  const page = await context.newPage();
  // The moment the list (or its empty state) is in the DOM, by the page's own clock (ms since the epoch).
  await page.addInitScript((selector) => {
    const w = globalThis as unknown as { __shownAt?: number };
    const seen = () => {
      if (w.__shownAt === undefined && document.querySelector(selector))
        w.__shownAt = performance.timeOrigin + performance.now();
    };
    new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributeFilter: ['data-count'] });
  }, SHOWN);
  const requests: Request[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script' && new URL(request.url()).origin === new URL(url).origin)
      requests.push(request);
  });
  await page.goto(url);
  await page.locator(SHOWN).first().waitFor({ timeout: 60_000 });
  const shownAt = await page.evaluate(() => (globalThis as unknown as { __shownAt: number }).__shownAt);
  // A script asked for once the list was there (the core's second stage) came after; the locator's poll lags.
  await Promise.all(requests.map((r) => r.response()));
  const before = requests.filter((r) => r.timing().startTime <= shownAt);
  const after = requests.filter((r) => r.timing().startTime > shownAt);
  const scripts = [...new Set(before.map((r) => new URL(r.url()).pathname))];
  const later = [...new Set(after.map((r) => new URL(r.url()).pathname))].filter((p) => !scripts.includes(p));
  await page.close();
  return {
    scripts,
    later,
    kb: scripts.reduce((kb, path) => kb + gzipKb(readFileSync(join(appDir, path))), 0),
  };
}

/** React + ReactDOM rendering one element: the floor any React app starts from. */
export async function reactFloorKb(): Promise<number> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { write: false, minify: true, rollupOptions: { input: 'virtual:floor' } },
    plugins: [
      {
        name: 'floor',
        resolveId: (id) => (id === 'virtual:floor' ? id : undefined),
        load: (id) =>
          id === 'virtual:floor'
            ? "import { createElement } from 'react'; import { createRoot } from 'react-dom/client'; " +
              "createRoot(document.body).render(createElement('p', null, 'hi'));"
            : undefined,
      },
    ],
  });
  const output = (Array.isArray(result) ? result[0]! : result) as { output: { type: string; code?: string }[] };
  return output.output
    .filter((o) => o.type === 'chunk')
    .reduce((kb, o) => kb + gzipKb(new TextEncoder().encode(o.code!)), 0);
}

/** The module the control build forces into the app's entry: all of zod (a dependency of the command line). */
export const FORCED_MODULE = 'zod';

/**
 * The app built as `npm run build` builds it (vite.config.ts) into `outDir`,
 * with FORCED_MODULE imported by src/app/main.tsx and kept (its namespace
 * escapes to globalThis, so nothing of it can be shaken out; the transform
 * sees the entry as JavaScript, after the TypeScript step): the positive
 * control, whose initial JS must say no.
 */
export async function buildForced(root: string, outDir: string): Promise<void> {
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [
      {
        name: 'forced-module',
        transform: (code, id) =>
          id.endsWith('/src/app/main.tsx')
            ? `import * as forced from '${FORCED_MODULE}';\n${code}\nglobalThis.__forced = forced;\n`
            : undefined,
      },
    ],
  });
}
