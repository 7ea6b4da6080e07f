/**
 * What a sealed post carries besides its text, across real hubs: its media and its edits are sealed under its
 * content key, so exactly its readers see them (the author, the approved follower, whoever holds the link), a
 * device that cannot open the post gets nothing (never the ciphertext as a picture), and hubs hold no plaintext.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { utf8 } from '../../src/protocol/bytes.ts';
import { hashBytes } from '../../src/protocol/ids.ts';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { hubHolds } from '../../src/hub/testing/hub-files.ts';
import type { TimelineItem } from '../api/api-types.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { type Person, followedByTwo, person, synced } from '../testing/people.ts';
import { waitFor } from '../testing/wait.ts';

let hubA: TestHub;
let hubB: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  [hubA, hubB] = await Promise.all([startTestHub(), startTestHub()]);
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all([hubA.stop(), hubB.stop()]);
});

/** A picture whose bytes carry a marker a hub's files must not hold in the clear. */
function picture(marker: string) {
  return { bytes: utf8(`\u0089PNG fake picture ${marker} ${'x'.repeat(2000)}`), type: 'image/png' };
}

/** The item `p` sees for post `id`, once its sync brought it (and, with `body`, once it shows that body). */
async function seen(p: Person, id: string, body?: string): Promise<TimelineItem> {
  const item = await waitFor(
    `${p.handle} sees ${id.slice(0, 8)}${body ? ` as "${body}"` : ''}`,
    async () => {
      await p.d.api.syncNow(p.me.id);
      return (await p.d.api.listTimeline(p.me.id, { limit: 20 })).find((i) => i.id === id);
    },
    (item) => item !== undefined && (body === undefined || item.body === body),
  );
  return item!;
}

test('a followers post’s picture: its approved follower sees it, the other gets nothing, no hub holds it', async () => {
  const { alice, bob, carol } = await followedByTwo(devices, hubA, hubB);
  ok(await alice.d.api.setFollowerApproved(alice.me.id, bob.me.id, true));
  const marker = `sealed-picture-${crypto.randomUUID()}`;
  const image = picture(marker);
  const sealed = ok(
    await alice.d.api.post(alice.me.id, 'look at this', { audience: { kind: 'followers' }, media: [image] }),
  );
  const openMarker = `public-picture-${crypto.randomUUID()}`;
  const open = ok(await alice.d.api.post(alice.me.id, 'and this one for all', { media: [picture(openMarker)] }));
  await synced(alice);

  const atBob = await seen(bob, sealed.id);
  const [media] = atBob.media ?? [];
  expect(atBob).toMatchObject({ body: 'look at this', audience: 'followers' });
  expect(media).toBeDefined();
  expect(media).not.toBe(hashBytes(image.bytes)); // the post names the sealed bytes
  expect(await bob.d.api.findMedia(media!, sealed.id)).toEqual(image.bytes);
  expect(await bob.d.api.findMedia(media!)).toBeUndefined(); // no post, no key: never the ciphertext
  expect(await alice.d.api.findMedia(media!, sealed.id)).toEqual(image.bytes);

  await seen(carol, open.id); // read past the sealed post: she holds its blobs, not its row
  expect(await carol.d.api.findMedia(media!, sealed.id)).toBeUndefined();
  expect(await carol.d.api.findMedia(media!, open.id)).toBeUndefined(); // another post's key opens nothing

  for (const hub of [hubA, hubB]) expect(await hubHolds(hub.dataDir, marker)).toBe(false);
  expect(await hubHolds(hubA.dataDir, openMarker)).toBe(true); // the search can say yes
});

test('a followers post’s edit is sealed too: its reader sees the new text and history, no hub does', async () => {
  const { alice, bob, carol } = await followedByTwo(devices, hubA, hubB);
  ok(await alice.d.api.setFollowerApproved(alice.me.id, bob.me.id, true));
  const image = picture(crypto.randomUUID());
  const sealed = ok(
    await alice.d.api.post(alice.me.id, 'first words', { audience: { kind: 'followers' }, media: [image] }),
  );
  await synced(alice);
  await seen(bob, sealed.id);

  const words = `second words ${crypto.randomUUID()}`;
  ok(await alice.d.api.edit(alice.me.id, sealed.id, words));
  const own = (await alice.d.api.listTimeline(alice.me.id, { limit: 10 })).find((i) => i.id === sealed.id);
  expect(own).toMatchObject({ body: words, edited: true, audience: 'followers' });
  await synced(alice);

  const edited = await seen(bob, sealed.id, words);
  expect(edited).toMatchObject({ edited: true, audience: 'followers' });
  expect((await bob.d.api.getEditHistory(bob.me.id, sealed.id)).map((v) => v.body)).toEqual(['first words', words]);
  expect(await bob.d.api.findMedia(edited.media![0]!, sealed.id)).toEqual(image.bytes); // the edit keeps its media

  const marker = `public after ${crypto.randomUUID()}`;
  const after = ok(await alice.d.api.post(alice.me.id, marker));
  await synced(alice);
  await seen(carol, after.id);
  expect((await carol.d.api.listTimeline(carol.me.id, { limit: 20 })).map((i) => i.body)).not.toContain(words);
  expect(await carol.d.api.getEditHistory(carol.me.id, sealed.id)).toEqual([]);
  for (const hub of [hubA, hubB]) expect(await hubHolds(hub.dataDir, words)).toBe(false);
  expect(await hubHolds(hubA.dataDir, marker)).toBe(true);
});

test('a link post with a picture: the link opens both in a fresh browser, and the hub holds neither', async () => {
  const alice = await person(devices, hubA, 'Alice');
  const marker = `linked-picture-${crypto.randomUUID()}`;
  const image = picture(marker);
  const posted = ok(await alice.d.api.post(alice.me.id, 'by link', { audience: { kind: 'link' }, media: [image] }));
  await synced(alice);
  expect(await hubHolds(hubA.dataDir, marker)).toBe(false);

  const stranger = await openDevice(); // no pseudonym at all
  devices.push(stranger);
  const link = { hub: hubA.url, commit: posted.commitId, key: posted.linkKey! };
  const opened = ok(await stranger.api.openLink(link));
  expect(opened.media).toHaveLength(1);
  expect(await stranger.api.findMedia(opened.media![0]!, opened.id)).toEqual(image.bytes);
  expect(await stranger.api.findMedia(opened.media![0]!)).toBeUndefined();
});

test('a medium with no room left for its seal is refused by name, and nothing is committed', async () => {
  const alice = await person(devices, hubA, 'Alice');
  const big = { bytes: new Uint8Array(10 * 1024 * 1024 - 10), type: 'image/png' };
  big.bytes[0] = 1;
  const result = await alice.d.api.post(alice.me.id, 'too big sealed', { audience: { kind: 'link' }, media: [big] });
  expect(result).toMatchObject({ ok: false, error: 'TooLarge' });
  expect(await alice.d.api.listTimeline(alice.me.id, { limit: 10 })).toEqual([]);
});
