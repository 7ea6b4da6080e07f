/**
 * The hub's stores under one data folder, opened and closed together:
 * blobs/ (one file per blob), heads.log, handles/ (one file per name),
 * inbox.log, quota.log, address.log, mirror/ (per-peer cursors), and tmp/
 * (scratch for atomic writes, emptied at start: what a crash left there was
 * never acknowledged); and the meter of the folder's size, measured once the
 * logs are open (opening may compact them).
 */
import { join } from 'node:path';
import { AddressLedger } from './files/address-ledger.ts';
import { FileBlobStore } from './files/blob-store.ts';
import { DiskMeter } from './files/disk-meter.ts';
import { clearTmpDir } from './files/durable-fs.ts';
import { FileHandleStore } from './files/handle-store.ts';
import { FileHeadStore } from './files/head-store.ts';
import type { HubLimits } from '../hub-limits.ts';
import { FileInboxStore } from './files/inbox-store.ts';
import { QuotaLedger } from './files/quota-ledger.ts';

export interface HubStores {
  readonly tmpDir: string;
  readonly blobs: FileBlobStore;
  readonly heads: FileHeadStore;
  readonly handles: FileHandleStore;
  readonly inbox: FileInboxStore;
  readonly quota: QuotaLedger;
  readonly addresses: AddressLedger;
  readonly disk: DiskMeter;
  /** Waits for queued appends, then closes the logs. */
  close(): Promise<void>;
}

/** @throws when the folder cannot be opened or a log in it is corrupt (the message says which). */
export async function openStores(dataDir: string, limits: Pick<HubLimits, 'quotaBytes' | 'addressBytes' | 'diskBytes'>): Promise<HubStores> {
  const tmpDir = join(dataDir, 'tmp');
  await clearTmpDir(tmpDir);
  const [blobs, handles] = await Promise.all([
    FileBlobStore.open(join(dataDir, 'blobs'), tmpDir),
    FileHandleStore.open(join(dataDir, 'handles'), tmpDir),
  ]);
  const opened: { close(): Promise<void> }[] = [];
  try {
    const heads = await FileHeadStore.open(join(dataDir, 'heads.log'), tmpDir);
    opened.push(heads);
    const inbox = await FileInboxStore.open(join(dataDir, 'inbox.log'), tmpDir);
    opened.push(inbox);
    const quota = await QuotaLedger.open(join(dataDir, 'quota.log'), tmpDir, limits.quotaBytes);
    opened.push(quota);
    const addresses = await AddressLedger.open(join(dataDir, 'address.log'), tmpDir, limits.addressBytes);
    opened.push(addresses);
    const disk = await DiskMeter.open(dataDir, limits.diskBytes, tmpDir);
    return {
      tmpDir, blobs, heads, handles, inbox, quota, addresses, disk,
      close: async () => {
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((s) => s.close()));
    throw error;
  }
}
