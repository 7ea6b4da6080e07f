import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test } from 'vitest';
import type { PseudonymId } from '../src/protocol/ids.ts';
import { type CoreDb, openCoreDb } from './db.ts';
import { CoreError } from './errors.ts';
import { SyncStatusBoard, describeFailure } from './sync-status.ts';

const alice = 'a'.repeat(64) as PseudonymId;
let db: CoreDb | undefined;
afterEach(() => db?.close());

describe('sync status in words', () => {
  test('a locked key reads as locked, not as a refusal by the hub', () => {
    const failure = describeFailure(new CoreError('Locked', 'Your keys are locked. Unlock them with your passphrase to post or sync.'));
    expect(failure).toEqual({ kind: 'local', name: 'Locked', message: 'Your keys are locked. Unlock them with your passphrase to post or sync.' });
    expect(failure.message).not.toMatch(/hub/);
  });

  test('full storage is the device, and a hub refusal is the hub', () => {
    expect(describeFailure(new CoreError('StorageFull', 'This device is out of storage space.')).kind).toBe('local');
    const refused = describeFailure(Object.assign(new Error('sig'), { name: 'BadSignature' }));
    expect(refused).toMatchObject({ kind: 'refused', message: 'The hub found a signature that does not verify.' });
  });

  test('the board shows a local failure as an error with what waits', async () => {
    db = await openCoreDb(`status-${Math.random()}`);
    const board = new SyncStatusBoard(db, () => {}, () => true);
    board.update(alice, { failure: describeFailure(new CoreError('Locked', 'Your keys are locked.')) });
    expect(await board.status(alice)).toEqual({ state: 'error', queued: 0, message: 'Your keys are locked.' });
    board.update(alice, { failure: undefined });
    expect(await board.status(alice)).toEqual({ state: 'synced', queued: 0 });
  });
});
