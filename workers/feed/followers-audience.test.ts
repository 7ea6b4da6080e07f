/**
 * Posts for approved followers, across real hubs: the author learns who follows from their verified follow
 * notices, approves some, and each followers post is sealed to those approved when it is made. Taking a follower
 * off seals later posts without them; what they could read stays readable. Hubs hold ciphertext only.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { Device } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';
import { type Person, bodies, followedByTwo, person as personOn, synced } from '../testing/people.ts';
import { hubHolds } from '../../src/hub/testing/hub-files.ts';
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

const person = (hub: TestHub, name: string) => personOn(devices, hub, name);

async function followed() {
  const { alice, bob, carol, followers } = await followedByTwo(devices, hubA, hubB);
  // Named by their profiles, fetched from hub B, where their notices said their feeds live.
  expect(followers.map((f) => [f.name, f.id, f.approved]).sort()).toEqual([
    ['Bob', bob.me.id, false],
    ['Carol', carol.me.id, false],
  ]);
  return { alice, bob, carol };
}

/** Alice posts for her approved followers, then a public post each follower must see (read past the sealed one). */
async function followersPost(alice: Person, readers: readonly Person[]) {
  const body = `for approved eyes ${crypto.randomUUID()}`;
  const sealed = ok(await alice.d.api.post(alice.me.id, body, { audience: { kind: 'followers' } }));
  const marker = `public after ${sealed.id.slice(0, 8)}`;
  ok(await alice.d.api.post(alice.me.id, marker));
  await synced(alice);
  for (const p of readers) {
    await p.d.api.syncNow(p.me.id);
    await waitFor(
      `${p.handle} read past the sealed post`,
      () => bodies(p),
      (b) => b.includes(marker),
    );
  }
  return { body, sealed };
}

test('a followers post: the approved follower reads it, the one waiting does not; hubs hold no plaintext', async () => {
  const { alice, bob, carol } = await followed();
  ok(await alice.d.api.setFollowerApproved(alice.me.id, bob.me.id, true));
  const { body, sealed } = await followersPost(alice, [bob, carol]);

  const own = (await alice.d.api.listTimeline(alice.me.id, { limit: 10 })).find((i) => i.id === sealed.id);
  expect(own).toMatchObject({ body, audience: 'followers' });
  const atBob = (await bob.d.api.listTimeline(bob.me.id, { limit: 10 })).find((i) => i.id === sealed.id);
  expect(atBob).toMatchObject({ author: alice.me.id, body, audience: 'followers' });
  expect(await bodies(carol)).not.toContain(body);
  expect(await carol.d.api.findThread(carol.me.id, sealed.id)).toBeUndefined();
  for (const hub of [hubA, hubB]) expect(await hubHolds(hub.dataDir, body)).toBe(false);
  expect(await hubHolds(hubA.dataDir, `public after ${sealed.id.slice(0, 8)}`)).toBe(true); // the search can say yes
});

test('taking a follower off affects later posts only; approving another lets them read from then on', async () => {
  const { alice, bob, carol } = await followed();
  ok(await alice.d.api.setFollowerApproved(alice.me.id, bob.me.id, true));
  const first = await followersPost(alice, [bob, carol]);
  ok(await alice.d.api.setFollowerApproved(alice.me.id, bob.me.id, false));
  ok(await alice.d.api.setFollowerApproved(alice.me.id, carol.me.id, true));
  expect((await alice.d.api.listFollowers(alice.me.id)).map((f) => [f.name, f.approved])).toEqual([
    ['Bob', false], // waiting again, listed first
    ['Carol', true],
  ]);
  const second = await followersPost(alice, [bob, carol]);

  expect(await bodies(bob)).toContain(first.body); // what Bob could read stays readable
  expect(await bodies(bob)).not.toContain(second.body);
  expect(await bodies(carol)).toContain(second.body);
  expect(await bodies(carol)).not.toContain(first.body);
});

test('a follower cannot approve themselves as their own reader; an unknown audience kind is refused', async () => {
  const alice = await person(hubA, 'Alice');
  const self = await alice.d.api.setFollowerApproved(alice.me.id, alice.me.id, true);
  expect(self).toMatchObject({ ok: false, error: 'InvalidField' });
  const odd = await alice.d.api.post(alice.me.id, 'x', { audience: { kind: 'friends' } as never });
  expect(odd).toMatchObject({ ok: false, error: 'InvalidField' });
});
