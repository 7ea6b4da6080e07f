/**
 * A device for tests: a fresh fake IndexedDB database, the core API over it
 * with the real clock and randomness, and a network switch in front of the
 * real fetch (down = every request fails as a dropped network does).
 */
import 'fake-indexeddb/auto';
import { pickVerify } from '../../src/protocol/keys.ts';
import { type CoreDeps, type CoreService, createCoreApi } from '../api/api.ts';
import { type CoreDb, type PseudonymRow, openCoreDb } from '../store/db.ts';
import type { Fetch } from '../net/hub-client.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { waitFor } from './wait.ts';

let databases = 0;

export class Network {
  down = false;
  /** Every request made, as "METHOD path" (for asserting what reached a hub). */
  readonly log: string[] = [];
  /** Every URL requested. */
  readonly urls: string[] = [];
  /** Event streams requested, with the signal that ends each. */
  readonly streams: { url: string; signal: AbortSignal | undefined }[] = [];
  /** Every answer, as "METHOD path STATUS". */
  readonly answers: string[] = [];
  /** Runs before a request goes out (to stage races). */
  before?: (method: string, path: string) => Promise<void>;

  readonly fetch: Fetch = async (url, init) => {
    const method = init?.method ?? 'GET';
    const path = new URL(url).pathname;
    this.log.push(`${method} ${path}`);
    this.urls.push(url);
    if (path === '/v1/stream') this.streams.push({ url, signal: init?.signal ?? undefined });
    await this.before?.(method, path);
    if (this.down) throw new TypeError('fetch failed (network down in test)');
    const res = await fetch(url, init);
    // (a stream's body stays open; its entry in `streams` tells whether it was ended)
    this.answers.push(`${method} ${path} ${res.status}`);
    return res;
  };
}

export interface Device {
  readonly api: CoreService;
  readonly db: CoreDb;
  readonly net: Network;
  close(): Promise<void>;
}

export interface DeviceOptions {
  /** Pseudonym rows (with their secret keys) this device starts with: "the same person on another device". */
  readonly pseudonyms?: readonly PseudonymRow[];
  readonly net?: Network;
  /** Open this existing database (a new worker after the tab closed) instead of a fresh one. */
  readonly dbName?: string;
  readonly deps?: Partial<CoreDeps>;
}

export async function openDevice(options: DeviceOptions = {}): Promise<Device> {
  const db = await openCoreDb(options.dbName ?? `murmur-test-${process.pid}-${++databases}`);
  for (const row of options.pseudonyms ?? []) await db.put('pseudonyms', row);
  const net = options.net ?? new Network();
  const api = createCoreApi({
    db,
    fetch: net.fetch,
    now: Date.now,
    random: (array) => crypto.getRandomValues(array),
    verify: await pickVerify(),
    retry: { baseMs: 20, maxMs: 200 },
    streamBackoff: { baseMs: 20, maxMs: 200 },
    ...options.deps,
  });
  return {
    api,
    db,
    net,
    async close() {
      await api.close();
      db.close();
    },
  };
}

/** Waits until `device` says `pseudonym` is synced (getSyncStatus: nothing queued, the last run reached home). */
export function waitSynced(device: Device, pseudonym: PseudonymId) {
  return waitFor(
    `${pseudonym.slice(0, 8)} synced`,
    () => device.api.getSyncStatus(pseudonym),
    (s) => s.state === 'synced',
  );
}
