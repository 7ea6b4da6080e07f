/**
 * Keys through the facade, as the UI uses them: rename, retire, an encrypted
 * backup carried to another device, the passphrase lock at rest, and a scan
 * showing no secret key ever comes back through the API.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { toHex } from '../../src/protocol/bytes.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { feedOnHub } from '../testing/hub-inspect.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';

let hub: TestHub;
const devices: Device[] = [];
/** Every value any API call returned in this file's tests, for the secret scan. */
const returned: unknown[] = [];

beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

/** A device whose API records every result (so the last test can scan them all). */
async function device(dbName?: string): Promise<Device> {
  const d = await openDevice(dbName ? { dbName } : {});
  devices.push(d);
  const api = new Proxy(d.api, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        returned.push(result);
        return result;
      };
    },
  });
  return { ...d, api };
}

async function rawKey(d: Device, id: PseudonymId): Promise<Uint8Array | undefined> {
  return (await d.db.get('pseudonyms', id))?.secretKey;
}

test('rename: a new display name, checked like a new one', async () => {
  const d = await device();
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  expect(await d.api.renamePseudonym(me.id, '  Alicia ')).toMatchObject({
    ok: true,
    value: { id: me.id, name: 'Alicia' },
  });
  expect((await d.api.listPseudonyms())[0]?.name).toBe('Alicia');
  expect(await d.api.renamePseudonym(me.id, '  ')).toMatchObject({ ok: false, error: 'InvalidField' });
  expect(await d.api.renamePseudonym('a'.repeat(64) as PseudonymId, 'X')).toMatchObject({
    ok: false,
    error: 'NotFound',
  });
});

test('retire: the pseudonym, its queue and follows leave this device; the other pseudonym is untouched', async () => {
  const d = await device();
  const keep = await d.api.createPseudonym({ name: 'Keep', homeHub: hub.url });
  const gone = await d.api.createPseudonym({ name: 'Gone', homeHub: hub.url });
  await d.api.setOnline(false); // so its post stays queued
  await d.api.post(gone.id, 'queued and then retired');
  await d.api.post(keep.id, 'kept');
  expect(await d.db.count('outbox')).toBe(2);
  expect(await d.api.retirePseudonym(gone.id)).toEqual({ ok: true, value: null });
  expect((await d.api.listPseudonyms()).map((p) => p.id)).toEqual([keep.id]);
  expect(await d.db.get('pseudonyms', gone.id)).toBeUndefined();
  expect((await d.db.getAllKeys('outbox')).map(([p]) => p)).toEqual([keep.id]);
  expect(await d.api.post(gone.id, 'after')).toMatchObject({ ok: false, error: 'NotFound' });
  expect(await d.api.retirePseudonym(gone.id)).toMatchObject({ ok: false, error: 'NotFound' });
});

test('backup: a pseudonym moves to a device (same id, name, handle, hubs), posts there; reimport: no-op', async () => {
  const a = await device();
  const me = await a.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  expect(await a.api.claimHandle(me.id, 'alice')).toMatchObject({ ok: true });
  await a.api.post(me.id, 'from the first device');
  await waitFor(
    'synced on A',
    () => a.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  const exported = await a.api.exportPseudonym(me.id, 'long passphrase');
  if (!exported.ok) throw new Error(exported.message);
  expect(exported.value.fileName).toMatch(/^murmur-Alice-\d{4}-\d\d-\d\d\.murmur$/);
  expect(exported.value.fileName).not.toContain(me.id);

  const b = await device();
  const bytes = exported.value.bytes;
  expect(await b.api.importPseudonym(bytes, 'wrong passphrase')).toMatchObject({ ok: false, error: 'WrongPassphrase' });
  const tampered = bytes.slice();
  const at = new TextDecoder().decode(bytes).indexOf('"ciphertext":"') + 20; // inside the ciphertext's hex
  tampered[at] = tampered[at] === 0x61 ? 0x62 : 0x61;
  expect(await b.api.importPseudonym(tampered, 'long passphrase')).toMatchObject({
    ok: false,
    error: 'BackupTampered',
  });
  expect(await b.api.importPseudonym(new TextEncoder().encode('{"x":1}'), 'long passphrase')).toMatchObject({
    ok: false,
    error: 'BackupUnreadable',
  });
  expect(await b.api.listPseudonyms()).toEqual([]);

  const imported = await b.api.importPseudonym(bytes, 'long passphrase');
  expect(imported).toEqual({ ok: true, value: (await a.api.listPseudonyms())[0] });
  expect(await b.api.importPseudonym(bytes, 'long passphrase')).toEqual(imported);
  expect(await b.api.listPseudonyms()).toHaveLength(1);

  // The imported key signs: B's post reaches the hub in the same feed, after A's.
  await b.api.syncNow(me.id);
  expect(await b.api.post(me.id, 'from the second device')).toMatchObject({ ok: true });
  await waitFor(
    'synced on B',
    () => b.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  const feed = await feedOnHub(hub.url, me.id);
  expect(feed.posts.map((p) => p.body).sort()).toEqual(['from the first device', 'from the second device']);
});

test('the lock: keys sealed at rest, no signing while locked, only the passphrase unlocks, removable', async () => {
  const name = `murmur-lock-${process.pid}`;
  const d = await device(name);
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  const plain = toHex((await rawKey(d, me.id))!);
  expect(await d.api.getLockState()).toBe('none');

  expect(await d.api.setLock('a passphrase')).toEqual({ ok: true, value: 'unlocked' });
  const row = (await d.db.get('pseudonyms', me.id))!;
  expect(row.secretKey).toBeUndefined();
  expect(toHex(row.sealedKey!.ciphertext)).not.toContain(plain);
  expect(await d.api.post(me.id, 'while unlocked')).toMatchObject({ ok: true });

  expect(await d.api.lock()).toBe('locked');
  expect(await d.api.post(me.id, 'while locked')).toMatchObject({ ok: false, error: 'Locked' });
  expect(await d.api.exportPseudonym(me.id, 'x')).toMatchObject({ ok: false, error: 'Locked' });
  await expect(d.api.createPseudonym({ name: 'Bob', homeHub: hub.url })).rejects.toMatchObject({ name: 'Locked' });
  expect(await d.api.setLock(undefined)).toMatchObject({ ok: false, error: 'Locked' });
  expect(await d.api.unlock('not it')).toMatchObject({ ok: false, error: 'WrongPassphrase' });
  expect(await d.api.getLockState()).toBe('locked');

  // A restart (a new worker over the same database) starts locked: nothing was kept but ciphertext.
  const restarted = await device(name);
  expect(await restarted.api.getLockState()).toBe('locked');
  expect(await restarted.api.post(me.id, 'after restart')).toMatchObject({ ok: false, error: 'Locked' });
  expect(await restarted.api.unlock('a passphrase')).toEqual({ ok: true, value: 'unlocked' });
  expect(await restarted.api.post(me.id, 'after unlock')).toMatchObject({ ok: true });
  const bob = await restarted.api.createPseudonym({ name: 'Bob', homeHub: hub.url }); // sealed too
  expect((await restarted.db.get('pseudonyms', bob.id))!.secretKey).toBeUndefined();

  expect(await restarted.api.setLock(undefined)).toEqual({ ok: true, value: 'none' });
  expect(toHex((await rawKey(restarted, me.id))!)).toBe(plain);
  expect((await restarted.db.get('pseudonyms', me.id))!.sealedKey).toBeUndefined();
  expect(await restarted.api.getLockState()).toBe('none');
  await waitFor(
    'everything synced',
    () => restarted.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  expect((await feedOnHub(hub.url, me.id)).posts.map((p) => p.body).sort()).toEqual(['after unlock', 'while unlocked']);
});

test('no secret ever crosses the API: the contract names none, and no result of these tests holds a key', async () => {
  // The contract: no result type may have a field named like a secret.
  const contract = readFileSync(new URL('../api/api-types.ts', import.meta.url), 'utf8').replace(
    /\/\*[\s\S]*?\*\/|\/\/.*$/gm,
    '',
  );
  expect(contract).not.toMatch(/secret|private_?key|seed\b/i);
  // Inputs named passphrase exist; no method returns one: each mention lies in a parameter list (which the
  // formatter may spread over lines), none after it.
  const flat = contract.replace(/\s+/g, ' ');
  const mentions = (text: string) => text.match(/passphrase/g)?.length ?? 0;
  const inInputs = [...flat.matchAll(/\([^()]*\): Promise/g)].reduce((n, [params]) => n + mentions(params), 0);
  expect(inInputs).toBeGreaterThan(0);
  expect(inInputs).toBe(mentions(flat));

  // The values: run a device through its key paths, then scan everything returned.
  const d = await device();
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  const key = toHex((await rawKey(d, me.id))!);
  await d.api.post(me.id, 'hello');
  const backup = await d.api.exportPseudonym(me.id, 'pw');
  await d.api.renamePseudonym(me.id, 'Alicia');
  await d.api.setLock('pw');
  await d.api.getLockState();
  await d.api.lock();
  await d.api.unlock('pw');
  await d.api.getStorageInfo();
  await d.api.listTimeline(me.id, { limit: 10 });
  expect(backup.ok).toBe(true);
  const found: string[] = [];
  const scan = (value: unknown, path: string): void => {
    if (value instanceof Uint8Array) {
      if (toHex(value).includes(key) || new TextDecoder().decode(value).includes(key)) found.push(path);
    } else if (typeof value === 'string') {
      if (value.includes(key)) found.push(path);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (/secret|sealed/i.test(k)) found.push(`${path}.${k}`);
        scan(v, `${path}.${k}`);
      }
    }
  };
  returned.forEach((value, i) => {
    scan(value, `result${i}`);
  });
  expect(returned.length).toBeGreaterThan(15);
  expect(found).toEqual([]);
});
