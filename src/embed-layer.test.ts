/**
 * The mist embed page's reach (src/embed/, ARCHITECTURE.md): other sites frame it, so beyond its layer rule
 * (layers.test.ts: the hub client, the protocol, React, and the core and the UI) it may reach only a few pure
 * modules of the core and the UI, and nothing it loads may open storage, hold keys or start a worker.
 */
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT, importsOf, layerOf, sourceFiles } from './testing/import-graph.ts';

/**
 * What the embed page reaches of the core and the UI: the feed walk, the head check and the catch-up plan (pure:
 * fetches and checks, no storage), the app's code view and its design tokens. A site frames the page, so
 * nothing it loads may open storage, hold keys or start a worker.
 */
const EMBED_REACHES = [
  'workers/feed/dag-walk.ts',
  'workers/feed/head-check.ts',
  'workers/feed/catch-up-plan.ts',
  'src/app/mists/CodeView.tsx',
  'src/app/styles/theme.css',
];

/** Every module a file loads at run time (type imports erase), followed through the tree; and the packages. */
function loadedBy(entry: string): { files: Set<string>; packages: Set<string>; workers: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const workers: string[] = [];
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.tsx?$/.test(file)) continue;
    for (const i of importsOf(file)) {
      if (i.kind === 'type') continue;
      if (!i.spec.startsWith('.')) packages.add(layerOf(file, i.spec));
      else if (i.kind === 'entry') workers.push(`${file}: ${i.spec}`);
      else stack.push(relative(ROOT, join(ROOT, file, '..', i.spec)));
    }
  }
  return { files, packages, workers };
}

test('src/embed reaches the core and the UI only through EMBED_REACHES; nothing it loads opens storage', () => {
  const reached = sourceFiles('src/embed').flatMap((file) =>
    importsOf(file)
      .filter((i) => i.spec.startsWith('.') && ['workers', 'app'].includes(layerOf(file, i.spec)))
      .map((i) => relative(ROOT, join(ROOT, file, '..', i.spec))),
  );
  expect(reached.filter((target) => !EMBED_REACHES.includes(target))).toEqual([]);
  const loaded = loadedBy('src/embed/main.tsx');
  const storage = ['idb', 'comlink', 'yjs', 'workbox-window', 'fake-indexeddb'];
  expect([...loaded.packages].filter((p) => storage.includes(p))).toEqual([]);
  expect(loaded.workers).toEqual([]);
  // Of the core, only the walk and what it runs on: no store, keys, sync or worker entry.
  const core = [...loaded.files].filter((f) => f.startsWith('workers/'));
  expect(core.filter((f) => !f.startsWith('workers/feed/'))).toEqual([]);
  expect(loaded.files).toContain('workers/feed/walk-schedule.ts'); // the closure is followed
  // Positive control: the app's entry loads comlink and starts the core worker; the same reading says so.
  const app = loadedBy('src/app/main.tsx');
  expect(app.packages).toContain('comlink');
  expect(app.workers.length).toBeGreaterThan(0);
});
