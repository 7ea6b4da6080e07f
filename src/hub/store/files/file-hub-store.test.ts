/**
 * The file store as a whole, beyond the contract: mirroring's files are made
 * only once the hub has peers, and its cursors and verified commits outlive a
 * close and reopen of the folder.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type CommitId, hashBytes } from '../../../protocol/ids.ts';
import { CONTRACT_LIMITS } from '../contract.ts';
import { openFileHubStore } from './file-hub-store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'murmur-file-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('no peers, no mirror/ folder; with one, cursors and verified commits survive a reopen', async () => {
  const store = await openFileHubStore(dir, CONTRACT_LIMITS);
  expect(await readdir(dir)).not.toContain('mirror');
  const id = hashBytes(new TextEncoder().encode('a verified commit')) as CommitId;
  await (await store.mirror.openCursor('https://peer.example')).save(42);
  await (await store.mirror.openVerified()).add([id]);
  await store.close();

  const again = await openFileHubStore(dir, CONTRACT_LIMITS);
  expect((await again.mirror.openCursor('https://peer.example')).value).toBe(42);
  expect(await (await again.mirror.openVerified()).has(id)).toBe(true);
  await again.close();
});
