/**
 * The in-memory store: a HubStore (hub-store.ts) of plain Maps, gone when the
 * process ends. For unit tests that want a hub without a data folder, and as
 * the model every other store is held to by the acceptance suite
 * (contract.ts): where the file store and this one disagree, one is wrong.
 */
import type { CommitId } from '../../../protocol/ids.ts';
import { MemoryDirectory } from './directory.ts';
import { CountingDiskMeter } from '../disk-meter.ts';
import { InProcessRates } from '../rate-buckets.ts';
import { InProcessSeenRequests } from '../seen-requests.ts';
import type { HubStore, MirrorCursor, MirrorStore, OpenHubStore, StoreLimits, VerifiedCommits } from '../hub-store.ts';
import { MemoryBlobStore } from './blob-store.ts';
import { MemoryHeadStore } from './head-store.ts';
import { MemoryAddressLedger, MemoryQuotaLedger } from './ledgers.ts';
import { MemoryHandleStore, MemoryInboxStore } from './records.ts';

/** A fresh, empty in-memory store each time the hub opens it. */
export const memoryHubStore: OpenHubStore = async (limits) => openMemoryHubStore(limits);

export function openMemoryHubStore(limits: StoreLimits): HubStore {
  const heads = new MemoryHeadStore();
  return {
    blobs: new MemoryBlobStore(),
    heads,
    handles: new MemoryHandleStore(),
    inbox: new MemoryInboxStore(),
    directory: new MemoryDirectory(),
    quota: new MemoryQuotaLedger(limits.quotaBytes),
    addresses: new MemoryAddressLedger(limits.addressBytes),
    disk: new CountingDiskMeter(limits.diskBytes, 0),
    mirror: memoryMirrorStore(),
    rates: new InProcessRates(),
    seen: new InProcessSeenRequests(limits.seenRequests),
    health: async () => ({ kind: 'memory', ok: true }),
    close: async () => heads.close(),
  };
}

function memoryMirrorStore(): MirrorStore {
  const cursors = new Map<string, number>();
  const ids = new Set<string>();
  const verified: VerifiedCommits = {
    has: async (id: CommitId) => ids.has(id),
    add: async (added) => {
      for (const id of added) ids.add(id);
    },
  };
  return {
    openCursor: async (origin): Promise<MirrorCursor> => ({
      get value() {
        return cursors.get(origin) ?? 0;
      },
      save: async (value) => void cursors.set(origin, value),
    }),
    openVerified: async () => verified,
  };
}
