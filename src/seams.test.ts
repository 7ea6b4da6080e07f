/**
 * Seams the layer rules (layers.test.ts) cannot express by folder: only
 * main.tsx starts the worker core, hub URLs come only from the route table,
 * and the parts of the core a Node client reuses reach no IndexedDB.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { type Import, ROOT, importsOf, sourceFiles } from './testing/import-graph.ts';

const WORKER_CORE = 'src/client/core.ts';
const WORKER_CORE_OWNER = 'src/app/main.tsx';

function importsWorkerCore(file: string, spec: string): boolean {
  if (file === WORKER_CORE_OWNER || !spec.startsWith('.')) return false;
  return relative(ROOT, join(ROOT, file, '..', spec)) === WORKER_CORE;
}

test('only main.tsx imports the worker core; the rest of src/app gets it from <CoreProvider>', () => {
  const offending = sourceFiles('src/app', true).flatMap((file) =>
    importsOf(file)
      .filter((i) => importsWorkerCore(file, i.spec))
      .map((i) => `${file}: ${i.spec}`),
  );
  expect(offending).toEqual([]);
});

test('a screen importing the worker core fails the test above (positive control)', () => {
  expect(importsWorkerCore('src/app/timeline/use-timeline-feed.ts', '../../client/core.ts')).toBe(true);
  expect(importsWorkerCore('src/app/App.tsx', '../client/core.ts')).toBe(true);
  expect(importsWorkerCore('src/app/main.tsx', '../client/core.ts')).toBe(false);
  // The owner really imports it: the rule reads the right path.
  const ownerImports = importsOf(WORKER_CORE_OWNER).map((i) => relative(ROOT, join(ROOT, 'src/app', i.spec)));
  expect(ownerImports).toContain(WORKER_CORE);
});

/** A hub path written out: `/v1/...` or `/.well-known/...` in a string or template literal. */
const HUB_PATH = /['"`]\/(v1\/|\.well-known\/)/;

test('hub URLs come only from the route table (routePath(ROUTES)): no client module writes a hub path by hand', () => {
  // The clients of a hub: the worker, the one hub client, a mirroring hub's peer client, and the mist embed page.
  // (The hub's own route registration, its tests and test fixtures, and the fakes in testing/ are not clients.)
  const clients = ['workers', 'src/hub-client', 'src/hub/mirror', 'src/embed'].flatMap((dir) => sourceFiles(dir));
  const offending = clients
    .filter((file) => !file.split('/').includes('testing'))
    .filter((file) => HUB_PATH.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(offending).toEqual([]);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the control is a line of source that builds a path by hand.
  expect(HUB_PATH.test('const path = `/v1/blobs/${id}`;')).toBe(true); // positive control
});

/**
 * The core's logic that a Node client reuses (ARCHITECTURE.md, "What is IndexedDB-specific"): the storage seam's
 * interface and memory store, the key source, and the pure decisions. None of them imports idb or, except for
 * types, a module that opens IndexedDB transactions; they reach storage through the CoreStore they are given.
 * (workers/sync/sync-node.test.ts runs the sync engine over the memory store in a process with no IndexedDB.)
 */
const OUTSIDE_INDEXEDDB = Object.freeze([
  'workers/store/core-store.ts',
  'workers/store/memory-core-store.ts',
  'workers/store/own-log-plan.ts',
  'workers/store/commit-plan.ts',
  'workers/keys/key-source.ts',
  'workers/feed/walk-schedule.ts',
  'workers/feed/catch-up-plan.ts',
  'workers/sync/outbox.ts',
  'workers/sync/replica-plan.ts',
  'workers/feed/handle-lookup.ts',
  'workers/feed/head-check.ts',
  'workers/feed/pointer.ts',
  'workers/feed/post-content.ts',
  // Sealing a post for named readers or a link, so `murmur post --audience` seals as the app does.
  'workers/feed/audience-content.ts',
  'workers/feed/feed-file-io.ts',
  'workers/keys/backup.ts',
  'workers/private/doc.ts',
  // A sealed post's latest edit opened and who may see it, so the command line shows sealed posts as the app.
  'workers/store/edit-versions.ts',
  'workers/store/post-rows.ts',
  // Where a link post's key is kept, so `murmur post --audience link` keeps it as the app does.
  'workers/private/links.ts',
  'workers/private/filter.ts',
  'workers/private/sync.ts',
  'workers/store/inbox-store.ts',
  'workers/store/memory-inbox-store.ts',
  'workers/inbox/contacts.ts',
  'workers/inbox/direct-messages.ts',
  'workers/inbox/deliveries.ts',
  'workers/inbox/inbox-pull.ts',
  'workers/inbox/inbox-policy-sync.ts',
  'workers/inbox/notice-check.ts',
  'workers/inbox/notifications.ts',
  // The search language and how a post matches it, so `murmur search` reads a query as the app does.
  'workers/store/search-terms.ts',
  'workers/search/query.ts',
  'workers/search/post-match.ts',
  // The verify pool, which the command line runs on worker threads (src/cli/verify-threads.ts).
  'workers/verify/verify-pool.ts',
  // The directory: what a listing says and putting it, and reading a page, so `murmur discover` reads as the app.
  'workers/directory/listing-sync.ts',
  'workers/directory/discover.ts',
  // A held feed's merged state, and the mists it shows, so `murmur mist` reads mists as the app does.
  'workers/read/held-feed.ts',
  'workers/read/mists.ts',
  // Making mists: the versions and commits `murmur mist` makes are the app's.
  'workers/feed/mist-versions.ts',
  // Hives: the same acts, reading and ordering as the app's, over the home's own hive file (src/cli/home).
  'workers/api/hives-api.ts',
  'workers/hives/owned-hives.ts',
  'workers/hives/assemble.ts',
  'workers/hives/fetch-verified.ts',
  'workers/hives/hive-order.ts',
  // Naming the people a hive shows by fetching their feeds, as the app does.
  'workers/inbox/people.ts',
  // The hives an owner made on another device, taken up as the app takes them up.
  'workers/hives/adopt-owned.ts',
  'workers/private/owned-hives-doc.ts',
]);
/** The modules that open IndexedDB (the schema, and the transactions of the core store's implementation). */
const INDEXEDDB_MODULES = [
  'workers/store/db.ts',
  'workers/store/commit-store.ts',
  'workers/store/idb-core-store.ts',
  'workers/store/idb-inbox-store.ts',
  'workers/store/own-log-rows.ts',
];

function reachesIndexedDb(file: string, imports: readonly Import[]): string[] {
  return imports
    .filter((i) => i.kind === 'value')
    .filter((i) =>
      i.spec.startsWith('.')
        ? INDEXEDDB_MODULES.includes(relative(ROOT, join(ROOT, file, '..', i.spec)))
        : i.spec === 'idb',
    )
    .map((i) => `${file}: ${i.spec}`);
}

test('the seam and the pure decisions a Node client reuses import no IndexedDB (types aside)', () => {
  for (const file of OUTSIDE_INDEXEDDB) expect(sourceFiles('workers')).toContain(file);
  expect(OUTSIDE_INDEXEDDB.flatMap((file) => reachesIndexedDb(file, importsOf(file)))).toEqual([]);
  // Positive controls: a value import of the schema or of idb is caught; a type import is not.
  const memory = 'workers/store/memory-core-store.ts';
  expect(reachesIndexedDb(memory, [{ spec: './db.ts', kind: 'value' }])).toHaveLength(1);
  expect(reachesIndexedDb(memory, [{ spec: 'idb', kind: 'value' }])).toHaveLength(1);
  expect(
    reachesIndexedDb('workers/sync/outbox.ts', [{ spec: '../store/commit-store.ts', kind: 'value' }]),
  ).toHaveLength(1);
  expect(reachesIndexedDb(memory, [{ spec: './db.ts', kind: 'type' }])).toEqual([]);
});

/**
 * What the command line (src/cli) may take from workers/ as values: the modules above, and the ones that run the
 * seams with the store and keys they are handed (ARCHITECTURE.md, "storage and keys as parameters"). Never a
 * module that opens IndexedDB or reads the keyring's rows: the command line has a store and keys of its own.
 */
const CLI_REUSES = [
  ...OUTSIDE_INDEXEDDB,
  'workers/errors.ts',
  'workers/net/hub-client.ts',
  'workers/net/event-stream.ts',
  'workers/feed/local-commits.ts',
  'workers/feed/feeds.ts',
  'workers/sync/sync.ts',
  'workers/sync/move-hub.ts',
];

function cliReachesPastSeams(file: string, imports: readonly Import[]): string[] {
  return imports
    .filter((i) => i.kind === 'value' && i.spec.startsWith('.'))
    .map((i) => relative(ROOT, join(ROOT, file, '..', i.spec)))
    .filter((target) => target.startsWith('workers/') && !CLI_REUSES.includes(target))
    .map((target) => `${file}: ${target}`);
}

test('the command line takes from workers/ only the seams and pure decisions, never IndexedDB or the keyring', () => {
  for (const file of CLI_REUSES) expect(sourceFiles('workers')).toContain(file);
  expect(sourceFiles('src/cli').flatMap((file) => cliReachesPastSeams(file, importsOf(file)))).toEqual([]);
  // Positive controls: the keyring and the IndexedDB store are caught; a type import of the schema is not.
  const main = 'src/cli/main.ts';
  expect(cliReachesPastSeams(main, [{ spec: '../../workers/keys/keyring.ts', kind: 'value' }])).toHaveLength(1);
  expect(cliReachesPastSeams(main, [{ spec: '../../workers/store/idb-core-store.ts', kind: 'value' }])).toHaveLength(1);
  expect(cliReachesPastSeams(main, [{ spec: '../../workers/store/db.ts', kind: 'type' }])).toEqual([]);
  expect(cliReachesPastSeams(main, [{ spec: '../../workers/sync/sync.ts', kind: 'value' }])).toEqual([]);
});
