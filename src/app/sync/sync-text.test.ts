import { describe, expect, test } from 'vitest';
import type { SyncStatus } from '../../../workers/api/api-types.ts';
import { SLOW_HUB_MS, postedText, syncText } from './sync-text.ts';

const hub = 'http://127.0.0.1:9000';

describe('the sync badge and the composer say where posts wait', () => {
  test('an unreachable hub is named, never called offline', () => {
    const status: SyncStatus = { state: 'unreachable', queued: 2, hub };
    expect(syncText(status, 0)).toBe('127.0.0.1:9000 unreachable · 2 waiting for it');
    expect(postedText(status, 0)).toBe('Saved; it goes out when 127.0.0.1:9000 answers');
    expect(syncText({ state: 'unreachable', queued: 0, hub }, 0)).toBe('127.0.0.1:9000 unreachable');
  });

  test('a send that takes long names the slow hub; a short one is just syncing', () => {
    const status: SyncStatus = { state: 'syncing', queued: 1, hub, since: 1_000 };
    expect(syncText(status, 1_000 + SLOW_HUB_MS - 1)).toBe('Syncing…');
    expect(postedText(status, 1_000 + SLOW_HUB_MS - 1)).toBe('Saved; sending…');
    expect(syncText(status, 1_000 + SLOW_HUB_MS)).toBe('Waiting for 127.0.0.1:9000 · 1 queued');
    expect(postedText(status, 1_000 + SLOW_HUB_MS)).toBe('Saved; waiting for 127.0.0.1:9000, which is slow to answer');
  });

  test('"Posted" only once nothing waits', () => {
    expect(postedText({ state: 'synced', queued: 0 }, 0)).toBe('Posted');
    expect(postedText({ state: 'queued', queued: 1 }, 0)).toBe('Saved; sending…');
    expect(postedText({ state: 'offline', queued: 1 }, 0)).toBe('Saved; it goes out when you are back online');
    expect(syncText({ state: 'offline', queued: 1 }, 0)).toBe('Offline · 1 queued');
  });
});
