/**
 * Private state between two devices of one pseudonym through a real hub:
 * drafts and mutes arrive, concurrent offline edits of one draft converge,
 * the hub holds nothing readable or linkable, and a hub that changes bytes
 * is refused in words.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { derivePrivateKeys } from '../../src/protocol/private-seal.ts';
import { type TestHub, headsOf, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { PseudonymRow } from '../store/db.ts';
import { type Device, Network, openDevice } from '../testing/device.ts';
import { waitFor } from '../testing/wait.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ok } from '../testing/ok.ts';

let hub: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

const secretKey = secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
const me = pseudonymOf(secretKey);

const MANUAL = { pollMs: 600_000, pushDelayMs: 600_000 };

async function device(
  net?: Network,
  privateSync: { pollMs: number; pushDelayMs: number; pushGapMs?: number } = MANUAL,
): Promise<Device> {
  const row: PseudonymRow = { id: me, name: 'Alice', hubs: [hub.url], createdAt: 1, secretKey };
  // Long timers by default: each test drives sync with syncNow, so passes happen exactly when it says.
  const d = await openDevice({ pseudonyms: [row], ...(net && { net }), deps: { privateSync } });
  devices.push(d);
  return d;
}

const bodies = async (d: Device) => (await d.api.listDrafts(me)).map((x) => x.body);

test('a draft and a mute made on one device arrive on the other', async () => {
  const [one, two] = [await device(), await device()];
  ok(await one.api.saveDraft(me, { id: 'home-a', body: 'half a thought' }));
  ok(await one.api.setMute(me, 'word', 'Spoilers', true));
  await one.api.syncNow(me);
  await two.api.syncNow(me);
  expect(await two.api.listDrafts(me)).toMatchObject([{ id: 'home-a', body: 'half a thought' }]);
  expect((await two.api.getPrivateSettings(me)).mutedWords.map((w) => w.value)).toEqual(['spoilers']);

  // Deleting travels too (Yjs deletions change no state vector: the push must still carry them).
  ok(await two.api.deleteDraft(me, 'home-a'));
  ok(await two.api.setMute(me, 'word', 'spoilers', false));
  await two.api.syncNow(me);
  await one.api.syncNow(me);
  expect(await one.api.listDrafts(me)).toEqual([]);
  expect((await one.api.getPrivateSettings(me)).mutedWords).toEqual([]);
});

test('both devices edit one draft offline; once both sync, both hold both edits', async () => {
  const [one, two] = [await device(), await device()];
  ok(await one.api.saveDraft(me, { id: 'shared', body: 'hello world' }));
  await one.api.syncNow(me);
  await two.api.syncNow(me);
  expect(await bodies(two)).toEqual(['hello world']);

  await one.api.setOnline(false);
  await two.api.setOnline(false);
  ok(await one.api.saveDraft(me, { id: 'shared', body: 'hello big world' }));
  ok(await two.api.saveDraft(me, { id: 'shared', body: 'hello world, again' }));
  await one.api.setOnline(true);
  await two.api.setOnline(true);
  await one.api.syncNow(me);
  await two.api.syncNow(me);
  await one.api.syncNow(me);
  expect(await bodies(one)).toEqual(['hello big world, again']);
  expect(await bodies(two)).toEqual(['hello big world, again']);
});

test('a race for the pointer: the loser is refused as stale, merges and pushes again', async () => {
  const [one, two] = [await device(), await device()];
  ok(await one.api.saveDraft(me, { id: 'a', body: 'from one' }));
  ok(await two.api.saveDraft(me, { id: 'b', body: 'from two' }));
  // One has read the (empty) pointer and holds its head back until two has pushed: one's head is then stale.
  let release!: () => void;
  const twoPushed = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  one.net.before = async (method, path) => {
    if (method === 'PUT' && path.startsWith('/v1/heads/') && !held) {
      held = true;
      await twoPushed;
    }
  };
  const first = one.api.syncNow(me);
  await waitFor('one holding its head', () => held);
  await two.api.syncNow(me);
  release();
  await first;
  expect(one.net.answers.filter((a) => a.startsWith('PUT /v1/heads/'))).toEqual([
    expect.stringMatching(/ 409$/),
    expect.stringMatching(/ 200$/),
  ]);
  expect((await bodies(one)).sort()).toEqual(['from one', 'from two']); // the loser merged
  await two.api.syncNow(me);
  expect((await bodies(two)).sort()).toEqual(['from one', 'from two']); // the winner learns it on its next pass
});

test('the hub holds a head of an unrelated key and sealed blobs: no pseudonym id, no plaintext', async () => {
  const one = await device();
  ok(await one.api.saveDraft(me, { id: 'secret', body: 'my very private words' }));
  ok(await one.api.setBlock(me, 'b0'.repeat(32) as never, true));
  await one.api.syncNow(me);
  const pointer = pseudonymOf(derivePrivateKeys(secretKey).pointerKey);
  expect(Object.keys(await headsOf(hub.url, [pointer]))).toEqual([pointer]);
  const files = await readdir(hub.dataDir, { recursive: true });
  let scanned = 0;
  for (const name of files) {
    const bytes = await readFile(join(hub.dataDir, name)).catch(() => undefined);
    if (!bytes) continue; // a folder
    scanned++;
    const text = bytes.toString('latin1');
    expect(text, name).not.toContain('my very private words');
    expect(text, name).not.toContain('b0b0b0b0');
    expect(text, name).not.toContain(me); // the feed was never pushed here: nothing names the pseudonym
  }
  expect(scanned).toBeGreaterThan(0);
  // And the private passes named only the pointer.
  const privateUrls = one.net.urls.filter((u) => u.includes(pointer));
  expect(privateUrls.length).toBeGreaterThan(0);
});

test('a hub that changes the bytes of a sealed blob is refused in words, and nothing is applied', async () => {
  const one = await device();
  ok(await one.api.saveDraft(me, { id: 'd', body: 'original' }));
  await one.api.syncNow(me);

  // Flip one byte of every blob answer (a misbehaving hub or a middlebox).
  const tampering = new Network();
  const honest = tampering.fetch;
  Object.defineProperty(tampering, 'fetch', {
    value: async (url: string, init?: RequestInit) => {
      const res = await honest(url, init);
      if (!new URL(url).pathname.startsWith('/v1/blobs/') || (init?.method ?? 'GET') !== 'GET') return res;
      const bytes = new Uint8Array(await res.arrayBuffer());
      bytes[bytes.length - 1]! ^= 1;
      return new Response(bytes, { status: res.status });
    },
  });
  const two = await device(tampering);
  await two.api.syncNow(me);
  expect(await two.api.listDrafts(me)).toEqual([]);
  const settings = await waitFor(
    'a sync problem',
    () => two.api.getPrivateSettings(me),
    (s) => s.syncProblem !== undefined,
  );
  expect(settings.syncProblem).toMatch(/Private settings could not sync/);
});

test('no key crosses the API: the private contract names none; no result holds the secret or derived key', async () => {
  const contract = (await readFile(new URL('./types.ts', import.meta.url), 'utf8')).replace(
    /\/\*[\s\S]*?\*\/|\/\/.*$/gm,
    '',
  );
  expect(contract).not.toMatch(/secret|private_?key|seed\b|aead|pointer/i);
  const one = await device();
  const derived = derivePrivateKeys(secretKey);
  const keys = [secretKey, derived.aeadKey, derived.pointerKey].map((k) => Buffer.from(k).toString('hex'));
  const results: unknown[] = [
    await one.api.saveDraft(me, { id: 'd', body: 'text' }),
    await one.api.setMute(me, 'user', 'a0'.repeat(32), true),
    await one.api.setBlock(me, 'b0'.repeat(32) as never, true),
    await one.api.setPrivateFollow(me, 'c0'.repeat(32) as never, true),
    await one.api.setLens(me, 'default', 'following'),
  ];
  await one.api.syncNow(me);
  results.push(await one.api.listDrafts(me), await one.api.getPrivateSettings(me), await one.api.deleteDraft(me, 'd'));
  const text = JSON.stringify(results, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );
  expect(text).toContain('following'); // the scan reads real results
  for (const key of keys) expect(text).not.toContain(key);
});

test('on their own: a change is pushed shortly after, and the device on screen polls and takes it', async () => {
  const quick = { pollMs: 50, pushDelayMs: 20, pushGapMs: 0 };
  const [one, two] = [await device(undefined, quick), await device(undefined, quick)];
  await two.api.setActive(me);
  ok(await one.api.saveDraft(me, { id: 'auto', body: 'no button pressed' }));
  await waitFor(
    'the draft on the other device',
    () => bodies(two),
    (b) => b[0] === 'no button pressed',
  );
  // Typing on: only the newest text travels, and the first device still holds what it wrote.
  ok(await one.api.saveDraft(me, { id: 'auto', body: 'no button pressed, still typing' }));
  await waitFor(
    'the newer text',
    () => bodies(two),
    (b) => b[0] === 'no button pressed, still typing',
  );
  expect(await bodies(one)).toEqual(['no button pressed, still typing']);
});
