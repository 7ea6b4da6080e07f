/**
 * For tests and scripts: the built hub (dist/hub/main.js, or a build of it
 * elsewhere) as a real process, started on 127.0.0.1 and awaited until it
 * prints its listening line. Node built-ins only, so scripts can bundle it.
 * (Not imported by the hub itself.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface HubProcess {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface SpawnHubOptions {
  readonly dataDir: string;
  /** Default: a free port. */
  readonly port?: number;
  readonly args?: readonly string[];
  /** Node's own options before the script (a bench's `--import` preload). */
  readonly nodeArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Give up waiting for the listening line after this long; default 15 s. */
  readonly timeoutMs?: number;
}

/** A port free on 127.0.0.1 now (the OS picks; it may be taken again before use, rarely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits until this process's fetch holds no connection to the closed hub at
 * `url`: a kept-alive connection the pool still holds after the hub closed
 * it fails when reused (ECONNRESET), which a busy machine made likely (the
 * hub runs in this process, and its restart's own work could run before the
 * pool read the EOF; two event-loop turns were not always enough). Each
 * request takes an idle pooled connection if there is one (and fails on a
 * dead one, dropping it); once one is refused, it was a new connection, so
 * none is left.
 */
export async function clientsSeeClosed(url: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    try {
      await fetch(`${url}/v1/status`);
    } catch (error) {
      if ((error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED') return;
    }
  }
  throw new Error(`fetch kept reaching ${url} after the hub closed`);
}

/** Starts `node mainJs` as a hub. @throws when it exits or stays silent before listening (with its output). */
export async function spawnHub(mainJs: string, options: SpawnHubOptions): Promise<HubProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      mainJs,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data',
      options.dataDir,
      ...(options.args ?? []),
    ],
    {
      env: { ...process.env, MURMUR_LOG: 'off', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub did not start in time: ${out}`));
    }, options.timeoutMs ?? 60_000);
    const onData = () => {
      const match = /murmur hub listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${code} before listening: ${out}`));
    });
  });
  return {
    url,
    port,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      await clientsSeeClosed(url); // a test may start another hub on this port next
      return code;
    },
  };
}
