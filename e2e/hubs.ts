/**
 * Real hub processes for e2e tests: each is `node dist/hub/main.js` on
 * 127.0.0.1 with a free port and a fresh data folder, as a person would run it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HubProcess {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT, the host part of handles on this hub. */
  readonly host: string;
  readonly dataDir: string;
  /** Ends the process (SIGTERM) and removes its data. */
  stop(): Promise<void>;
  /** Ends the process (SIGTERM), keeping its data and port, as when a hub goes down for a while. */
  halt(): Promise<void>;
  /** Starts it again on the same port and data after halt(). */
  resume(): Promise<void>;
}

const MAIN = join(import.meta.dirname, '..', 'dist', 'hub', 'main.js');

/**
 * `args`: more flags, e.g. ['--app', folder] to serve another copy of the built app; `env`: more environment,
 * e.g. MURMUR_CONNECTION_LOG for a measurement.
 */
export async function startHubProcess(
  name: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<HubProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), `murmur-e2e-${name}-`));
  const spawnOn = (port: string) =>
    spawn(process.execPath, [MAIN, '--host', '127.0.0.1', '--port', port, '--data', dataDir, ...args], {
      env: { ...process.env, MURMUR_LOG: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let child = spawnOn('0');
  const url = await listeningUrl(child, name);
  const halt = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return {
    url,
    host: new URL(url).host,
    dataDir,
    halt,
    async resume() {
      child = spawnOn(new URL(url).port);
      await listeningUrl(child, name);
    },
    async stop() {
      await halt();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function listeningUrl(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`hub ${name} did not start: ${out}${err}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /murmur hub listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub ${name} exited with ${code}: ${out}${err}`));
    });
  });
}
