/** The facade as the UI uses it: results as values, the page's online flag, and change notices. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import type { Change } from './api-types.ts';
import { deferredApi } from './deferred-api.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { waitFor } from '../testing/wait.ts';

let hub: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

async function device(): Promise<Device> {
  const d = await openDevice();
  devices.push(d);
  return d;
}

test('pseudonyms: created from injected randomness, listed without secrets', async () => {
  const d = await device();
  const a = await d.api.createPseudonym({ name: '  Alice ', homeHub: `${hub.url}/some/path` });
  const b = await d.api.createPseudonym({ name: 'Bob', homeHub: hub.url });
  expect(a.id).not.toBe(b.id);
  expect(a).toMatchObject({ name: 'Alice', hubs: [hub.url] });
  const list = await d.api.listPseudonyms();
  expect(list.map((p) => p.id)).toEqual([a.id, b.id]);
  expect(JSON.stringify(list)).not.toMatch(/secret/i);
  await expect(d.api.createPseudonym({ name: '', homeHub: hub.url })).rejects.toMatchObject({ name: 'InvalidField' });
  await expect(d.api.createPseudonym({ name: 'X', homeHub: 'ftp://nope' })).rejects.toMatchObject({
    name: 'InvalidField',
  });
});

test('expected failures come back as values with a name and words', async () => {
  const d = await device();
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  expect(await d.api.post(me.id, '   ')).toMatchObject({ ok: false, error: 'InvalidField' });
  expect(await d.api.post(me.id, 'x'.repeat(5000))).toMatchObject({ ok: false, error: 'TooLarge' });
  expect(await d.api.post('f'.repeat(64) as PseudonymId, 'hi')).toMatchObject({ ok: false, error: 'NotFound' });
  expect(await d.api.claimHandle(me.id, 'Not Valid!')).toMatchObject({ ok: false, error: 'InvalidField' });
  const failure = await d.api.follow(me.id, 'alice@');
  expect(failure.ok).toBe(false);
  if (!failure.ok) expect(failure.message.length).toBeGreaterThan(0);
});

test('the page says offline: nothing is sent, the status says offline with the count; online, it pushes', async () => {
  const d = await device();
  const me = await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await waitFor(
    'synced',
    () => d.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  const notices: Change[] = [];
  await d.api.subscribe((c) => void notices.push(c));

  await d.api.setOnline(false);
  const sent = d.net.log.length;
  await d.api.post(me.id, 'one');
  await d.api.post(me.id, 'two');
  await d.api.syncNow(me.id);
  expect(await d.api.getSyncStatus(me.id)).toMatchObject({ state: 'offline', queued: 2 });
  expect(d.net.log.length).toBe(sent);
  expect(notices).toContainEqual({ kind: 'sync', pseudonym: me.id });
  expect(notices).toContainEqual({ kind: 'timeline', pseudonym: me.id });

  await d.api.setOnline(true);
  await waitFor(
    'synced again',
    () => d.api.getSyncStatus(me.id),
    (s) => s.state === 'synced',
  );
  expect((await d.api.getSyncStatus(me.id)).queued).toBe(0);
});

test('a hub refusal is an error in words, not offline', async () => {
  // A hub that refuses every blob as too large (as it does for an oversized one).
  const refusing = await openDevice({
    deps: {
      fetch: async (url, init) =>
        init?.method === 'PUT' && url.includes('/v1/blobs/')
          ? Response.json({ error: 'TooLarge', message: 'blob over the limit' }, { status: 413 })
          : fetch(url, init),
    },
  });
  devices.push(refusing);
  const me = await refusing.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  await refusing.api.post(me.id, 'will be refused');
  const status = await waitFor(
    'error',
    () => refusing.api.getSyncStatus(me.id),
    (s) => s.state === 'error',
  );
  expect(status.queued).toBe(1);
  expect(status.message).toMatch(/too large/);
});

test('the worker entry can take calls before the database is open: they wait for it', async () => {
  const d = await device();
  let open!: (api: typeof d.api) => void;
  const early = deferredApi(new Promise((resolve) => (open = resolve)));
  const listed = early.listPseudonyms();
  await d.api.createPseudonym({ name: 'Alice', homeHub: hub.url });
  open(d.api);
  expect((await listed).map((p) => p.name)).toEqual(['Alice']);
});
