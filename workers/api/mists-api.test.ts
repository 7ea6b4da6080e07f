/**
 * Mists through the facade, as the app calls them, on an offline device: share, the same file again, read with
 * history, update, a secret one (its link kept in the private state, its file sealed in the store), delete.
 * Across devices and hubs: e2e/mists.spec.ts.
 */
import { afterEach, expect, test } from 'vitest';
import { linkContentKey, parseLinkFragment } from '../../src/protocol/audience.ts';
import { type Device, openDevice } from '../testing/device.ts';

const devices: Device[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: string; message: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}: ${result.message}`);
  return result.value;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
const PY = 'def greet(name):\n    return f"hi {name}"\n\nclass Greeter:\n    pass\n';

async function alice() {
  const device = await openDevice();
  devices.push(device);
  const me = await device.api.createPseudonym({ name: 'Alice', homeHub: 'http://hub.invalid' });
  return { api: device.api, me: me.id, db: device.db };
}

test('share a file, share it again, read it with its anchors, update it; every version stays readable', async () => {
  const { api, me } = await alice();
  const made = unwrap(
    await api.createMist(me, { name: 'greet.py', bytes: bytesOf(PY), title: 'Greeter', tags: ['#Py'] }),
  );
  expect(made).toMatchObject({ author: me, existing: false });
  expect(unwrap(await api.createMist(me, { name: 'greet.py', bytes: bytesOf(PY) }))).toEqual({
    id: made.id,
    author: me,
    existing: true,
  });

  const [listed] = await api.listMists(me, { scope: 'following' });
  expect(listed).toMatchObject({ id: made.id, title: 'Greeter', tags: ['py'], artifact: 'code', language: 'python' });
  expect(await api.listMists(me, { scope: 'following', type: 'dataset' })).toEqual([]);

  const first = unwrap(await api.getMist(me, me, made.id));
  expect(first).toMatchObject({ text: PY, mine: true, shown: 0, anchors: ['greet.py::greet', 'greet.py::Greeter'] });

  const v2 = `${PY}# v2\n`;
  unwrap(await api.updateMist(me, made.id, { file: { bytes: bytesOf(v2) }, title: '' }));
  const latest = unwrap(await api.getMist(me, me, made.id));
  expect(latest).toMatchObject({ text: v2, shown: 1, name: 'greet.py' });
  expect(latest.view).toMatchObject({ id: made.id, title: null, versions: 2 });
  expect(latest.history.map((h) => h.size)).toEqual([PY.length, v2.length]);
  expect(unwrap(await api.getMist(me, me, made.id, 0)).text).toBe(PY);
  expect(await api.getMist(me, me, made.id, 2)).toMatchObject({ ok: false, error: 'NotFound' });
});

test('a secret mist: its link in the private state, its file sealed in the store, listed only as the own', async () => {
  const { api, me, db } = await alice();
  const made = unwrap(
    await api.createMist(me, { name: 'key.env', bytes: bytesOf('TOKEN=plaintext-secret'), secret: true }),
  );
  expect(made.link).toMatch(/^http:\/\/hub\.invalid\/#\/mist\/[0-9a-f]{64}\?hub=.*&k=/);
  const detail = unwrap(await api.getMist(me, me, made.id));
  expect(detail).toMatchObject({ text: 'TOKEN=plaintext-secret', link: made.link });
  expect(detail.view.secret).toBe(true);
  expect((await api.listMists(me, { scope: 'mine' })).map((m) => m.id)).toEqual([made.id]);
  expect(await api.listMists(me, { scope: 'following' })).toEqual([]);
  // No blob the store holds carries the plaintext: what would reach a hub is sealed.
  const plain = Buffer.from('plaintext-secret');
  for (const blob of await db.getAll('blobs')) expect(Buffer.from(blob.bytes).includes(plain)).toBe(false);
  const key = new URL(made.link!).hash.split('k=')[1]!;
  expect(linkContentKey(parseLinkFragment(`#k=${key}`))).toHaveLength(32);
});

test('a deleted mist is gone from lists and reads, and the same file is refused, not shared again', async () => {
  const { api, me } = await alice();
  const made = unwrap(await api.createMist(me, { name: 'data.csv', bytes: bytesOf('a,b\n1,2\n') }));
  unwrap(await api.deleteMist(me, made.id));
  expect(await api.listMists(me, { scope: 'mine' })).toEqual([]);
  expect(await api.getMist(me, me, made.id)).toMatchObject({ ok: false, error: 'NotFound' });
  expect(await api.createMist(me, { name: 'data.csv', bytes: bytesOf('a,b\n1,2\n') })).toMatchObject({
    ok: false,
    error: 'Forbidden',
  });
  expect(await api.deleteMist(me, made.id)).toMatchObject({ ok: false, error: 'NotFound' });
});

test('bad input is refused by name and makes nothing', async () => {
  const { api, me } = await alice();
  expect(await api.createMist(me, { name: '../etc/passwd', bytes: bytesOf('x') })).toMatchObject({ ok: false });
  expect(await api.createMist(me, { name: 'empty.txt', bytes: new Uint8Array() })).toMatchObject({
    ok: false,
    error: 'InvalidField',
  });
  const big = new Uint8Array(10 * 1024 * 1024 + 1);
  expect(await api.createMist(me, { name: 'big.bin', bytes: big })).toMatchObject({ ok: false, error: 'TooLarge' });
  expect(await api.getMist(me, me, 'not-an-id' as never)).toMatchObject({ ok: false, error: 'MalformedId' });
  expect(await api.listMists(me, { scope: 'mine' })).toEqual([]);
});
