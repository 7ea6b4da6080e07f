/** The one acceptance suite of the hub store (contract.ts), run on every implementation. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedBlobStore } from './blob-cache.ts';
import { withBlobStore } from './compose.ts';
import { runHubStoreContract } from './contract.ts';
import { openFileHubStore } from './files/file-hub-store.ts';
import { MemoryBlobStore } from './memory/blob-store.ts';
import { openMemoryHubStore } from './memory/memory-hub-store.ts';

runHubStoreContract('memory', async (limits) => {
  const store = openMemoryHubStore(limits);
  return { store, close: () => store.close() };
});

// Small limits, so the suite's blobs meet both paths: some cached (and evicted), some too large to cache.
runHubStoreContract('cache over memory', async (limits) => {
  const blobs = new CachedBlobStore(new MemoryBlobStore(), { maxBytes: 8 * 1024, maxBlobBytes: 2 * 1024 });
  const store = withBlobStore(openMemoryHubStore(limits), blobs, () => {});
  return { store, close: () => store.close() };
});

runHubStoreContract('files', async (limits) => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-store-contract-'));
  const store = await openFileHubStore(dir, limits);
  return {
    store,
    close: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
