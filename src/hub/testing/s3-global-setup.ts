/**
 * The test run's global setup (vitest.config.ts) for the shared S3 service
 * (s3-server.ts): names a folder for this run, where the first test file
 * that wants a bucket starts Ceph, and stops that Ceph by its pids when the
 * run ends. A run that wants no bucket costs a temporary folder (and does
 * not load the S3 SDK: this module imports only node:*). The folder also
 * holds the run's builds of the hub and the command line (vite-build.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_RUN_DIR_VAR } from './vite-build.ts';

/** The script that starts and stops Ceph (its header explains the setup). */
export const CEPH_S3_SCRIPT = join(import.meta.dirname, '../../../scripts/ceph-s3.sh');
/** The variable naming the folder for this run's shared Ceph. */
export const RUN_DIR_VAR = 'MURMUR_S3_RUN_DIR';
/** The variable naming the run's main process, whose end stops Ceph even when no teardown runs (kill -9). */
export const OWNER_PID_VAR = 'MURMUR_S3_OWNER_PID';

export default function setup(): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'murmur-s3-run-'));
  // Test workers are started after this and inherit the environment.
  process.env[RUN_DIR_VAR] = runDir;
  // The same folder holds the run's shared builds of the hub and the command line (vite-build.ts).
  process.env[TEST_RUN_DIR_VAR] = runDir;
  process.env[OWNER_PID_VAR] = String(process.pid);
  // The SDK is pinned to a release that runs on Node 20 (package.json); its notice that later ones will not
  // says nothing a test run can act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return () => {
    const cephDir = join(runDir, 'ceph');
    if (existsSync(join(cephDir, 'pids'))) {
      const stopped = spawnSync(CEPH_S3_SCRIPT, ['stop', cephDir], { encoding: 'utf8' });
      if (stopped.status !== 0) console.error(`stopping the test run's Ceph failed: ${stopped.stderr}`);
    }
    rmSync(runDir, { recursive: true, force: true });
  };
}
