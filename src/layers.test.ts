/**
 * Keeps the imports pointing one way (STYLE.md): runtime (shared pieces:
 * locks, backoff, coalescing, sleep, sets, sha256) imports only @noble/*, and
 * node:* only in its *-node.ts modules, which only Node code imports; protocol
 * adds runtime; the hub imports protocol, runtime and node:*; workers add idb,
 * comlink and yjs; the UI reaches workers only for types. Tests may import
 * across layers.
 * fuzz/ may import anything and nothing imports it, tests included.
 *
 * Inside workers/ and src/hub/, each subject folder may import only the
 * folders named for it below (ARCHITECTURE.md draws the same picture), and
 * no product module imports a testing/ folder. The hub reaches its storage
 * through the interfaces in src/hub/store/*.ts only; main.ts picks the store.
 *
 * seams.test.ts holds the seams no folder rule expresses (the worker core,
 * hub URLs, what a Node client reuses). In src/app only main.tsx imports
 * src/client/core.ts (it starts the worker);
 * every screen and hook gets the core from <CoreProvider>.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type Import, ROOT, importsOf, importsOfText, layerOf, sourceFiles } from './testing/import-graph.ts';

/** The S3 client is for the S3 blob store alone, and the test fixture that makes its buckets. */
const S3_SDK_USERS = ['src/hub/store/s3/', 'src/hub/testing/'];

const RULES: { dir: string; allowed: (layer: string, kind: Import['kind'], file: string) => boolean }[] = [
  {
    dir: 'src/runtime',
    allowed: (l, _kind, file) => l === 'runtime' || l.startsWith('@noble/') || (l === 'node:' && isNodeOnly(file)),
  },
  { dir: 'src/protocol', allowed: (l) => l === 'runtime' || l === 'protocol' || l.startsWith('@noble/') },
  // The one hub client, spoken by the worker, a mirroring hub and the tests: protocol only (no node:, no DOM).
  { dir: 'src/hub-client', allowed: (l) => l === 'runtime' || l === 'protocol' || l === 'hub-client' },
  {
    dir: 'src/hub',
    allowed: (l, _kind, file) =>
      ['runtime', 'protocol', 'hub', 'hub-client', 'node:'].includes(l) ||
      (l === '@aws-sdk/client-s3' && S3_SDK_USERS.some((dir) => file.startsWith(dir))) ||
      (l === 'pg' && mayImportPg(file)),
  },
  // Its testing/ folder (a device over fake IndexedDB, for tests only) loads fake-indexeddb by a side-effect import.
  {
    dir: 'workers',
    allowed: (l, _kind, file) =>
      ['runtime', 'protocol', 'hub-client', 'workers', 'idb', 'comlink', 'yjs'].includes(l) ||
      l.startsWith('@noble/') ||
      l.startsWith('workbox-') ||
      (l === 'fake-indexeddb' && file.startsWith('workers/testing/')),
  },
  {
    dir: 'src/client',
    allowed: (l, kind) =>
      ['client', 'runtime', 'protocol', 'comlink'].includes(l) || (l === 'workers' && kind !== 'value'),
  },
  {
    dir: 'src/app',
    allowed: (l, kind, file) =>
      ['app', 'runtime', 'protocol', 'client', 'react', 'react-dom', 'workbox-window'].includes(l) ||
      // The syntax highlighter, loaded only when a mist is opened (src/app/mists/highlight.ts).
      (l === 'lowlight' && file === 'src/app/mists/highlight.ts') ||
      l.startsWith('virtual:') ||
      (l === 'workers' && kind === 'type'),
  },
  // The mist embed page (embed.html, framed by other sites): the hub client, the protocol, React, and of the core
  // and the UI only the few modules embed-layer.test.ts names.
  {
    dir: 'src/embed',
    allowed: (l) => ['embed', 'runtime', 'protocol', 'hub-client', 'react', 'react-dom', 'workers', 'app'].includes(l),
  },
  // The command line, a Node device of the network: the core's seams and pure decisions over a store of its own
  // (seams.test.ts keeps it off the IndexedDB modules), its CLI parser, node:*, yjs (to keep the private document
  // workers/private/doc.ts shapes in a file: home/private-state.ts). Its testing/ fixtures (never imported
  // by the command line: the test below) also start hub processes and check with vitest. Only its MCP server
  // (mcp/, `murmur mcp`) speaks MCP, with the SDK and the schema library the SDK takes.
  {
    dir: 'src/cli',
    allowed: (l, _kind, file) =>
      ['cli', 'runtime', 'protocol', 'hub-client', 'workers', 'node:', 'commander', 'yjs'].includes(l) ||
      (file.startsWith('src/cli/testing/') && ['hub', 'vitest'].includes(l)) ||
      (file.startsWith('src/cli/mcp/') && ['@modelcontextprotocol/sdk', 'zod'].includes(l)),
  },
  { dir: 'fuzz', allowed: () => true },
];

const offendingImports = (rule: (typeof RULES)[number], file: string, imports: readonly Import[]) =>
  imports.filter((i) => !rule.allowed(layerOf(file, i.spec), i.kind, file)).map((i) => `${file}: ${i.spec}`);

describe('imports point one way', () => {
  for (const rule of RULES) {
    test(`${rule.dir} imports only what its layer may`, () => {
      expect(sourceFiles(rule.dir).flatMap((file) => offendingImports(rule, file, importsOf(file)))).toEqual([]);
    });
  }

  /** For each rule, a module of it and an import the rule must refuse (fuzz/ may import anything: no rule). */
  const FORBIDDEN: Record<string, [file: string, spec: string]> = {
    'src/runtime': ['src/runtime/locks.ts', '../protocol/ids.ts'],
    'src/protocol': ['src/protocol/ids.ts', 'idb'],
    'src/hub-client': ['src/hub-client/client.ts', 'node:fs'],
    'src/hub': ['src/hub/server.ts', '../../workers/store/db.ts'],
    workers: ['workers/store/db.ts', 'react'],
    'src/client': ['src/client/core.ts', '../../workers/api/api.ts'],
    'src/app': ['src/app/App.tsx', '../../workers/api/api.ts'],
    'src/embed': ['src/embed/main.tsx', 'comlink'],
    'src/cli': ['src/cli/program.ts', 'react'],
  };

  test('each rule refuses a forbidden import in every form, side-effect imports included (positive control)', () => {
    const forms = (spec: string) =>
      [`import '${spec}';`, `import { x } from '${spec}';`, `export * from '${spec}';`, `await import('${spec}');`]
        .map((line) => `// a module\n${line}\n`)
        .join('');
    const refused = RULES.filter((rule) => rule.dir !== 'fuzz').map((rule) => {
      const [file, spec] = FORBIDDEN[rule.dir]!;
      return [rule.dir, offendingImports(rule, file, importsOfText(forms(spec))).length];
    });
    expect(refused).toEqual(Object.keys(FORBIDDEN).map((dir) => [dir, 4]));
    // The tree's own side-effect imports are read too.
    expect(importsOf('src/app/main.tsx')).toContainEqual({ spec: './styles/theme.css', kind: 'value' });
    expect(importsOf('workers/testing/device.ts')).toContainEqual({ spec: 'fake-indexeddb/auto', kind: 'value' });
  });
});

test('the S3 client imported outside store/s3/ and testing/ fails the rule above (positive control)', () => {
  const hub = RULES.find((rule) => rule.dir === 'src/hub')!;
  expect(hub.allowed('@aws-sdk/client-s3', 'value', 'src/hub/routes/blobs.ts')).toBe(false);
  expect(hub.allowed('@aws-sdk/client-s3', 'value', 'src/hub/store/files/blob-store.ts')).toBe(false);
  expect(hub.allowed('@aws-sdk/client-s3', 'value', 'src/hub/store/s3/s3-blob-store.ts')).toBe(true);
  expect(importsOf('src/hub/store/s3/s3-blob-store.ts').map((i) => i.spec)).toContain('@aws-sdk/client-s3');
});

test('the MCP SDK or zod imported outside src/cli/mcp/ fails the rule above (positive control)', () => {
  const cli = RULES.find((rule) => rule.dir === 'src/cli')!;
  expect(cli.allowed('@modelcontextprotocol/sdk', 'value', 'src/cli/program.ts')).toBe(false);
  expect(cli.allowed('zod', 'value', 'src/cli/commands/social.ts')).toBe(false);
  expect(cli.allowed('@modelcontextprotocol/sdk', 'value', 'src/cli/mcp/server.ts')).toBe(true);
  expect(layerOf('src/cli/mcp/server.ts', '@modelcontextprotocol/sdk/server/mcp.js')).toBe('@modelcontextprotocol/sdk');
});

/**
 * The PostgreSQL client is the PostgreSQL store's alone (and its test server's): the rest of the hub reaches
 * the database only through the store's interfaces.
 */
function mayImportPg(file: string): boolean {
  return file.startsWith('src/hub/store/postgres/') || file.startsWith('src/hub/testing/');
}

test('only store/postgres/ and testing/ import pg (positive control)', () => {
  expect(mayImportPg('src/hub/store/postgres/database.ts')).toBe(true);
  expect(mayImportPg('src/hub/routes/heads.ts')).toBe(false);
  expect(mayImportPg('src/hub/server.ts')).toBe(false);
});

/** A runtime module on node:* (the hub's sha256 path): browser code must not load it. */
function isNodeOnly(file: string): boolean {
  return file.startsWith('src/runtime/') && file.endsWith('-node.ts');
}

test('only Node code (the hub, scripts, bench, e2e, tests) imports a runtime *-node.ts module', () => {
  const offending = ['src/runtime', 'src/protocol', 'workers', 'src/app', 'src/client'].flatMap((dir) =>
    sourceFiles(dir)
      .filter((file) => !isNodeOnly(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((i) => i.spec.startsWith('.') && isNodeOnly(relative(ROOT, join(ROOT, file, '..', i.spec))))
          .map((i) => `${file}: ${i.spec}`),
      ),
  );
  expect(offending).toEqual([]);
  expect(isNodeOnly('src/runtime/sha256-node.ts')).toBe(true);
});

test('nothing imports src/cli but its own modules and tests (it is a leaf: the murmur command line)', () => {
  const offending = ['src', 'workers', 'e2e', 'scripts', 'bench'].flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      file.startsWith('src/cli/')
        ? []
        : importsOf(file)
            .filter((i) => layerOf(file, i.spec) === 'cli')
            .map((i) => `${file}: ${i.spec}`),
    ),
  );
  expect(offending).toEqual([]);
  expect(layerOf('workers/sync/sync.ts', '../../src/cli/main.ts')).toBe('cli'); // positive control
  expect(layerOf('src/app/main.tsx', '../client/core.ts')).toBe('client');
});

test('nothing imports fuzz/ (it is a leaf: targets, seeds and mutators for the fuzz run only)', () => {
  const offending = ['src', 'workers', 'e2e', 'scripts', 'bench'].flatMap((dir) =>
    sourceFiles(dir, true).flatMap((file) =>
      importsOf(file)
        .filter((i) => layerOf(file, i.spec) === 'fuzz')
        .map((i) => `${file}: ${i.spec}`),
    ),
  );
  expect(offending).toEqual([]);
  expect(layerOf('src/app/App.tsx', '../../fuzz/harness.ts')).toBe('fuzz'); // positive control
});

/**
 * The folders of one layer, lowest first: each may import itself and the folders it names. `(base)` is the
 * layer's loose modules that everything may use; `(top)` its entry points, which may import every folder.
 */
interface FolderRules {
  readonly root: string;
  readonly top: readonly string[];
  readonly folders: Readonly<Record<string, readonly string[]>>;
  /** Type-only imports any folder may make (a contract shared downward). */
  readonly sharedTypes: readonly string[];
}

const WORKER_FOLDERS: FolderRules = {
  root: 'workers',
  top: ['core.worker.ts', 'sw.ts'],
  sharedTypes: ['workers/api/api-types.ts'],
  folders: {
    '(base)': [],
    store: ['(base)'],
    verify: ['(base)'],
    tabs: ['(base)'],
    keys: ['(base)', 'store'],
    net: ['(base)', 'store'],
    read: ['(base)', 'store'],
    search: ['(base)', 'store'],
    feed: ['(base)', 'store', 'keys', 'net', 'verify'],
    private: ['(base)', 'store', 'keys', 'net'],
    inbox: ['(base)', 'store', 'keys', 'net', 'feed', 'private'],
    directory: ['(base)', 'store', 'keys', 'net', 'private'],
    sync: ['(base)', 'store', 'keys', 'net', 'feed', 'tabs', 'private'],
    hives: ['(base)', 'store', 'keys', 'net', 'feed', 'private', 'directory'],
    api: [
      ...['(base)', 'store', 'verify', 'tabs', 'keys', 'net', 'read', 'search', 'feed', 'private', 'inbox', 'sync'],
      ...['directory', 'hives'],
    ],
  },
};

const HUB_FOLDERS: FolderRules = {
  root: 'src/hub',
  top: ['main.ts', 'server.ts', 'config.ts'],
  sharedTypes: [],
  folders: {
    '(base)': [],
    store: ['(base)'],
    guard: ['(base)', 'store'],
    http: ['(base)', 'store'],
    routes: ['(base)', 'store', 'guard', 'http'],
    mirror: ['(base)', 'store', 'guard', 'http'],
  },
};

/** The folder a file of the layer belongs to: its first folder, `(top)`, `(base)`, or undefined outside the layer. */
function folderOf(rules: FolderRules, path: string): string | undefined {
  const inside = relative(join(ROOT, rules.root), join(ROOT, path));
  if (inside.startsWith('..')) return undefined;
  const parts = inside.split('/');
  if (parts.length > 1) return parts[0];
  return rules.top.includes(parts[0]!) ? '(top)' : '(base)';
}

function folderBreaches(rules: FolderRules, file: string, imports: readonly Import[]): string[] {
  const from = folderOf(rules, file)!;
  if (from === 'testing' || from === '(top)') return [];
  const may = rules.folders[from];
  if (!may) return [`${file}: the folder ${from}/ has no rule in layers.test.ts`];
  return imports.flatMap((i) => {
    if (!i.spec.startsWith('.')) return [];
    const target = relative(ROOT, join(ROOT, file, '..', i.spec));
    const to = folderOf(rules, target);
    if (to === undefined || to === from || may.includes(to)) return [];
    if (i.kind === 'type' && rules.sharedTypes.includes(target)) return [];
    return [`${file} (${from}/) imports ${target} (${to}/)`];
  });
}

describe('each subject folder imports only the folders below it', () => {
  for (const rules of [WORKER_FOLDERS, HUB_FOLDERS]) {
    test(`${rules.root}/`, () => {
      expect(sourceFiles(rules.root).flatMap((file) => folderBreaches(rules, file, importsOf(file)))).toEqual([]);
    });
  }

  test('a folder with no rule, or an import of a folder above, fails the test above (positive control)', () => {
    const breaches = (rules: FolderRules, file: string, text: string) =>
      folderBreaches(rules, file, importsOfText(text));
    expect(breaches(WORKER_FOLDERS, 'workers/new-subject/x.ts', '')).toHaveLength(1);
    expect(breaches(WORKER_FOLDERS, 'workers/store/db.ts', "import '../feed/ingest.ts';")).toHaveLength(1);
    expect(breaches(HUB_FOLDERS, 'src/hub/store/x.ts', "import { r } from '../routes/blobs.ts';")).toHaveLength(1);
    expect(breaches(WORKER_FOLDERS, 'workers/feed/ingest.ts', "import '../store/db.ts';")).toEqual([]);
    expect(folderOf(HUB_FOLDERS, 'src/hub/server.ts')).toBe('(top)');
    expect(folderOf(HUB_FOLDERS, 'src/hub/hub-limits.ts')).toBe('(base)');
  });
});

/** The hub store's implementations; each is a folder under src/hub/store/ (ARCHITECTURE.md, "The hub's storage"). */
const HUB_STORE_IMPLEMENTATIONS = ['files', 'memory', 's3', 'postgres'];

/**
 * Imports that reach past the hub's storage seam: only the hub process (main.ts picks the store) and
 * testing/ may import an implementation; server.ts (startHub) is handed one; store/*.ts, the interfaces,
 * imports none, and an implementation imports no other. Routes, guard, http and mirror see store/*.ts alone.
 */
function storeSeamBreaches(file: string, imports: readonly Import[]): string[] {
  if (file === 'src/hub/main.ts' || folderOf(HUB_FOLDERS, file) === 'testing') return [];
  const fromImpl = implementationOf(file);
  return imports.flatMap((i) => {
    if (!i.spec.startsWith('.')) return [];
    const impl = implementationOf(relative(ROOT, join(ROOT, file, '..', i.spec)));
    return impl === undefined || impl === fromImpl ? [] : [`${file}: ${i.spec}`];
  });
}

/** 'files' for src/hub/store/files/x.ts, and so on; undefined for anything else. */
function implementationOf(path: string): string | undefined {
  const [store, impl, ...rest] = relative(join(ROOT, 'src/hub'), join(ROOT, path)).split('/');
  return store === 'store' && rest.length > 0 && HUB_STORE_IMPLEMENTATIONS.includes(impl!) ? impl : undefined;
}

describe("the hub's storage is a seam", () => {
  test('only main.ts and testing/ import a store implementation (files, memory, s3, postgres)', () => {
    const offending = sourceFiles('src/hub').flatMap((file) => storeSeamBreaches(file, importsOf(file)));
    expect(offending).toEqual([]);
  });

  test('a route, startHub, the interfaces or one implementation importing another fails (positive control)', () => {
    const breaches = (file: string, spec: string) => storeSeamBreaches(file, [{ spec, kind: 'type' }]);
    expect(breaches('src/hub/routes/blobs.ts', '../store/files/blob-store.ts')).toEqual([
      'src/hub/routes/blobs.ts: ../store/files/blob-store.ts',
    ]);
    expect(breaches('src/hub/mirror/feed.ts', '../store/memory/memory-hub-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/server.ts', './store/files/file-hub-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/store/hub-store.ts', './files/head-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/store/memory/x.ts', '../files/head-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/routes/blobs.ts', '../store/s3/s3-blob-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/store/files/x.ts', '../s3/s3-url.ts')).toHaveLength(1);
    expect(breaches('src/hub/store/s3/x.ts', '../memory/blob-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/store/s3/x.ts', '../store-errors.ts')).toEqual([]);
    expect(breaches('src/hub/routes/heads.ts', '../store/postgres/head-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/store/postgres/x.ts', '../memory/blob-store.ts')).toHaveLength(1);
    expect(breaches('src/hub/routes/blobs.ts', '../store/hub-store.ts')).toEqual([]);
    expect(breaches('src/hub/store/files/x.ts', './head-store.ts')).toEqual([]);
    expect(breaches('src/hub/main.ts', './store/files/file-hub-store.ts')).toEqual([]);
  });
});

test('read/ only reads: no module in workers/read opens a readwrite transaction', () => {
  const readwrite = /'readwrite'|"readwrite"/;
  const writing = sourceFiles('workers/read').filter((file) => readwrite.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(writing).toEqual([]);
  expect(readwrite.test("db.transaction('posts', 'readwrite')")).toBe(true); // positive control
});

/** A product module (not itself in a testing/ folder) importing one: fixtures and fakes would ship. */
function importsTesting(file: string, spec: string): boolean {
  if (file.split('/').includes('testing') || !spec.startsWith('.')) return false;
  return relative(ROOT, join(ROOT, file, '..', spec))
    .split('/')
    .includes('testing');
}

test('no product module imports a testing/ folder (fixtures, fakes, crash harnesses: tests, bench, scripts)', () => {
  const offending = ['src', 'workers'].flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      importsOf(file)
        .filter((i) => importsTesting(file, i.spec))
        .map((i) => `${file}: ${i.spec}`),
    ),
  );
  expect(offending).toEqual([]);
});

test('an import of src/app/testing from a screen fails the test above (positive control)', () => {
  expect(importsTesting('src/app/timeline/Timeline.tsx', '../testing/fake-core.ts')).toBe(true);
  expect(importsTesting('src/app/App.tsx', './testing/fake-core.ts')).toBe(true);
  expect(importsTesting('src/app/testing/render.ts', './fake-core.ts')).toBe(false);
  expect(sourceFiles('src/app')).toContain('src/app/testing/fake-core.ts');
});
