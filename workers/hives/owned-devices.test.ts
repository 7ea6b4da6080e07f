/**
 * A hive made on one device of its owner is owned on the others
 * (private/owned-hives-doc.ts, hives/adopt-owned.ts): its nonce travels in
 * the sealed private state, the laptop derives the hive's key from the
 * owner's, and its decisions are the owner's, signed by the hive, as the
 * phone's are. An entry whose nonce does not derive the hive it names is
 * taken up nowhere.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { newHiveKey } from '../../src/protocol/hive-key.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { waitFor } from '../testing/wait.ts';
import { adoptOwnedHives } from './adopt-owned.ts';
import { idbKnownHives, idbOwnedHives } from './idb-hives.ts';

let hub: TestHub;
let phone: Device;
let laptop: Device;
let reader: Device;
const secretKey = secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
const olive = pseudonymOf(secretKey);

// Long timers: the test drives private sync with syncNow.
const deps = { inboxPollMs: 600_000, privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } };

beforeAll(async () => {
  hub = await startTestHub();
  const row = { id: olive, name: 'Olive', hubs: [hub.url], createdAt: 1, secretKey };
  [phone, laptop, reader] = await Promise.all([
    openDevice({ pseudonyms: [row], deps }),
    openDevice({ pseudonyms: [row], deps }),
    openDevice({ deps }),
  ]);
});
afterAll(async () => {
  await Promise.all([phone?.close(), laptop?.close(), reader?.close()]);
  await hub?.stop();
});

test('a hive made on the phone is owned on the laptop: listed as its own, its decisions the owner’s', async () => {
  const at = ok(await phone.api.createHive(olive, { name: 'Two devices', membership: 'open' }));
  await phone.api.syncNow(olive);
  // Control: before the private state arrives, the laptop knows no hive and cannot act as the owner.
  expect(await laptop.api.listHives(olive)).toEqual([]);

  const mine = await waitFor(
    'the laptop owns the hive',
    async () => {
      await laptop.api.syncNow(olive);
      return laptop.api.listHives(olive);
    },
    (hives) => hives.length > 0,
  );
  expect(mine).toEqual([expect.objectContaining({ hive: at.hive, hubs: [hub.url], owned: true, name: 'Two devices' })]);

  ok(await laptop.api.moderateHive(olive, at, { kind: 'settings', settings: { rules: 'Set on the laptop' } }));
  const me = await reader.api.createPseudonym({ name: 'Rita', homeHub: hub.url });
  const read = await waitFor(
    'the laptop’s decision',
    async () => ok(await reader.api.readHive(me.id, at)),
    (r) => r.state.exists && r.state.settings.rules === 'Set on the laptop',
  );
  expect(read.state.exists && read.state.log.map((l) => [l.action, l.role, l.by])).toEqual([
    ['charter', 'owner', at.hive],
    ['settings', 'owner', at.hive],
  ]);
});

test('an entry whose nonce does not derive the hive it names is taken up nowhere', async () => {
  const other = newHiveKey(secretKey, (b) => crypto.getRandomValues(b));
  const planted = newHiveKey(secretKeyFrom(new Uint8Array(32).fill(9)), (b) => crypto.getRandomValues(b));
  const owned = idbOwnedHives(laptop.db);
  const known = idbKnownHives(laptop.db);
  const synced: string[] = [];
  const adoptDeps = {
    owned,
    known,
    keys: { getSecretKey: async () => secretKey } as never,
    now: () => Date.now(),
    syncHive: (hive: string) => void synced.push(hive),
  };
  const entry = { nonce: other.nonce, hubs: [hub.url], createdAt: 1 };
  // Another's hive under Olive's nonce, and Olive's nonce under another's hive: neither derives.
  const count = await adoptOwnedHives(adoptDeps, olive, [
    { ...entry, hive: planted.hive },
    { ...entry, hive: other.hive, nonce: planted.nonce },
  ]);
  expect(count).toBe(0);
  expect(await owned.find(planted.hive)).toBeUndefined();
  expect(await owned.find(other.hive)).toBeUndefined();
  expect(synced).toEqual([]);
  // Positive control: the right nonce for the right hive is taken up.
  expect(await adoptOwnedHives(adoptDeps, olive, [{ ...entry, hive: other.hive }])).toBe(1);
  expect(await owned.find(other.hive)).toMatchObject({ owner: olive, nonce: other.nonce });
  expect(synced).toEqual([other.hive]);
});
