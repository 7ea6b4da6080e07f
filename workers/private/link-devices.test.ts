/**
 * A link post made on one device of a pseudonym opens on its other devices:
 * its key travels in the sealed private document (private/links.ts), and the
 * laptop, which holds the post's commit sealed and could not open it, gives
 * it its row, with its picture and the link to share. A key that is not the
 * post's opens nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { utf8 } from '../../src/protocol/bytes.ts';
import { pseudonymOf, secretKeyFrom } from '../../src/protocol/keys.ts';
import { linksOf, recordLink } from './links.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { waitFor } from '../testing/wait.ts';
import { adoptLinks } from './link-adopt.ts';

let hub: TestHub;
let phone: Device;
let laptop: Device;
const secretKey = secretKeyFrom(crypto.getRandomValues(new Uint8Array(32)));
const alice = pseudonymOf(secretKey);

// Long timers: the test drives private sync with syncNow.
const deps = { inboxPollMs: 600_000, privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } };

beforeAll(async () => {
  hub = await startTestHub();
  const row = { id: alice, name: 'Alice', hubs: [hub.url], createdAt: 1, secretKey };
  [phone, laptop] = await Promise.all([
    openDevice({ pseudonyms: [row], deps }),
    openDevice({ pseudonyms: [row], deps }),
  ]);
});
afterAll(async () => {
  await Promise.all([phone?.close(), laptop?.close()]);
  await hub?.stop();
});

const synced = (d: Device) =>
  waitFor(
    'synced',
    () => d.api.getSyncStatus(alice),
    (s) => s.state === 'synced',
  );

test('a link post made on the phone opens on the laptop, once, with its picture and its link', async () => {
  const picture = { bytes: utf8(`a picture behind a link ${'y'.repeat(300)}`), type: 'image/png' };
  const posted = ok(await phone.api.post(alice, 'only by link', { audience: { kind: 'link' }, media: [picture] }));
  const after = ok(await phone.api.post(alice, 'a public post after it'));
  await synced(phone);

  // The laptop takes the phone's commits (the link post sealed, with no row: it has no key yet)...
  await waitFor(
    'the laptop holds the phone’s posts',
    async () => {
      await laptop.api.syncNow(alice);
      return laptop.api.listTimeline(alice, { limit: 10 });
    },
    (items) => items.some((i) => i.id === after.id),
  );
  expect((await laptop.api.listTimeline(alice, { limit: 10 })).map((i) => i.id)).not.toContain(posted.id);

  // ...then the key, in the private state; the next pass opens the post.
  await phone.api.syncNow(alice);
  const opened = await waitFor(
    'the laptop opens the link post',
    async () => {
      await laptop.api.syncNow(alice);
      return (await laptop.api.listTimeline(alice, { limit: 10 })).find((i) => i.id === posted.id);
    },
    (item) => item !== undefined,
  );
  expect(opened).toMatchObject({ body: 'only by link', audience: 'link', linkKey: posted.linkKey });
  expect(await laptop.api.findMedia(opened!.media![0]!, posted.id)).toEqual(picture.bytes);
  const ids = (await laptop.api.listTimeline(alice, { limit: 10 })).map((i) => i.id);
  expect(ids.filter((id) => id === posted.id)).toHaveLength(1);
});

test('a key that is not the post’s opens nothing, and a damaged entry is left out', async () => {
  const posted = ok(await phone.api.post(alice, 'another link post', { audience: { kind: 'link' } }));
  await synced(phone);
  await waitFor(
    'the laptop holds its commit',
    async () => {
      await laptop.api.syncNow(alice);
      return laptop.api.getSyncStatus(alice);
    },
    (s) => s.state === 'synced',
  );
  const doc = new Y.Doc();
  recordLink(doc, { post: posted.id, commit: posted.commitId, key: `#k=${'A'.repeat(42)}E` });
  doc.getMap('linkPosts').set(posted.commitId, { commit: 'not an id', key: '#k=short' });
  const links = linksOf(doc);
  expect(links).toHaveLength(1); // the damaged entry is not trusted
  expect(await adoptLinks(laptop.db, alice, links)).toBe(0);
  expect((await laptop.api.listTimeline(alice, { limit: 10 })).map((i) => i.body)).not.toContain('another link post');
  // Control: its own key opens it, once.
  const right = [{ post: posted.id, commit: posted.commitId, key: posted.linkKey! }];
  expect(await adoptLinks(laptop.db, alice, right)).toBe(1);
  expect(await adoptLinks(laptop.db, alice, right)).toBe(0);
  expect((await laptop.api.listTimeline(alice, { limit: 10 })).map((i) => i.body)).toContain('another link post');
});
