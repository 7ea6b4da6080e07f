/**
 * One chunk for what the page loads at start (issue 22, initial JS). Left to
 * itself the bundler gives each module the entry shares with a lazy screen
 * a chunk of its own, one per set of importers: 16 small files, each
 * compressed alone, all fetched at start. This plugin notes the static
 * imports of every module as it is parsed, and a code-splitting group takes
 * every module the entry reaches through them (besides the entry itself)
 * into one chunk the entry imports. Only what is loaded at start anyway goes
 * there: a module reached only through a dynamic import stays in the lazy
 * chunks, so nothing moves earlier.
 */
import type { Plugin } from 'vite';

interface Graph {
  readonly entries: Set<string>;
  readonly imports: Map<string, readonly string[]>;
}

/** The module ids the entries reach through static imports, entries excluded. */
function staticallyReached(graph: Graph): Set<string> {
  const reached = new Set<string>();
  const queue = [...graph.entries];
  while (queue.length > 0) {
    for (const next of graph.imports.get(queue.pop()!) ?? []) {
      if (reached.has(next) || graph.entries.has(next)) continue;
      reached.add(next);
      queue.push(next);
    }
  }
  return reached;
}

/** The plugin, and the group for `build.rolldownOptions.output.codeSplitting.groups`. */
export function firstScreenChunk(name = 'first-screen'): {
  plugin: Plugin;
  group: { name: string; test: (id: string) => boolean; priority: number };
} {
  const graph: Graph = { entries: new Set(), imports: new Map() };
  let reached: Set<string> | undefined;
  return {
    plugin: {
      name: 'murmur:first-screen-chunk',
      apply: 'build',
      buildStart() {
        graph.entries.clear();
        graph.imports.clear();
        reached = undefined;
      },
      moduleParsed(info) {
        if (info.isEntry) graph.entries.add(info.id);
        graph.imports.set(info.id, info.importedIds);
      },
    },
    group: {
      name,
      // Asked at chunking time, after every module was parsed.
      test: (id) => {
        reached ??= staticallyReached(graph);
        return reached.has(id);
      },
      priority: 10,
    },
  };
}
