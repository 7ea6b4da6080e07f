/**
 * The crash test: runs the built hub as a process on a fresh data folder,
 * lets concurrent writers hammer it, SIGKILLs it at a random moment, starts
 * it again on the same folder, and checks that everything it acknowledged is
 * still there (crash-check.ts) - for as many cycles as asked. Run by
 * scripts/crash-hub.mjs (bundled) and by crash.test.ts (a short run).
 * (Test code; not imported by the hub.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pseudonymOf } from '../../protocol/keys.ts';
import { sleep } from '../../runtime/sleep.ts';
import { checkHub, read, scanBlobs } from './crash-check.ts';
import { type Ledger, WRITE_KINDS, type WriteKind, emptyLedger, prng, runWriter, writerKey } from './crash-writers.ts';
import { freePort, spawnHub } from './hub-process.ts';

export interface CrashOptions {
  /** The built hub's main.js. */
  readonly main: string;
  readonly cycles: number;
  /** Concurrent writers; default 8. */
  readonly writers?: number;
  /**
   * Each cycle the hub is killed a random time in [minRunMs,
   * maxRunMs) after its first acknowledged write; default 50..400.
   */
  readonly minRunMs?: number;
  readonly maxRunMs?: number;
  readonly seed?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Keep the data folder (its path is logged) instead of removing it. */
  readonly keep?: boolean;
}

export interface CrashSummary {
  readonly cycles: number;
  /** Writes acknowledged over the run. */
  readonly writes: number;
  readonly acknowledged: {
    readonly blobs: number;
    readonly heads: number;
    readonly claims: number;
    readonly notices: number;
  };
  readonly blobFilesChecked: number;
  readonly dataDir: string;
}

/** @throws LostWriteError (or the hub's refusal of a valid write) at the first cycle that loses anything. */
export async function runCrashCycles(options: CrashOptions): Promise<CrashSummary> {
  const { main, cycles, writers = 8, minRunMs = 50, maxRunMs = 400, seed = Date.now() % 1e9, log = () => {} } = options;
  const random = prng(seed);
  const dataDir = await mkdtemp(join(tmpdir(), 'murmur-crash-'));
  // One port for the whole run: claims name host:port, so the hub must come back where it was.
  const port = await freePort();
  // Limits off: the writers are one IP flooding on purpose; what is tested here is durability.
  const env = { MURMUR_RATE_IP: '0', MURMUR_RATE_PSEUDONYM: '0', MURMUR_QUOTA_BYTES: '0' };
  const ledger = emptyLedger();
  const seen = new Set<string>();
  let writes = 0;
  log(`crash test: ${cycles} cycles, ${writers} writers, seed ${seed}, data ${dataDir}`);
  let hub = await spawnHub(main, { dataDir, port, env });
  try {
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const claimsBefore = new Set(ledger.claims.keys());
      const running = hub;
      // Each writer's next seq is read before anything can kill the hub (a read racing the kill would fail the run).
      const nextSeqs = await Promise.all(
        Array.from({ length: writers }, (_, index) => currentSeq(running.url, pseudonymOf(writerKey(index)))),
      );
      // The kill waits until this cycle has an acknowledged write of every kind, then a random moment: on a slow
      // machine a timer started before then could kill the hub before it acknowledged a kind, and the cycle would
      // prove nothing of it.
      const kindsAcked = new Set<WriteKind>();
      let allKindsAcked!: () => void;
      const acknowledging = new Promise<void>((resolve) => (allKindsAcked = resolve));
      const onAck = (kind: WriteKind) => {
        kindsAcked.add(kind);
        if (kindsAcked.size === WRITE_KINDS.length) allKindsAcked();
      };
      const acked = await Promise.all(
        nextSeqs
          .map((seq, index) =>
            runWriter({
              hubUrl: running.url,
              host: `127.0.0.1:${port}`,
              index,
              cycle,
              ledger,
              random,
              nextSeq: seq + 1,
              onAck,
            }),
          )
          .concat(acknowledging.then(() => killAfter(running, minRunMs + random() * (maxRunMs - minRunMs)))),
      );
      const now = acked.reduce((a, b) => a + b, 0);
      writes += now;
      // The same folder, the same port: everything acknowledged must be there.
      hub = await spawnHub(main, { dataDir, port, env });
      const fresh = [...ledger.claims.keys()].filter((name) => !claimsBefore.has(name));
      await checkHub(hub.url, ledger, cycle === cycles ? ledger.claims.keys() : fresh);
      const checked = await scanBlobs(dataDir, seen);
      log(
        `cycle ${cycle}: killed after ${now} acknowledged writes; all intact after restart; ${checked} new blob ` +
          `files hash to their names`,
      );
    }
    const code = await hub.stop('SIGTERM');
    if (code !== 0) throw new Error(`the hub exited with ${code} on SIGTERM: ${hub.output()}`);
  } finally {
    await hub.stop('SIGKILL');
    if (!options.keep) await rm(dataDir, { recursive: true, force: true });
  }
  return { cycles, writes, acknowledged: counts(ledger), blobFilesChecked: seen.size, dataDir };
}

function counts(ledger: Ledger): CrashSummary['acknowledged'] {
  return {
    blobs: ledger.blobs.size,
    heads: ledger.heads.size,
    claims: ledger.claims.size,
    notices: ledger.notices.size,
  };
}

async function currentSeq(hubUrl: string, author: string): Promise<number> {
  const res = await read(`${hubUrl}/v1/heads?authors=${author}`);
  return ((await res.json()) as { heads: Record<string, { seq: number }> }).heads[author]?.seq ?? 0;
}

/** Kills the hub with SIGKILL after `ms`; resolves (with 0 writes, for the tally) once it is gone. */
async function killAfter(hub: { stop(signal: NodeJS.Signals): Promise<number | null> }, ms: number): Promise<number> {
  await sleep(ms);
  await hub.stop('SIGKILL');
  return 0;
}
