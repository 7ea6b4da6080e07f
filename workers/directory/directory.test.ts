/**
 * The directory from a pseudonym's settings to another's Discover page,
 * through a real hub: nothing is listed until the pseudonym chooses it; once
 * listed and synced its card (handle, name, topics, a short bio) is found
 * by topic and by words, verified; taking it out puts an unlisting that the
 * hub answers with instead. Blocked people and the reader itself are left out.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import { createHubClient } from '../../src/hub-client/client.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { waitFor } from '../testing/wait.ts';
import { wantedListing } from './listing-sync.ts';

/** Passes run when a test says (syncNow), never on a timer. */
const MANUAL = { pollMs: 600_000, pushDelayMs: 600_000 };

let hub: TestHub;
const devices: Device[] = [];
beforeEach(async () => {
  hub = await startTestHub();
});
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await hub.stop();
});

async function person(name: string, topics: readonly string[] = []) {
  const d = await openDevice({ deps: { privateSync: MANUAL } });
  devices.push(d);
  const me = await d.api.createPseudonym({ name, homeHub: hub.url });
  const { handle } = ok(await d.api.claimHandle(me.id, name.toLowerCase()));
  ok(await d.api.setProfile(me.id, { name, bio: `${name} writes about ${topics.join(' and ')}`, topics }));
  return { d, me, handle };
}
const held = async () => (await createHubClient(hub.url, fetch).listDirectory({})).listings;

test('a listed pseudonym is found by topic, and by words once searchable, with its card; not before', async () => {
  const alice = await person('Alice', ['birds', 'maps']);
  const bob = await person('Bob');
  await alice.d.api.syncNow(alice.me.id);
  expect(await held()).toEqual([]); // the default: nothing published

  expect(ok(await alice.d.api.setDiscoverable(alice.me.id, true)).listing).toBe('listed');
  await alice.d.api.syncNow(alice.me.id);
  const card = {
    id: alice.me.id,
    handle: alice.handle,
    name: 'Alice',
    bio: 'Alice writes about birds and maps',
    topics: ['birds', 'maps'],
    listedAt: expect.any(Number),
    followed: false,
  };
  expect(ok(await bob.d.api.discover(bob.me.id, { topic: '#Birds' }))).toEqual({ people: [card] });
  // Found by words only once searchable too (off by default, like listing itself).
  expect(ok(await bob.d.api.discover(bob.me.id, { q: 'MAPS' })).people).toEqual([]);
  expect(ok(await alice.d.api.setSearchable(alice.me.id, true)).searchable).toBe(true);
  await alice.d.api.syncNow(alice.me.id);
  expect(ok(await bob.d.api.discover(bob.me.id, { q: 'MAPS' })).people).toEqual([card]);
  expect(ok(await bob.d.api.discover(bob.me.id, { topic: 'cats' })).people).toEqual([]);
  expect(ok(await alice.d.api.discover(alice.me.id, {})).people).toEqual([]); // itself left out
  // And every pseudonym of the reader's device: following one's own other pseudonym would tie the two.
  const nora = await alice.d.api.createPseudonym({ name: 'Nora', homeHub: hub.url });
  expect(ok(await alice.d.api.discover(nora.id, { topic: 'birds' })).people).toEqual([]);
  expect(ok(await bob.d.api.discover(bob.me.id, { topic: 'birds' })).people).toHaveLength(1); // the control

  ok(await bob.d.api.follow(bob.me.id, alice.handle));
  expect(ok(await bob.d.api.discover(bob.me.id, { topic: 'birds' })).people).toEqual([{ ...card, followed: true }]);
});

test('a new topic reaches the card; taking it out of the directory removes it from the hub’s answers', async () => {
  const alice = await person('Alice', ['birds']);
  const bob = await person('Bob');
  ok(await alice.d.api.setDiscoverable(alice.me.id, true));
  await alice.d.api.syncNow(alice.me.id);
  ok(await alice.d.api.setProfile(alice.me.id, { topics: ['birds', 'rivers'] }));
  await alice.d.api.syncNow(alice.me.id);
  expect(ok(await bob.d.api.discover(bob.me.id, { topic: 'rivers' })).people.map((p) => p.id)).toEqual([alice.me.id]);

  ok(await alice.d.api.setDiscoverable(alice.me.id, false));
  await alice.d.api.syncNow(alice.me.id);
  expect(ok(await bob.d.api.discover(bob.me.id, { topic: 'birds' })).people).toEqual([]);
  expect(await held()).toEqual([]);
});

test('a blocked pseudonym is left out of the directory its blocker reads', async () => {
  const alice = await person('Alice', ['birds']);
  const bob = await person('Bob');
  ok(await alice.d.api.setDiscoverable(alice.me.id, true));
  await alice.d.api.syncNow(alice.me.id);
  expect(ok(await bob.d.api.discover(bob.me.id, {})).people).toHaveLength(1); // the control
  ok(await bob.d.api.setBlock(bob.me.id, alice.me.id, true));
  expect(ok(await bob.d.api.discover(bob.me.id, {})).people).toEqual([]);
});

test('what a listing says: nothing until chosen, nothing before a handle, an unlisting once taken out', () => {
  const fields = { handle: 'a@hub.test', name: 'A', bio: 'b'.repeat(300), topics: ['birds', 'Not A Topic'] };
  const listed = { listing: 'listed', searchable: false } as const;
  expect(wantedListing({ ...listed, listing: 'never' }, fields)).toBeUndefined();
  expect(wantedListing(listed, { name: 'A' })).toBeUndefined();
  expect(wantedListing({ ...listed, listing: 'unlisted', searchable: true }, fields)).toEqual({ unlisted: true });
  const card = { handle: 'a@hub.test', name: 'A', bio: 'b'.repeat(280), topics: ['birds'] };
  expect(wantedListing(listed, fields)).toEqual(card);
  expect(wantedListing({ ...listed, searchable: true }, fields)).toEqual({ ...card, searchable: true });
});

test('a topic page: listed people under it and their newest posts on it, fetched unfollowed; mutes apply', async () => {
  const alice = await person('Alice', ['birds']);
  const bob = await person('Bob');
  ok(await alice.d.api.post(alice.me.id, 'a heron at dawn', { tags: ['birds'] }));
  ok(await alice.d.api.post(alice.me.id, 'cats all day', { tags: ['cats'] }));
  ok(await alice.d.api.post(alice.me.id, 'wrens in the hedge', { tags: ['birds'] }));
  ok(await alice.d.api.setDiscoverable(alice.me.id, true));
  await alice.d.api.syncNow(alice.me.id);
  await waitFor(
    'her posts on the hub',
    () => alice.d.api.getSyncStatus(alice.me.id),
    (s) => s.state === 'synced',
  );

  const page = ok(await bob.d.api.readTopic(bob.me.id, '#Birds'));
  expect(page.people.map((p) => [p.id, p.followed])).toEqual([[alice.me.id, false]]);
  expect(page.posts.map((p) => [p.body, p.authorHandle])).toEqual([
    ['wrens in the hedge', alice.handle],
    ['a heron at dawn', alice.handle],
  ]);
  // Read for the topic page only: Bob's own timeline stays his follows'.
  expect(await bob.d.api.listTimeline(bob.me.id, { limit: 10 })).toEqual([]);

  ok(await bob.d.api.setMute(bob.me.id, 'word', 'heron', true));
  expect(ok(await bob.d.api.readTopic(bob.me.id, 'birds')).posts.map((p) => p.body)).toEqual(['wrens in the hedge']);
});
