/**
 * For the scale-out tests and bench: a hub scaled out as docs/deploy.md runs
 * it. N built hub processes on one fresh PostgreSQL database (--store) and
 * one fresh S3 bucket (--blobs), behind a real HAProxy (load-balancer.ts)
 * that they trust for X-Forwarded-For (--trusted-proxies). Each process keeps
 * its port and settings, so one killed can be started again as itself.
 * PostgreSQL itself is the caller's (postgres-server.ts: a throwaway server
 * can be restarted, paused and resumed). (Not imported by the hub itself.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Settings } from '../store/s3/s3-url.ts';
import type { BuiltHub } from './hub-build.ts';
import { type HubProcess, freePort, spawnHub } from './hub-process.ts';
import { type LoadBalancer, startLoadBalancer } from './load-balancer.ts';
import type { PostgresServer } from './postgres-server.ts';
import { openTestBucket } from './s3-server.ts';

export interface ScaledHubOptions {
  readonly built: BuiltHub;
  /** How many hub processes; default 3. */
  readonly processes?: number;
  /** The server that gets a fresh database for these hubs. */
  readonly postgres: PostgresServer;
  /** A readable part of the fresh bucket's name; default 'murmur-scaled'. */
  readonly bucketName?: string;
  /** More flags for every process (--peers, say). */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface ScaledHub {
  /** The balancer's http://127.0.0.1:PORT: what clients use. */
  readonly url: string;
  /** The balancer's host:port, which uploads signed for it name (every process takes it as its own). */
  readonly host: string;
  /** The fresh database's postgres:// URL. */
  readonly storeUrl: string;
  /** The fresh bucket's s3+http:// URL (with its keys). */
  readonly blobsUrl: string;
  readonly balancer: LoadBalancer;
  /** The processes now, by index; an entry is replaced when restart() starts it again. */
  readonly hubs: readonly HubProcess[];
  /**
   * Starts process `index` again on its port with its settings and data folder, killing it first (SIGKILL)
   * if it still runs; resolves once it listens.
   */
  restart(index: number): Promise<HubProcess>;
  /** Stops the balancer and every process (SIGKILL: the data is in PostgreSQL and S3) and removes the folders. */
  stop(): Promise<void>;
}

/**
 * An s3+http:// URL (s3-url.ts's form) for `settings`, as --blobs takes it.
 * The test services speak plain HTTP on the machine.
 */
export function s3UrlOf(settings: S3Settings): string {
  const keys = `${encodeURIComponent(settings.accessKeyId)}:${encodeURIComponent(settings.secretAccessKey)}`;
  const scheme = settings.endpoint.startsWith('https:') ? 's3' : 's3+http';
  const query = new URLSearchParams({ region: settings.region, style: settings.pathStyle ? 'path' : 'virtual' });
  if (settings.prefix) query.set('prefix', settings.prefix);
  return `${scheme}://${keys}@${new URL(settings.endpoint).host}/${settings.bucket}?${query}`;
}

/**
 * Starts `processes` hubs on a fresh database and bucket behind HAProxy.
 * @throws when PostgreSQL, Ceph or HAProxy is missing (saying how to install it), or a hub fails to start.
 */
export async function startScaledHub(options: ScaledHubOptions): Promise<ScaledHub> {
  const count = options.processes ?? 3;
  const [storeUrl, bucket, root] = await Promise.all([
    options.postgres.createDatabase(),
    openTestBucket(options.bucketName ?? 'murmur-scaled'),
    mkdtemp(join(tmpdir(), 'murmur-scaled-')),
  ]);
  const blobsUrl = s3UrlOf(bucket);
  // Ports chosen first: every process must know the balancer's host (signed uploads name it) and its own
  // (signed requests sent to it directly name that), and keeps its port across restarts.
  const balancerPort = await freePort();
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  const host = `127.0.0.1:${balancerPort}`;
  const hubs: HubProcess[] = [];
  let balancer: LoadBalancer | undefined;

  const start = (index: number) => {
    const port = ports[index]!;
    return spawnHub(options.built.main, {
      dataDir: join(root, `hub${index}`),
      port,
      args: [
        ...['--store', storeUrl, '--blobs', blobsUrl, '--trusted-proxies', '127.0.0.1'],
        ...['--public-hosts', [host, `localhost:${balancerPort}`, `127.0.0.1:${port}`, `localhost:${port}`].join(',')],
        ...(options.args ?? []),
      ],
      ...(options.env && { env: options.env }),
    });
  };
  const stop = async () => {
    await balancer?.stop();
    await Promise.all(hubs.map((hub) => hub.stop('SIGKILL')));
    await rm(root, { recursive: true, force: true });
  };

  try {
    // Together, as a deployment's processes start: the store migrates an empty database once however many
    // open it at once (store/postgres/scale-out.test.ts).
    const started = await Promise.allSettled(ports.map((_, i) => start(i)));
    for (const s of started) if (s.status === 'fulfilled') hubs.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    balancer = await startLoadBalancer(
      hubs.map((hub) => hub.url),
      balancerPort,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: balancer.url,
    host,
    storeUrl,
    blobsUrl,
    balancer,
    hubs,
    async restart(index) {
      await hubs[index]!.stop('SIGKILL');
      hubs[index] = await start(index);
      return hubs[index]!;
    },
    stop,
  };
}
