/**
 * exportFeed and importFeed through the facade, as the UI calls them: a feed with media, an edit, a profile
 * and private state goes to a new device in one file and comes back the same, byte for byte; a damaged file
 * is refused by name and leaves the new device as it was.
 */
import { afterEach, expect, test } from 'vitest';
import { readFeedFile } from '../../src/protocol/feed-file-reader.ts';
import { pickVerify } from '../../src/protocol/keys.ts';
import { type Device, openDevice } from '../testing/device.ts';

const devices: Device[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

/** A device whose passphrase KDF is cheap (a test's scrypt, as keys.test.ts's devices use the default). */
async function device(stageBytes?: number): Promise<Device> {
  const d = await openDevice({
    deps: { scrypt: { N: 2 ** 14, r: 8, p: 1 }, ...(stageBytes !== undefined && { feedFileStageBytes: stageBytes }) },
  });
  devices.push(d);
  return d;
}

async function contentOf(file: Blob): Promise<string[]> {
  const out: string[] = [];
  const stream = async function* () {
    yield new Uint8Array(await file.arrayBuffer());
  };
  for await (const item of readFeedFile(stream(), { verify: await pickVerify(), now: Date.now() }))
    if (item.kind === 'commit')
      out.push(
        item.commit.signed.id,
        ...item.commit.blobs.map((b) => `${b.id}:${Buffer.from(b.bytes).toString('hex')}`),
      );
  return out;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Both ways an import applies: from what its verifying read kept, and by reading the file again. */
const PATHS = [
  { path: 'kept from the verifying read', stageBytes: undefined },
  { path: 'read again to apply', stageBytes: 0 },
];

test.each(PATHS)(
  '($path) a feed exported with its key is, imported on a new device, the same feed',
  async ({ stageBytes }) => {
    const a = await device();
    const me = await a.api.createPseudonym({ name: 'Alice', homeHub: 'http://hub.invalid' });
    const image = { bytes: new TextEncoder().encode('pixels'), type: 'image/png' };
    const first = unwrap(await a.api.post(me.id, 'hello', { media: [image], tags: ['x'] }));
    unwrap(await a.api.post(me.id, 'second'));
    unwrap(await a.api.edit(me.id, first.id, 'hello, edited'));
    unwrap(await a.api.setProfile(me.id, { name: 'Alice A.', avatar: image }));
    unwrap(await a.api.setMute(me.id, 'word', 'spoilers', true));
    const exported = unwrap(await a.api.exportFeed(me.id, { passphrase: 'a long passphrase' }));
    expect(exported).toMatchObject({ commits: 4, fileName: expect.stringMatching(/\.feed$/) });

    const b = await device(stageBytes);
    expect(await b.api.importFeed(exported.file)).toMatchObject({ ok: false, error: 'InvalidField' });
    expect(await b.api.importFeed(exported.file, 'wrong passphrase')).toMatchObject({
      ok: false,
      error: 'WrongPassphrase',
    });
    expect(await b.api.listPseudonyms()).toEqual([]);
    const imported = unwrap(await b.api.importFeed(exported.file, 'a long passphrase'));
    expect(imported).toMatchObject({ pseudonym: { id: me.id, name: 'Alice' }, commits: 4, added: 4, key: true });
    const page = { limit: 50 };
    expect(await b.api.listTimeline(me.id, page)).toEqual(await a.api.listTimeline(me.id, page));
    expect((await b.api.getPrivateSettings(me.id)).mutedWords.map((w) => w.value)).toEqual(['spoilers']);
    const again = unwrap(await b.api.exportFeed(me.id));
    expect(await contentOf(again.file)).toEqual(await contentOf(exported.file));
    // Taken in twice: nothing new.
    expect(unwrap(await b.api.importFeed(again.file))).toMatchObject({ commits: 4, added: 0, key: false });
  },
);

test.each(PATHS)(
  '($path) a damaged file is refused by name and the device is left as it was',
  async ({ stageBytes }) => {
    const a = await device();
    const me = await a.api.createPseudonym({ name: 'Alice', homeHub: 'http://hub.invalid' });
    unwrap(await a.api.post(me.id, 'hello'));
    const { file } = unwrap(await a.api.exportFeed(me.id, { passphrase: 'a long passphrase' }));
    const b = await device(stageBytes);
    const cut = file.slice(0, file.size - 10);
    expect(await b.api.importFeed(cut, 'a long passphrase')).toMatchObject({ ok: false, error: 'Truncated' });
    const bytes = new Uint8Array(await file.arrayBuffer());
    bytes[bytes.length - 50]! ^= 1;
    expect(await b.api.importFeed(new Blob([bytes]), 'a long passphrase')).toMatchObject({ ok: false });
    expect(await b.api.importFeed(new Blob(['not a feed']), 'x')).toMatchObject({ ok: false, error: 'DecodeError' });
    expect(await b.api.listPseudonyms()).toEqual([]);
  },
);

test('an export and an import say how far they are: each phase counts up to the whole, then nothing runs', async () => {
  const a = await device();
  const me = await a.api.createPseudonym({ name: 'Alice', homeHub: 'http://hub.invalid' });
  for (let i = 0; i < 150; i++) unwrap(await a.api.post(me.id, `post ${i}`));
  const seen: string[] = [];
  const watch = async (d: Device) =>
    d.api.subscribe(async (change) => {
      if (change.kind !== 'feed-file') return;
      const p = await d.api.findFeedFileProgress();
      seen.push(p ? `${p.phase} ${p.done}/${p.total}` : 'idle');
    });
  await watch(a);
  const { file, commits } = unwrap(await a.api.exportFeed(me.id));
  expect(commits).toBe(150);
  const b = await device();
  await watch(b);
  await b.db.put('pseudonyms', (await a.db.get('pseudonyms', me.id))!);
  unwrap(await b.api.importFeed(file));
  await expect.poll(() => seen.filter((s) => s === 'idle').length).toBe(2);
  // Notices come at each hundred and at the end of a phase (the progress is read when one is heard).
  const phases = seen.map((s) => s.split(' ')[0]);
  expect([...new Set(phases)]).toEqual(['exporting', 'idle', 'checking', 'storing']);
  expect(seen).toContain('exporting 150/150');
  expect(seen).toContain('checking 150/150');
  expect(seen.filter((s) => s.startsWith('storing')).at(-1)).toBe('storing 150/150');
  expect(await a.api.findFeedFileProgress()).toBeUndefined();
});
