/**
 * The hub process: reads its settings (config.ts), starts the hub, prints one
 * line `murmur hub listening on http://HOST:PORT` once it listens (tests and
 * scripts wait for it), and closes cleanly on SIGTERM or SIGINT: mirroring
 * stops, streams end, requests under way finish, logs are flushed.
 */
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from './config.ts';
import { startHub } from './server.ts';
import type { HubConfig } from './config.ts';
import { CachedBlobStore } from './store/blob-cache.ts';
import { withBlobStore } from './store/compose.ts';
import { fileHubStore } from './store/files/file-hub-store.ts';
import type { BlobStore, OpenHubStore } from './store/hub-store.ts';

/**
 * The store the settings name: the data folder, unless --store (PostgreSQL, for heads, logs and ledgers)
 * and --blobs (S3) are set. PostgreSQL and the S3 client are loaded only when named, so the embedded hub
 * starts as light as before.
 * @throws RangeError for --store without --blobs: processes sharing a database must share their blobs too.
 */
async function configuredStore(config: HubConfig): Promise<OpenHubStore> {
  if (config.store !== undefined && config.blobs === undefined)
    throw new RangeError('--store needs --blobs: hub processes that share a database must share their blobs too');
  if (config.blobs === undefined) return fileHubStore(config.dataDir);
  // The S3 client warns of its releases after the one pinned here, which the hub does not take unreviewed.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [{ S3BlobStore }, { parseS3Url }] = await Promise.all([
    import('./store/s3/s3-blob-store.ts'),
    import('./store/s3/s3-url.ts'),
  ]);
  const settings = parseS3Url(config.blobs);
  const storeUrl = config.store;
  const openMetadata: (blobs: BlobStore) => OpenHubStore =
    storeUrl === undefined
      ? () => fileHubStore(config.dataDir)
      : await import('./store/postgres/postgres-hub-store.ts').then(
          ({ postgresHubStore }) =>
            (blobs) =>
              postgresHubStore({ url: storeUrl, blobs }),
        );
  return async (limits) => {
    const s3 = await S3BlobStore.open(settings);
    // Small blobs answered from memory: each S3 GET is a signed request whose signing costs the hub ~40x the GET.
    const blobs = new CachedBlobStore(s3);
    try {
      return withBlobStore(await openMetadata(blobs)(limits), blobs, () => s3.close());
    } catch (error) {
      s3.close();
      throw error;
    }
  };
}

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  const { connectionLog } = config;
  const hub = await startHub({
    host: config.host,
    port: config.port,
    store: await configuredStore(config),
    // Built, this file is dist/hub/main.js and the PWA is built to dist/app beside it.
    appDir: config.appDir ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'app'),
    limits: config.limits,
    timeouts: config.timeouts,
    connections: config.connections,
    peers: config.peers,
    trustedProxies: config.trustedProxies,
    ...(config.publicHosts && { publicHosts: config.publicHosts }),
    ...(config.aliases && { aliases: config.aliases }),
    ...(config.mirrorAuthors && { mirrorAuthors: config.mirrorAuthors }),
    ...(config.name !== undefined && { name: config.name }),
    ...(config.log && { log: (line: string) => process.stdout.write(`${line}\n`) }),
    // Written at once, line by line: a measurement reads the file while the hub runs.
    ...(connectionLog !== undefined && {
      connectionLog: (line: string) => appendFileSync(connectionLog, `${line}\n`),
    }),
  });
  process.stdout.write(`murmur hub listening on ${hub.url}\n`);

  const stop = (signal: string) => {
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`hub: close on ${signal} failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // A named error (CorruptStore, say) is shown by name, so an operator can look it up.
  const named = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  console.error(`murmur hub: ${named}${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
