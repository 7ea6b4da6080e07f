/**
 * The PostgreSQL store against the one acceptance suite (contract.ts), on a
 * real PostgreSQL 15 (testing/postgres-server.ts): a fresh database for each
 * case, blobs in the memory blob store (the store takes any BlobStore).
 */
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from '../../testing/postgres-server.ts';
import { runHubStoreContract } from '../contract.ts';
import { MemoryBlobStore } from '../memory/blob-store.ts';
import { openPostgresHubStore } from './postgres-hub-store.ts';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
// Generous: on MURMUR_TEST_POSTGRES it drops every database made, on a busy machine.
afterAll(() => server?.stop(), 120_000);

runHubStoreContract('postgres', async (limits) => {
  const url = await server.createDatabase();
  const store = await openPostgresHubStore({ url, blobs: new MemoryBlobStore() }, limits);
  return { store, close: () => store.close() };
});
