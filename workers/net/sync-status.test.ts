import 'fake-indexeddb/auto';
import { afterEach, describe, expect, test } from 'vitest';
import type { CommitId, PseudonymId } from '../../src/protocol/ids.ts';
import { type CoreDb, openCoreDb } from '../store/db.ts';
import { IdbCoreStore } from '../store/idb-core-store.ts';
import { CoreError } from '../errors.ts';
import { SyncStatusBoard, describeFailure, describeFeedFailure } from './sync-status.ts';

const alice = 'a'.repeat(64) as PseudonymId;
let db: CoreDb | undefined;
afterEach(() => db?.close());

describe('sync status in words', () => {
  test('a locked key reads as locked, not as a refusal by the hub', () => {
    const failure = describeFailure(
      new CoreError('Locked', 'Your keys are locked. Unlock them with your passphrase to post or sync.'),
    );
    expect(failure).toEqual({
      kind: 'local',
      name: 'Locked',
      message: 'Your keys are locked. Unlock them with your passphrase to post or sync.',
    });
    expect(failure.message).not.toMatch(/hub/);
  });

  test('full storage is the device, and a hub refusal is the hub', () => {
    expect(describeFailure(new CoreError('StorageFull', 'This device is out of storage space.')).kind).toBe('local');
    const refused = describeFailure(Object.assign(new Error('sig'), { name: 'BadSignature' }));
    expect(refused).toMatchObject({ kind: 'refused', message: 'The hub found a signature that does not verify.' });
  });

  test("a followed feed's bad data is refused by this device, named with the hub that sent it", () => {
    const named = (name: string) => Object.assign(new Error('detail'), { name });
    expect(describeFeedFailure(named('BadSignature'), ['http://127.0.0.1:9000'])).toBe(
      'Refused an update of a feed you follow: 127.0.0.1:9000 sent a signature that does not verify, so it is ' +
        'not from the person it names. Nothing of it was stored.',
    );
    expect(describeFeedFailure(named('HashMismatch'), ['https://hub.example'])).toMatch(
      /^Refused .*hub\.example sent data that does not match its id/,
    );
    expect(describeFeedFailure(named('StaleHead'), ['https://hub.example'])).toMatch(/an older version of the feed/);
    // Not a refusal of data: the hub could not be read, said as before.
    expect(describeFeedFailure(named('NotFound'), ['https://hub.example'])).toMatch(
      /^Could not load a feed you follow/,
    );
  });

  test('a replay refusal and a busy hub are said in words that tell the person it will be tried again', () => {
    expect(describeFailure(Object.assign(new Error('seen'), { name: 'Replayed' })).message).toMatch(
      /sent twice .*clock.*trying again/,
    );
    expect(describeFailure(Object.assign(new Error('full'), { name: 'HubBusy' })).message).toBe(
      'The hub is busy; trying again shortly.',
    );
    expect(describeFailure(Object.assign(new Error('full'), { name: 'TooManyConnections' })).message).toMatch(
      /too many connections.*trying again/,
    );
    expect(describeFailure(Object.assign(new Error('full'), { name: 'TooManyStreams' })).message).toMatch(
      /live updates.*trying again/,
    );
  });

  test('the board shows a local failure as an error with what waits', async () => {
    db = await openCoreDb(`status-${Math.random()}`);
    const board = new SyncStatusBoard(
      (p) => new IdbCoreStore(db!).countQueued(p),
      () => {},
      () => true,
    );
    board.update(alice, { failure: describeFailure(new CoreError('Locked', 'Your keys are locked.')) });
    expect(await board.status(alice)).toEqual({ state: 'error', queued: 0, message: 'Your keys are locked.' });
    board.update(alice, { failure: undefined });
    expect(await board.status(alice)).toEqual({ state: 'synced', queued: 0 });
  });

  test('with the device online, an unreachable hub is named with what waits for it, never "offline"', async () => {
    db = await openCoreDb(`status-${Math.random()}`);
    let online = true;
    const board = new SyncStatusBoard(
      (p) => new IdbCoreStore(db!).countQueued(p),
      () => {},
      () => online,
    );
    const hub = 'http://127.0.0.1:9';
    const failure = describeFailure(
      new CoreError('Offline', `cannot reach ${hub}: fetch failed (ECONNREFUSED)`, { hub }),
    );
    expect(failure).toEqual({ kind: 'offline', name: 'Offline', hub, message: 'Cannot reach 127.0.0.1:9.' });
    board.update(alice, { failure });
    expect(await board.status(alice)).toEqual({
      state: 'unreachable',
      queued: 0,
      hub,
      message: 'Cannot reach 127.0.0.1:9.',
    });
    for (const [i, commitId] of (['1'.repeat(64), '2'.repeat(64)] as CommitId[]).entries())
      await db.put('outbox', { pseudonym: alice, commitId, seq: i + 1, queuedAt: 0 });
    expect(await board.status(alice)).toMatchObject({
      state: 'unreachable',
      queued: 2,
      hub,
      message: 'Cannot reach 127.0.0.1:9. 2 posts wait for it and will go out when it answers.',
    });
    // Only a device without network is offline.
    online = false;
    expect(await board.status(alice)).toMatchObject({ state: 'offline', queued: 2 });
  });

  test('a send under way names its hub and when it began, so a slow hub can be named', async () => {
    db = await openCoreDb(`status-${Math.random()}`);
    const board = new SyncStatusBoard(
      (p) => new IdbCoreStore(db!).countQueued(p),
      () => {},
      () => true,
    );
    board.update(alice, { syncing: true, hub: 'http://hub.example', since: 1000 });
    expect(await board.status(alice)).toEqual({ state: 'syncing', queued: 0, hub: 'http://hub.example', since: 1000 });
  });

  test('a followed feed being read keeps the badge at syncing until it ends, with no hub named', async () => {
    db = await openCoreDb(`status-${Math.random()}`);
    const notices: string[] = [];
    const board = new SyncStatusBoard(
      (p) => new IdbCoreStore(db!).countQueued(p),
      (change) => notices.push(change.kind),
      () => true,
    );
    board.update(alice, { syncing: true, hub: 'http://hub.example', since: 1000 });
    board.update(alice, { syncing: false });
    const endFirst = board.beginFetch(alice);
    const endSecond = board.beginFetch(alice);
    expect(await board.status(alice)).toEqual({ state: 'syncing', queued: 0 });
    endFirst();
    endFirst(); // a second call does not end the other read
    expect(await board.status(alice)).toEqual({ state: 'syncing', queued: 0 });
    endSecond();
    expect(await board.status(alice)).toEqual({ state: 'synced', queued: 0 });
    expect(notices).toEqual(['sync', 'sync', 'sync', 'sync', 'sync', 'sync']);
  });
});
