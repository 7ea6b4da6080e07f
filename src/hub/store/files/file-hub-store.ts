/**
 * The file store: a HubStore (hub-store.ts) under one data folder, opened and
 * closed together: blobs/ (small ones in segments, others a file each), heads.log, handles/ (one file
 * per name), inbox.log, inbox-policies/ and listings/ (a file per pseudonym each), quota.log,
 * address.log, mirror/ (per-peer cursors and verified.log, made only once the hub has peers), and tmp/ (scratch for
 * atomic writes, emptied at start: what a crash left there was never
 * acknowledged); and the meter of the folder's size, measured once the logs
 * are open (opening may compact them).
 */
import { join } from 'node:path';
import type { HubStore, MirrorStore, OpenHubStore, StoreLimits } from '../hub-store.ts';
import { FileAddressLedger } from './address-ledger.ts';
import { FileBlobStore } from './blob-store.ts';
import { openDiskMeter } from './disk-meter.ts';
import { clearTmpDir, makeDirDurably } from './durable-fs.ts';
import { FileHandleStore } from './handle-store.ts';
import { FileHeadStore } from './head-store.ts';
import { FileDirectory } from './directory.ts';
import { FileInboxStore } from './inbox-store.ts';
import { FileMirrorCursor } from './mirror-cursor.ts';
import { FileQuotaLedger } from './quota-ledger.ts';
import { FileVerifiedCommits } from './verified-commits.ts';
import { InProcessRates } from '../rate-buckets.ts';
import { InProcessSeenRequests } from '../seen-requests.ts';

interface Closable {
  close(): Promise<void>;
}

/** The file store under `dataDir`, for startHub (the folder is made when absent). */
export function fileHubStore(dataDir: string): OpenHubStore {
  return (limits) => openFileHubStore(dataDir, limits);
}

/** @throws when the folder cannot be opened or a log in it is corrupt (the message says which). */
export async function openFileHubStore(dataDir: string, limits: StoreLimits): Promise<HubStore> {
  const tmpDir = join(dataDir, 'tmp');
  await clearTmpDir(tmpDir);
  const [blobs, handles] = await Promise.all([
    FileBlobStore.open(join(dataDir, 'blobs'), tmpDir),
    FileHandleStore.open(join(dataDir, 'handles'), tmpDir),
  ]);
  const opened: Closable[] = [blobs];
  try {
    const heads = await FileHeadStore.open(join(dataDir, 'heads.log'), tmpDir);
    opened.push(heads);
    const inbox = await FileInboxStore.open(join(dataDir, 'inbox.log'), join(dataDir, 'inbox-policies'), tmpDir);
    opened.push(inbox);
    const directory = await FileDirectory.open(join(dataDir, 'listings'), tmpDir);
    opened.push(directory);
    const quota = await FileQuotaLedger.open(join(dataDir, 'quota.log'), tmpDir, limits.quotaBytes);
    opened.push(quota);
    const addresses = await FileAddressLedger.open(join(dataDir, 'address.log'), tmpDir, limits.addressBytes);
    opened.push(addresses);
    const disk = await openDiskMeter(dataDir, limits.diskBytes, tmpDir);
    const mirror = fileMirrorStore(join(dataDir, 'mirror'), tmpDir, opened);
    return {
      blobs,
      heads,
      handles,
      inbox,
      directory,
      quota,
      addresses,
      disk,
      mirror,
      // One process on one folder: rates and the memory of signed requests are in memory (a restart
      // refuses what was signed before it, so it cannot reopen a replay window).
      rates: new InProcessRates(),
      seen: new InProcessSeenRequests(limits.seenRequests),
      // A folder of this machine: if it stopped answering, so would the hub.
      health: async () => ({ kind: 'files', ok: true }),
      close: async () => {
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((s) => s.close()));
    throw error;
  }
}

/** Mirroring's files under `dir`, opened on first use; the verified log joins `opened` so the store closes it. */
function fileMirrorStore(dir: string, tmpDir: string, opened: Closable[]): MirrorStore {
  let verified: Promise<FileVerifiedCommits> | undefined;
  return {
    openCursor: (origin) => FileMirrorCursor.open(dir, tmpDir, origin),
    openVerified: () =>
      (verified ??= (async () => {
        await makeDirDurably(dir);
        const log = await FileVerifiedCommits.open(join(dir, 'verified.log'), tmpDir);
        opened.push(log);
        return log;
      })()),
  };
}
