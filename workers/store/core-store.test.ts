/** The core store's one acceptance suite (contract.ts), run for each implementation. */
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCoreStore } from '../../src/cli/store/file-core-store.ts';
import { reopeningStore } from '../../src/cli/testing/reopening-store.ts';
import { runCoreStoreContract } from './contract.ts';
import { openCoreDb } from './db.ts';
import { IdbCoreStore } from './idb-core-store.ts';
import { MemoryCoreStore } from './memory-core-store.ts';

let databases = 0;

runCoreStoreContract('IndexedDB (fake-indexeddb)', async () => {
  const name = `core-store-contract-${process.pid}-${++databases}`;
  const db = await openCoreDb(name);
  return {
    store: new IdbCoreStore(db),
    close: async () => {
      db.close();
      indexedDB.deleteDatabase(name);
    },
  };
});

runCoreStoreContract('memory', async () => ({ store: new MemoryCoreStore(), close: async () => {} }));

runCoreStoreContract("the command line's journal (files)", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-core-store-'));
  const store = await FileCoreStore.open(join(dir, 'journal'));
  return {
    store,
    close: async () => {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

// The same store read back from disk after every write: from the journal's records, then from a snapshot.
for (const compact of [false, true]) {
  runCoreStoreContract(
    `the command line's journal, reopened after each write${compact ? ', compacted' : ''}`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'murmur-core-store-'));
      const { store, close } = await reopeningStore(join(dir, 'journal'), { compact });
      return {
        store,
        close: async () => {
          close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  );
}
