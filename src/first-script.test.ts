/**
 * The core worker's first script (workers/core.worker.ts and what it imports
 * statically; the full core is a dynamic import) is what a returning person
 * waits for before the first timeline page: the bench counts it in the
 * initial JS (bench/ui.bench.ts). Its early reads need IndexedDB and comlink,
 * never the write path, the row building or the crypto; a module that
 * imports one of those drags it into the first script whole, with all the
 * full core uses of it (the bundler keeps a module shared by both stages in
 * the first), so this keeps them out by module.
 */
import { join, relative } from 'node:path';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { type Import, ROOT, importsOfText } from './testing/import-graph.ts';

const ENTRY = 'workers/core.worker.ts';

/** Modules and packages the first script must not load. */
const KEPT_OUT = [
  '@noble/',
  'yjs',
  'src/protocol/commits.ts',
  'src/protocol/audience.ts',
  'src/protocol/keys.ts',
  'workers/store/idb-core-store.ts',
  'workers/store/commit-store.ts',
  'workers/store/timeline-rows.ts',
  'workers/store/lazy-posts.ts',
  // Loaded when needed: the v7 upgrade's data step (for an old database only), the sync engine's status, and
  // the inbox (the nav's unread counts are asked after the first screen).
  'workers/store/vote-backfill.ts',
  'src/protocol/feed-state.ts',
  'workers/net/sync-status.ts',
  'workers/inbox/',
  'workers/store/idb-inbox-store.ts',
  // The protocol's error table: the early reads throw none of it.
  'src/protocol/errors.ts',
];

/** Static value imports of a module's text (type imports erase; `import()` loads later, in a chunk of its own). */
function staticImports(text: string): Import[] {
  return importsOfText(text.replace(/import\(\s*['"][^'"]+['"]\s*\)/g, '')).filter((i) => i.kind === 'value');
}

/** Every module the entry loads statically, each with the chain that reached it. */
function firstScript(entry: string, extra: readonly Import[] = []): Map<string, string> {
  const reached = new Map<string, string>([[entry, entry]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const imports = staticImports(readFileSync(join(ROOT, file), 'utf8'));
    for (const { spec } of file === entry ? [...imports, ...extra] : imports) {
      const target = spec.startsWith('.') ? relative(ROOT, join(ROOT, file, '..', spec)) : spec;
      if (reached.has(target)) continue;
      reached.set(target, `${reached.get(file)} -> ${target}`);
      if (spec.startsWith('.')) queue.push(target);
    }
  }
  return reached;
}

function keptOutReached(reached: Map<string, string>): string[] {
  return [...reached].filter(([target]) => KEPT_OUT.some((out) => target.startsWith(out))).map(([, chain]) => chain);
}

test("the core worker's first script loads no crypto, no write path and no row building", () => {
  const reached = firstScript(ENTRY);
  expect(reached.has('workers/api/early-api.ts')).toBe(true);
  expect(keptOutReached(reached)).toEqual([]);
});

test('an early read importing the full timeline read is caught (positive control)', () => {
  const chains = keptOutReached(firstScript(ENTRY, [{ spec: './read/timeline.ts', kind: 'value' }]));
  expect(chains.some((c) => c.endsWith('workers/store/lazy-posts.ts'))).toBe(true);
  expect(chains.some((c) => c.includes('@noble/'))).toBe(true);
});
