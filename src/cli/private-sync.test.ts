/**
 * Mutes, blocks and drafts between the app and the command line, one pseudonym on both, through a real hub
 * process: the app's core (the worker's code over fake IndexedDB, in this process) and `murmur` (the built
 * bundle, as processes) run the same private sync over their own stores. What one adds or removes (a Yjs
 * deletion moves no state vector) reaches the other, and a sync with nothing new pushes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PseudonymId } from '../protocol/ids.ts';
import { pseudonymOf } from '../protocol/keys.ts';
import { derivePrivateKeys } from '../protocol/private-seal.ts';
import { headsOf } from '../hub/testing/hub-fixture.ts';
import { decodeBackup } from '../../workers/keys/backup.ts';
import { type Device, openDevice } from '../../workers/testing/device.ts';
import { CLI_TEST_TIMEOUT_MS, cliWorldForFile } from './testing/cli-world.ts';
import { ok } from '../../workers/testing/ok.ts';

const world = cliWorldForFile();
let app: Device;
beforeAll(async () => {
  // Passes only when the test asks (syncNow), so each step happens exactly when it says.
  app = await openDevice({ deps: { privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } } });
}, CLI_TEST_TIMEOUT_MS);
afterAll(() => app?.close());

interface Lists {
  readonly mutedWords: readonly { readonly value: string }[];
  readonly mutedTags: readonly { readonly value: string }[];
}
const values = (lists: Lists) => ({
  words: lists.mutedWords.map((e) => e.value),
  tags: lists.mutedTags.map((e) => e.value),
});

test(
  'a mute and a draft made in the app reach the command line; its unmute, mute and draft reach the app',
  async () => {
    const passphrase = 'one pseudonym, two devices';
    const ada = (await app.api.createPseudonym({ name: 'Ada', homeHub: world.hub.url })).id as PseudonymId;
    ok(await app.api.setMute(ada, 'word', 'Spoilers', true));
    ok(await app.api.saveDraft(ada, { id: 'from-app', body: 'written in the app' }));
    await app.api.syncNow(ada);

    const user = await world.newUser(passphrase);
    const file = join(await world.tempDir('murmur-private-'), 'ada.murmur');
    writeFileSync(file, ok(await app.api.exportPseudonym(ada, passphrase)).bytes);
    await world.answer(user, ['import', file]);
    expect(await world.answer(user, ['sync'])).toMatchObject({ state: 'synced', private: 'synced' });
    expect(values(await world.answer<Lists>(user, ['mutes']))).toEqual({ words: ['spoilers'], tags: [] });
    const drafts = async () => (await world.answer<{ drafts: { id: string }[] }>(user, ['drafts'])).drafts;
    expect((await drafts()).map((d) => d.id)).toEqual(['from-app']);

    // Each change is pushed as it is made. An unmute alone: a deletion in the document, no new state vector.
    await world.answer(user, ['unmute', 'word', 'spoilers']);
    await app.api.syncNow(ada);
    expect(values(await app.api.getPrivateSettings(ada))).toEqual({ words: [], tags: [] });
    await world.answer(user, ['mute', 'tag', 'launch']);
    await world.answer(user, ['draft', 'written in a shell', '--id', 'from-shell']);
    await app.api.syncNow(ada);
    const settings = await app.api.getPrivateSettings(ada);
    expect(values(settings)).toEqual({ words: [], tags: ['launch'] });
    expect((await app.api.listDrafts(ada)).map((d) => d.id).sort()).toEqual(['from-app', 'from-shell']);

    // Nothing new on either side: a sync pushes nothing, the pointer's head on the hub stays where it is.
    const { secretKey } = await decodeBackup(readFileSync(file), passphrase);
    const pointer = pseudonymOf(derivePrivateKeys(secretKey).pointerKey);
    const pointerHead = async () => (await headsOf(world.hub.url, [pointer]))[pointer];
    expect(await world.answer(user, ['sync'])).toMatchObject({ private: 'synced' });
    const before = await pointerHead();
    expect(before?.seq).toBeGreaterThan(0);
    expect(await world.answer(user, ['sync'])).toMatchObject({ private: 'synced' });
    await app.api.syncNow(ada);
    expect(await pointerHead()).toEqual(before);
  },
  CLI_TEST_TIMEOUT_MS,
);

test(
  'a hive made in the app is owned on the command line, and one made there is owned in the app',
  async () => {
    const passphrase = 'one owner, two devices';
    const olive = (await app.api.createPseudonym({ name: 'Olive', homeHub: world.hub.url })).id as PseudonymId;
    const inApp = ok(await app.api.createHive(olive, { name: 'Made in the app', membership: 'open' }));
    await app.api.syncNow(olive);

    const user = await world.newUser(passphrase);
    const file = join(await world.tempDir('murmur-hive-owner-'), 'olive.murmur');
    writeFileSync(file, ok(await app.api.exportPseudonym(olive, passphrase)).bytes);
    await world.answer(user, ['import', file]);
    type Listed = { hives: { hive: string; owned: boolean; name?: string }[] };
    const listed = await world.answer<Listed>(user, ['hive', 'list']);
    expect(listed.hives).toEqual([expect.objectContaining({ hive: inApp.hive, owned: true, name: 'Made in the app' })]);
    // The owner's word from the shell, signed by the hive: the app reads it as the owner's.
    await world.answer(user, ['hive', 'mod', inApp.hive, 'settings', '--rules', 'Set in a shell']);
    const read = ok(await app.api.readHive(olive, inApp));
    expect(read.state.exists && read.state.settings.rules).toBe('Set in a shell');
    expect(read.state.exists && read.state.log.map((l) => [l.action, l.role])).toEqual([
      ['charter', 'owner'],
      ['settings', 'owner'],
    ]);

    const inShell = await world.answer<{ hive: string }>(user, ['hive', 'create', 'Made in a shell']);
    await app.api.syncNow(olive);
    const inApps = await app.api.listHives(olive);
    expect(inApps.find((h) => h.hive === inShell.hive)).toMatchObject({ owned: true, name: 'Made in a shell' });
  },
  CLI_TEST_TIMEOUT_MS,
);
