/**
 * A PostgreSQL server for tests: a throwaway PostgreSQL 15 cluster in a temp
 * folder on a free port (../shared/TOOLCHAIN.md's recipe: initdb and pg_ctl
 * as the postgres OS user, since initdb refuses root), or the server named by
 * MURMUR_TEST_POSTGRES (postgres://...) when that is set. Each caller makes
 * its databases fresh (createDatabase), so test files run in parallel on one
 * server without seeing each other's rows.
 *
 * Missing PostgreSQL fails the test with how to install it; it never skips.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const PG_BIN = process.env.MURMUR_PG_BIN ?? '/usr/lib/postgresql/15/bin';

const INSTALL_HINT =
  `PostgreSQL 15 is needed for these tests and ${PG_BIN}/initdb is missing: install it ` +
  '(Debian: apt-get install -y postgresql-15, which .ci/run does), or set MURMUR_TEST_POSTGRES=postgres://... ' +
  'to a server where the user may CREATE DATABASE';

export interface PostgresServer {
  /** The server's maintenance database (postgres), for CREATE DATABASE and the like. */
  readonly adminUrl: string;
  /** Whether this server is ours to restart (a throwaway cluster), not MURMUR_TEST_POSTGRES's. */
  readonly throwaway: boolean;
  /** A fresh, empty database on the server; its URL. */
  createDatabase(): Promise<string>;
  /** Stops and starts the server again (pg_ctl restart, fast mode: connections are cut). Throwaway only. */
  restart(): Promise<void>;
  /** Stops the server (fast mode) and leaves it stopped until resume(). Throwaway only. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server and removes its folder (or, on MURMUR_TEST_POSTGRES, drops the databases made). */
  stop(): Promise<void>;
}

let made = 0;

/**
 * @param own a throwaway server even when MURMUR_TEST_POSTGRES is set (for a test that restarts it).
 * @throws Error saying how to install PostgreSQL when it is missing.
 */
export async function startPostgres(own = false): Promise<PostgresServer> {
  const external = process.env.MURMUR_TEST_POSTGRES;
  return external && !own ? externalServer(external) : startThrowaway();
}

async function createDatabaseOn(adminUrl: string): Promise<string> {
  const name = `murmur_test_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function notOurs(): Promise<void> {
  throw new Error('stopping the server needs a throwaway one (startPostgres(true)), not MURMUR_TEST_POSTGRES');
}

function externalServer(adminUrl: string): PostgresServer {
  const databases: string[] = [];
  return {
    adminUrl,
    throwaway: false,
    async createDatabase() {
      const url = await createDatabaseOn(adminUrl);
      databases.push(new URL(url).pathname.slice(1));
      return url;
    },
    restart: notOurs,
    pause: notOurs,
    resume: notOurs,
    async stop() {
      await withClient(adminUrl, async (client) => {
        for (const name of databases.splice(0)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

/** A port free on 127.0.0.1 now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program as the postgres OS user when we are root (initdb refuses root), else as ourselves. */
function pgCommand(program: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, program);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

async function pgRun(program: string, args: string[]): Promise<void> {
  const [file, argv] = pgCommand(program, args);
  try {
    await run(file, argv, { timeout: 60_000 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${program} failed: ${stderr || stdout || (error as Error).message}`);
  }
}

async function startThrowaway(): Promise<PostgresServer> {
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(INSTALL_HINT);
  const dir = await mkdtemp(join(tmpdir(), 'murmur-pg-'));
  if (process.getuid?.() === 0) await chown(dir, ...postgresIds());
  const data = join(dir, 'data');
  const log = join(dir, 'pg.log');
  await pgRun('initdb', [
    ...['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'],
    ...['--no-sync', '--no-instructions'],
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const ctl = (action: string, ...extra: string[]) => pgRun('pg_ctl', ['-D', data, '-l', log, '-w', ...extra, action]);
  await ctl('start', '-o', options);
  // If the test process dies without stop(), the server must not outlive it.
  const onExit = () => {
    try {
      const [file, argv] = pgCommand('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      execFileSync(file, argv, { stdio: 'ignore' });
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', onExit);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    throwaway: true,
    createDatabase: () => createDatabaseOn(adminUrl),
    restart: () => ctl('restart', '-m', 'fast'),
    pause: () => ctl('stop', '-m', 'fast'),
    resume: () => ctl('start', '-o', options),
    async stop() {
      process.off('exit', onExit);
      await ctl('stop', '-m', 'fast').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The uid and gid of the postgres OS user (it owns the cluster's folder). */
function postgresIds(): [number, number] {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return [uid, gid];
  } catch {
    throw new Error(`${INSTALL_HINT} (the postgres OS user is missing)`);
  }
}
