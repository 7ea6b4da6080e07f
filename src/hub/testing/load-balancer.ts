/**
 * For tests and the scale-out bench: a real load balancer (HAProxy, from
 * Debian) in front of several hub processes, as docs/deploy.md runs it:
 * round robin, each hub checked on /.well-known/murmur.json every 200 ms and taken out at
 * the first failure (a refused connection, or no answer within 2 s), a
 * request whose hub refuses the connection retried on another, event
 * streams held open, and X-Forwarded-For added so the hubs
 * (started with --trusted-proxies 127.0.0.1) count each client by its own
 * address. (Not imported by the hub itself.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './hub-process.ts';

export interface LoadBalancer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** What HAProxy wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export const HAPROXY_MISSING =
  'HAProxy is needed for the scale-out tests: apt-get install -y --no-install-recommends haproxy';

/** The HAProxy configuration for `backends` (hub origins), listening on 127.0.0.1:`port`. */
export function haproxyConfig(port: number, backends: readonly string[]): string {
  const servers = backends.map((origin, i) => {
    const { hostname, port: backendPort } = new URL(origin);
    return `  server hub${i} ${hostname}:${backendPort} check inter 200ms fall 1 rise 1`;
  });
  return [
    'global',
    '  maxconn 8000', // two descriptors a connection, under the 20,000 a process may open here
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    // Event streams stay open for as long as a client reads; the hubs' own stall timeout cuts dead readers.
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout http-request 30s',
    // Without it a check times out after `inter` (200 ms): a hub busy under load answers /v1/status later than
    // that, is taken out at once (fall 1), and with every hub busy HAProxy answers 503 itself. A dead hub
    // refuses the connection, which fails the check at once whatever this is.
    '  timeout check 2s',
    '  retries 3',
    '  option redispatch 1',
    '  option forwardfor',
    'frontend murmur',
    `  bind 127.0.0.1:${port}`,
    '  default_backend hubs',
    'backend hubs',
    '  balance roundrobin',
    // Not /v1/status: it asks the store, and a database outage would take every hub out at once, turning
    // the hubs' 503 StoreUnavailable (with Retry-After, reads of what needs no database still served) into the
    // balancer's own.
    '  option httpchk GET /.well-known/murmur.json',
    ...servers,
    '',
  ].join('\n');
}

/**
 * Starts HAProxy in front of `backends` and waits until it answers /v1/status through them.
 * @param port where to listen (default: a free port); given when the hubs must be told the balancer's host
 *   before it starts, as the host that signed uploads name (--public-hosts).
 */
export async function startLoadBalancer(backends: readonly string[], port?: number): Promise<LoadBalancer> {
  const dir = await mkdtemp(join(tmpdir(), 'murmur-lb-'));
  port ??= await freePort();
  const config = join(dir, 'haproxy.cfg');
  await writeFile(config, haproxyConfig(port, backends));
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error((error as NodeJS.ErrnoException).code === 'ENOENT' ? HAPROXY_MISSING : String(error))),
    );
    exited.then((code) => reject(new Error(`haproxy exited with ${code}: ${out}`)));
  });
  failed.catch(() => undefined);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([failed, answered(url)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => out, stop };
}

/** Resolves once `url` answers /v1/status with 200 (HAProxy up and a hub behind it seen healthy). */
async function answered(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${url}/v1/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
