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
