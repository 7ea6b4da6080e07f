/**
 * The hub process: reads its settings (config.ts), starts the hub, prints one
 * line `murmur hub listening on http://HOST:PORT` once it listens (tests and
 * scripts wait for it), and closes cleanly on SIGTERM or SIGINT: mirroring
 * stops, streams end, requests under way finish, logs are flushed.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from './config.ts';
import { startHub } from './server.ts';
import { fileHubStore } from './store/files/file-hub-store.ts';

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  // Read and checked already, so a typo fails now; the PostgreSQL and S3 stores plug in with issue 16.
  if (config.store !== undefined || config.blobs !== undefined || config.trustedProxies.length > 0)
    throw new RangeError('--store, --blobs and --trusted-proxies are not in this build yet');
  const hub = await startHub({
    host: config.host,
    port: config.port,
    store: fileHubStore(config.dataDir),
    // Built, this file is dist/hub/main.js and the PWA is built to dist/app beside it.
    appDir: config.appDir ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'app'),
    limits: config.limits,
    timeouts: config.timeouts,
    connections: config.connections,
    peers: config.peers,
    ...(config.publicHosts && { publicHosts: config.publicHosts }),
    ...(config.mirrorAuthors && { mirrorAuthors: config.mirrorAuthors }),
    ...(config.name !== undefined && { name: config.name }),
    ...(config.log && { log: (line: string) => process.stdout.write(`${line}\n`) }),
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
