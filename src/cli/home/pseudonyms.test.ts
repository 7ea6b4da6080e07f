/**
 * A home's pseudonyms: public facts readable without the passphrase, each key sealed in the app's own backup
 * format (decodeBackup opens it as the app would), several per home picked by --as, keys unlocked on first
 * signing only; and the home's lock.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { decodeBackup } from '../../../workers/keys/backup.ts';
import { lockHome } from './home-lock.ts';
import { type PseudonymEntry, Pseudonyms } from './pseudonyms.ts';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'murmur-home-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

function entryOf(name: string, fill: number) {
  const secretKey = secretKeyFrom(new Uint8Array(32).fill(fill));
  const entry: PseudonymEntry = {
    name,
    id: pseudonymOf(secretKey),
    displayName: name.toUpperCase(),
    handle: `${name}@hub.example`,
    hubs: ['https://hub.example'],
    createdAt: 1_700_000_000_000,
  };
  return { entry, secretKey };
}

test("keys are sealed in the app's backup format; --as picks among several; the first is the default", async () => {
  const alice = entryOf('alice', 1);
  const work = entryOf('work', 2);
  const pseudonyms = new Pseudonyms(home);
  await pseudonyms.add(alice.entry, alice.secretKey, 'a passphrase');
  await pseudonyms.add(work.entry, work.secretKey, 'a passphrase');

  const sealed = readFileSync(join(home, 'keys', 'work.murmur'));
  expect(sealed.includes(Buffer.from(work.entry.handle!))).toBe(false); // nothing readable in the key file
  const opened = await decodeBackup(sealed, 'a passphrase');
  expect(opened).toMatchObject({ id: work.entry.id, name: 'WORK', handle: work.entry.handle, hubs: work.entry.hubs });
  expect(opened.secretKey).toEqual(work.secretKey);

  const again = new Pseudonyms(home); // as the next command reads it
  expect(again.pick(undefined).id).toBe(alice.entry.id);
  expect(again.pick('work').id).toBe(work.entry.id);
  expect(() => again.pick('nobody')).toThrow(expect.objectContaining({ name: 'NoPseudonym' }));
  await expect(again.add(entryOf('alice', 3).entry, alice.secretKey, 'x')).rejects.toMatchObject({
    name: 'NameTaken',
  });
  await expect(again.add({ ...alice.entry, name: 'other' }, alice.secretKey, 'x')).rejects.toMatchObject({
    name: 'NameTaken',
  });
});

test('the key source asks for the passphrase only to sign, once; a wrong one is WrongPassphrase', async () => {
  const alice = entryOf('alice', 1);
  await new Pseudonyms(home).add(alice.entry, alice.secretKey, 'right');
  let asked = 0;
  const keys = new Pseudonyms(home).keySource(async () => {
    asked++;
    return 'right';
  });
  expect(await keys.listPseudonyms()).toEqual([alice.entry.id]);
  expect(await keys.getHubs(alice.entry.id)).toEqual(['https://hub.example']);
  expect(asked).toBe(0);
  expect(await keys.getSecretKey(alice.entry.id)).toEqual(alice.secretKey);
  expect(await keys.getSecretKey(alice.entry.id)).toEqual(alice.secretKey);
  expect(asked).toBe(1);
  const wrong = new Pseudonyms(home).keySource(async () => 'wrong');
  await expect(wrong.getSecretKey(alice.entry.id)).rejects.toMatchObject({ name: 'WrongPassphrase' });
});

test("one process per home: a live holder makes HomeBusy; a killed holder's lock is taken over", async () => {
  const held = await lockHome(home, 0);
  await expect(lockHome(home, 0)).rejects.toMatchObject({ name: 'HomeBusy' });
  held.release();
  const next = await lockHome(home, 0);
  next.release();
  writeFileSync(join(home, 'lock'), '999999999'); // no such process
  const takenOver = await lockHome(home, 0);
  expect(readFileSync(join(home, 'lock'), 'utf8')).toBe(String(process.pid));
  takenOver.release();
});
