/**
 * People on real hubs for the audience tests: a device with one pseudonym and
 * a claimed handle, waiting for its sync, reading its timeline's bodies.
 * (Whether a hub's files hold some text: src/hub/testing/hub-files.ts.)
 */
import { type Device, openDevice } from './device.ts';
import { ok } from './ok.ts';
import { waitFor } from './wait.ts';

/** A person on `hub`; the device joins `devices`, which the test closes. */
export async function person(devices: Device[], hub: { readonly url: string }, name: string) {
  const d = await openDevice();
  devices.push(d);
  const me = await d.api.createPseudonym({ name, homeHub: hub.url });
  const { handle } = ok(await d.api.claimHandle(me.id, name.toLowerCase()));
  return { d, me, handle };
}
export type Person = Awaited<ReturnType<typeof person>>;

export const synced = (p: Person) =>
  waitFor(
    `${p.handle} synced`,
    () => p.d.api.getSyncStatus(p.me.id),
    (s) => s.state === 'synced',
  );

export const bodies = async (p: Person) => (await p.d.api.listTimeline(p.me.id, { limit: 50 })).map((i) => i.body);

/**
 * Alice on `hubA`; Bob and Carol on `hubB` follow her with DM keys on; her inbox brings their follows (neither is
 * approved yet), and `followers` is her list of them.
 */
export async function followedByTwo(devices: Device[], hubA: { readonly url: string }, hubB: { readonly url: string }) {
  const alice = await person(devices, hubA, 'Alice');
  const bob = await person(devices, hubB, 'Bob');
  const carol = await person(devices, hubB, 'Carol');
  for (const p of [bob, carol]) {
    ok(await p.d.api.setProfile(p.me.id, { name: p.me.name }));
    ok(await p.d.api.enableMessages(p.me.id));
    await synced(p);
    ok(await p.d.api.follow(p.me.id, alice.handle));
    await synced(p);
  }
  await alice.d.api.setActive(alice.me.id); // the shown pseudonym's inbox names the people it meets
  const followers = await waitFor(
    'Alice knows both followers, their DM keys held',
    async () => {
      ok(await alice.d.api.refreshInbox(alice.me.id));
      return alice.d.api.listFollowers(alice.me.id);
    },
    (list) => list.length === 2 && list.every((f) => f.canRead && f.name),
  );
  return { alice, bob, carol, followers };
}
