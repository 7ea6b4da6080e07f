import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Change, SyncStatus } from '../../workers/api/api-types.ts';
import type { PseudonymId } from '../protocol/ids.ts';
import { OUTBOX_SYNC_TAG, startBackgroundSync } from './background-sync.ts';

const alice = 'a'.repeat(64) as PseudonymId;

/** The page's side with a fake core and service worker: which statuses register the Background Sync tag. */
function wire(statuses: SyncStatus[]) {
  const register = vi.fn(async (_tag: string) => undefined);
  vi.stubGlobal('navigator', {
    serviceWorker: { ready: Promise.resolve({ sync: { register } }), addEventListener: () => undefined },
  });
  let listener: ((change: Change) => void) | undefined;
  const core = {
    getSyncStatus: vi.fn(async () => statuses.shift()!),
    listPseudonyms: vi.fn(async () => []),
    syncNow: vi.fn(async () => undefined),
  };
  startBackgroundSync(core, (l) => (listener = l));
  const notice = async () => {
    listener!({ kind: 'sync', pseudonym: alice });
    await vi.waitFor(() => expect(core.getSyncStatus).toHaveBeenCalled());
    await new Promise((resolve) => setImmediate(resolve));
    core.getSyncStatus.mockClear();
  };
  return { register, notice };
}

afterEach(() => vi.unstubAllGlobals());

describe('Background Sync is asked for only when posts wait for the network', () => {
  test('posts queued mid-send (online) register nothing: the tag would fire at once, waking each tab', async () => {
    const { register, notice } = wire([
      { state: 'queued', queued: 1 },
      { state: 'syncing', queued: 1, hub: 'http://hub.example', since: 0 },
      { state: 'synced', queued: 0 },
    ]);
    for (let i = 0; i < 3; i++) await notice();
    expect(register).not.toHaveBeenCalled();
  });

  test('posts waiting offline, or for an unreachable hub, register the tag once per episode', async () => {
    const { register, notice } = wire([
      { state: 'offline', queued: 1 },
      { state: 'offline', queued: 2 },
      { state: 'synced', queued: 0 },
      { state: 'unreachable', queued: 1, hub: 'http://hub.example' },
    ]);
    for (let i = 0; i < 4; i++) await notice();
    expect(register.mock.calls).toEqual([[OUTBOX_SYNC_TAG], [OUTBOX_SYNC_TAG]]);
  });
});
