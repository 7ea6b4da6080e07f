/**
 * For tests: a real S3 service, and a bucket of its own for each test file.
 * The service is MURMUR_TEST_S3 when set (an s3:// or s3+http:// URL with
 * keys and no bucket, as s3-url.ts reads), else a throwaway single-node Ceph
 * with radosgw started by scripts/ceph-s3.sh. Ceph takes ~12 s to come up,
 * so it is started once per test run, by the first file that asks, and
 * shared: the run's global setup (s3-global-setup.ts) names a folder, a lock
 * file in it lets one worker start Ceph while the others wait for its URL,
 * and the global teardown stops it by its pids. Runs that ask for no bucket
 * start nothing.
 *
 * There is no skip when Ceph is missing: the first test fails saying how to
 * install it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3Settings, parseS3Url } from '../store/s3/s3-url.ts';
import { freePort } from './hub-process.ts';
import { CEPH_S3_SCRIPT, OWNER_PID_VAR, RUN_DIR_VAR } from './s3-global-setup.ts';

/** Ceph's bring-up, for the first worker; waiting for it, for the others. */
const START_TIMEOUT_MS = 120_000;

const NEEDS_CEPH = 'S3 tests need Ceph.';
/** Said after the script's own words when Ceph is missing (the script names the tool and the install line). */
const OR_ELSE =
  'Install it as .ci/run does, or set MURMUR_TEST_S3=s3+http://ACCESS:SECRET@host:port/?region=R ' +
  'to run these tests on another S3 service.';

let server: Promise<URL> | undefined;

/**
 * Settings for a new, empty bucket on the run's S3 service (started on first use).
 * @param name a readable part of the bucket's name (lowercase letters, digits, hyphens).
 * @throws Error saying how to install Ceph when it cannot be started.
 */
export async function openTestBucket(name: string): Promise<S3Settings> {
  server ??= serverUrl();
  const url = new URL(await server);
  url.pathname = `/${name.slice(0, 40)}-${randomBytes(6).toString('hex')}`;
  const settings = parseS3Url(url.href);
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.pathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: settings.bucket }));
  } finally {
    client.destroy();
  }
  return settings;
}

/** The service's URL without a bucket: MURMUR_TEST_S3, or the run's shared Ceph, or one of this process's own. */
async function serverUrl(): Promise<URL> {
  const given = process.env.MURMUR_TEST_S3;
  if (given) return new URL(given);
  const runDir = process.env[RUN_DIR_VAR];
  if (runDir) return new URL(await sharedCeph(runDir));
  // Outside a vitest run with the global setup (a script, say): a Ceph of this process's own, stopped at exit.
  // The script's stop (at exit, or by its watchdog when this process is killed) removes the folder too.
  const dir = mkdtempSync(join(tmpdir(), 'murmur-ceph-'));
  process.once('exit', () => void spawnSync(CEPH_S3_SCRIPT, ['stop', dir]));
  return new URL(await startCeph(dir));
}

/** The run's Ceph: started here if this worker takes the lock first, else awaited until the one that did is up. */
async function sharedCeph(runDir: string): Promise<string> {
  const urlFile = join(runDir, 'url');
  const errorFile = join(runDir, 'error');
  let lock: Awaited<ReturnType<typeof open>>;
  try {
    lock = await open(join(runDir, 'lock'), 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return awaitSharedCeph(urlFile, errorFile);
  }
  await lock.close();
  try {
    const url = await startCeph(join(runDir, 'ceph'));
    // Written whole, then renamed: a waiting worker never reads half a URL.
    await writeFile(`${urlFile}.tmp`, url);
    await rename(`${urlFile}.tmp`, urlFile);
    return url;
  } catch (error) {
    await writeFile(`${errorFile}.tmp`, (error as Error).message);
    await rename(`${errorFile}.tmp`, errorFile);
    throw error;
  }
}

async function awaitSharedCeph(urlFile: string, errorFile: string): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const url = await readFile(urlFile, 'utf8').catch(() => undefined);
    if (url) return url;
    const failed = await readFile(errorFile, 'utf8').catch(() => undefined);
    if (failed) throw new Error(failed);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`another test worker began starting Ceph but gave no S3 URL within ${START_TIMEOUT_MS} ms`);
}

/** Starts Ceph in `dir`; resolves with its S3 URL once S3 answers (the script waits for that). */
async function startCeph(dir: string): Promise<string> {
  try {
    return await startCephOnce(dir);
  } catch (error) {
    if ((error as Error).message.startsWith(NEEDS_CEPH)) throw error;
    // Once more on new ports: a free port found here may be taken by another process before Ceph binds it.
    spawnSync(CEPH_S3_SCRIPT, ['stop', dir]);
    return startCephOnce(dir);
  }
}

async function startCephOnce(dir: string): Promise<string> {
  const [rgwPort, monPort] = [await freePort(), await freePort()];
  return new Promise((resolve, reject) => {
    execFile(
      CEPH_S3_SCRIPT,
      ['start', dir, String(rgwPort), String(monPort)],
      { timeout: START_TIMEOUT_MS, env: { ...process.env, CEPH_S3_WATCH_PID: String(watchedPid()) } },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout.trim());
        const missing = /is missing/.test(stderr);
        const why = stderr.trim() || error.message;
        reject(new Error(missing ? `${NEEDS_CEPH} ${why}\n${OR_ELSE}` : `Ceph failed to start: ${why}`));
      },
    );
  });
}

/** The process whose end should stop Ceph even when no teardown runs (kill -9): the run's main process. */
function watchedPid(): number {
  return Number(process.env[OWNER_PID_VAR]) || process.pid;
}
