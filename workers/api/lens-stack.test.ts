/**
 * The adjacent and fresh lenses from a person's settings to its home feed,
 * through a real hub's directory. Bob's topic is #birds; Carol, whom he
 * follows, posts #birds with #herons, so #herons is adjacent to his topics;
 * Dave, listed under #herons and not followed, comes in through the adjacent
 * lens, labelled with why. Erin lists herself the day she starts: her first
 * posts come in through the fresh lens; Olga, listed today but posting for a
 * month, does not (her first post is old). Off, each lens's items are gone;
 * blocks and mutes hold first.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { FRESH_LIMITS } from '../read/lenses.ts';

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

/** A person on the hub whose clock runs `clock.offset` ms from the real one. */
async function person(name: string, topics: readonly string[], clock = { offset: 0 }) {
  const d = await openDevice({ deps: { privateSync: MANUAL, now: () => Date.now() + clock.offset } });
  devices.push(d);
  const me = await d.api.createPseudonym({ name, homeHub: hub.url });
  const { handle } = ok(await d.api.claimHandle(me.id, name.toLowerCase()));
  ok(await d.api.setProfile(me.id, { name, topics }));
  const post = async (body: string, tags: string[] = []) => ok(await d.api.post(me.id, body, { tags }));
  const list = async () => {
    ok(await d.api.setDiscoverable(me.id, true));
    await d.api.syncNow(me.id);
  };
  return { d, me, handle, post, list };
}

/** What `reader`'s home feed shows: each body with the lens that brought it, if one did. */
async function home(reader: Awaited<ReturnType<typeof person>>) {
  const items = await reader.d.api.listTimeline(reader.me.id, { limit: 20 });
  return items.map((i) => (i.lens ? `${i.body} [${i.lens.name}: ${i.lens.why}]` : i.body));
}

async function lensOn(reader: Awaited<ReturnType<typeof person>>, name: string, share: number | undefined) {
  ok(await reader.d.api.setLens(reader.me.id, `${name}.share`, share));
  await reader.d.api.syncNow(reader.me.id);
}

test('adjacent lens: posts on a topic seen alongside mine from a listed stranger, labelled; off, gone', async () => {
  const bob = await person('Bob', ['birds']);
  const carol = await person('Carol', ['birds']);
  const dave = await person('Dave', ['herons']);
  await carol.post('a heron on one leg', ['birds', 'herons']);
  await carol.d.api.syncNow(carol.me.id);
  await dave.post('the herons are back at the pond', ['herons']);
  await dave.post('my lunch', []);
  await dave.list();
  ok(await bob.d.api.follow(bob.me.id, carol.handle));

  await lensOn(bob, 'topics', 30);
  expect(await home(bob)).toEqual(['a heron on one leg']); // Dave is not listed under #birds
  await lensOn(bob, 'adjacent', 30);
  expect(await home(bob)).toEqual([
    'the herons are back at the pond [adjacent: #herons: seen with your #birds in 1 post you read; listed under it; ' +
      'you do not follow them]',
    'a heron on one leg',
  ]);
  await lensOn(bob, 'adjacent', undefined);
  expect(await home(bob)).toEqual(['a heron on one leg']);
});

test('fresh lens: the first posts of the newly listed, not of one listed today who posted long ago', async () => {
  const bob = await person('Bob', ['birds']);
  const erin = await person('Erin', ['knitting']);
  const olgaClock = { offset: -2 * FRESH_LIMITS.windowMs };
  const olga = await person('Olga', ['knitting'], olgaClock);
  await olga.post('hello from long ago');
  await olga.d.api.syncNow(olga.me.id);
  olgaClock.offset = 0;
  await olga.post('still here');
  await olga.list();
  for (const n of [1, 2, 3, 4]) await erin.post(`erin's post ${n}`);
  await erin.list();

  await lensOn(bob, 'fresh', 30);
  const why = 'new here: first posted today; listed in your hub’s directory; you do not follow them';
  // 30% of a page of 20 could take 6: Erin's first three come in, her fourth and Olga's none.
  expect(await home(bob)).toEqual([1, 2, 3].reverse().map((n) => `erin's post ${n} [fresh: ${why}]`));
  expect(await listedIds(bob)).toContain(olga.me.id); // Olga is listed: her first post's age keeps her out

  ok(await bob.d.api.follow(bob.me.id, erin.handle));
  expect(await home(bob)).toEqual([4, 3, 2, 1].map((n) => `erin's post ${n}`)); // followed: plain posts
  await lensOn(bob, 'fresh', undefined);
  expect(await home(bob)).toEqual([4, 3, 2, 1].map((n) => `erin's post ${n}`));
});

async function listedIds(reader: Awaited<ReturnType<typeof person>>): Promise<PseudonymId[]> {
  return ok(await reader.d.api.discover(reader.me.id, {})).people.map((p) => p.id);
}

test('blocks and mutes come first: a lens brings nothing from a blocked person or on a muted tag', async () => {
  const bob = await person('Bob', ['birds']);
  const erin = await person('Erin', ['birds']);
  const finn = await person('Finn', ['birds']);
  await erin.post('first light', ['birds']);
  await erin.list();
  await finn.post('a finch', ['birds', 'finches']);
  await finn.list();
  await lensOn(bob, 'fresh', 10); // 10% of 20: two
  const why = 'new here: first posted today; listed in your hub’s directory; you do not follow them';
  expect((await home(bob)).sort()).toEqual([`a finch [fresh: ${why}]`, `first light [fresh: ${why}]`]);
  ok(await bob.d.api.setBlock(bob.me.id, erin.me.id, true));
  ok(await bob.d.api.setMute(bob.me.id, 'tag', 'finches', true));
  expect(await home(bob)).toEqual([]);
});

test("a device's other pseudonym is never a lens item, and its feed is not fetched as this one's", async () => {
  const heads: string[] = [];
  const recording: typeof fetch = (input, init) => {
    const url = new Request(input, init).url;
    if (url.includes('/v1/heads?')) heads.push(url);
    return fetch(input, init);
  };
  const d = await openDevice({ deps: { privateSync: MANUAL, fetch: recording } });
  devices.push(d);
  const bob = await d.api.createPseudonym({ name: 'Bob', homeHub: hub.url });
  ok(await d.api.claimHandle(bob.id, 'bob'));
  const nora = await d.api.createPseudonym({ name: 'Nora', homeHub: hub.url });
  ok(await d.api.claimHandle(nora.id, 'nora'));
  ok(await d.api.post(nora.id, 'nora, new and listed'));
  ok(await d.api.setDiscoverable(nora.id, true));
  await d.api.syncNow(nora.id);
  const erin = await person('Erin', ['knitting']);
  await erin.post('erin, new and listed');
  await erin.list();

  heads.length = 0;
  ok(await d.api.setLens(bob.id, 'fresh.share', 30));
  await d.api.syncNow(bob.id);
  const bodies = (await d.api.listTimeline(bob.id, { limit: 20 })).map((i) => i.body);
  expect(bodies).toEqual(['erin, new and listed']); // the lens works: Erin, a stranger, comes in
  expect(heads.some((url) => url.includes(erin.me.id))).toBe(true); // and her feed was fetched for it
  expect(heads.filter((url) => url.includes(nora.id))).toEqual([]);
});
