/**
 * Two pseudonyms of one device on a hub that has aliases: every request the
 * core sends for one goes to its own alias (so, in a browser, on connections
 * of its own), none of them names the other, and the hub's own name gets
 * only its info read, which names no one. A hub without aliases is reached at
 * its own name, as before. The alias names resolve here as wildcard DNS
 * would: the test's fetch sends them to the hub's address.
 */
import { afterEach, expect, test } from 'vitest';
import { type TestHub, startTestHub } from '../../src/hub/testing/hub-fixture.ts';
import type { PseudonymId } from '../../src/protocol/ids.ts';
import { type Device, openDevice } from '../testing/device.ts';
import { ok } from '../testing/ok.ts';

interface Sent {
  readonly host: string;
  readonly path: string;
  /** The URL, headers and body as text, to look for ids in. */
  readonly text: string;
}

const devices: Device[] = [];
const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});

/** A device whose requests are recorded, each alias of `hub` sent to the hub's own address. */
async function recordedDevice(hub: TestHub) {
  const sent: Sent[] = [];
  const fetchVia: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : new Uint8Array();
    const headers = [...request.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
    sent.push({ host: url.host, path: url.pathname, text: `${url}\n${headers}\n${Buffer.from(body).toString()}` });
    const real = new URL(url);
    real.host = hub.host;
    return fetch(new Request(real, request));
  };
  const d = await openDevice({ deps: { fetch: fetchVia, privateSync: { pollMs: 600_000, pushDelayMs: 600_000 } } });
  devices.push(d);
  return { d, sent };
}

async function twoPseudonyms(hub: TestHub, d: Device) {
  const ids: PseudonymId[] = [];
  for (const name of ['alice', 'owl']) {
    const me = await d.api.createPseudonym({ name, homeHub: hub.url });
    ok(await d.api.claimHandle(me.id, name));
    ok(await d.api.post(me.id, `${name} speaks`));
    ok(await d.api.follow(me.id, `bob@${hub.host}`));
    await d.api.syncNow(me.id);
    ids.push(me.id);
  }
  return ids as [PseudonymId, PseudonymId];
}

/** Bob on `hub`, with a post and one with two pictures. */
async function bobOn(hub: TestHub) {
  const { d } = await recordedDevice(hub);
  const bob = await d.api.createPseudonym({ name: 'bob', homeHub: hub.url });
  ok(await d.api.claimHandle(bob.id, 'bob'));
  ok(await d.api.post(bob.id, 'bob was here'));
  const picture = (n: number) => ({
    bytes: new TextEncoder().encode(`picture ${n} ${crypto.randomUUID()}`),
    type: 'image/png',
  });
  ok(await d.api.post(bob.id, 'two pictures', { media: [picture(1), picture(2)] }));
  await d.api.syncNow(bob.id);
}

test("each pseudonym's requests go to an alias of its own; the hub's own name gets only its info read", async () => {
  const hub = await startTestHub({ aliases: '*.localhost' });
  hubs.push(hub);
  await bobOn(hub);
  const { d, sent } = await recordedDevice(hub);
  const [alice, owl] = await twoPseudonyms(hub, d);

  const naming = (id: PseudonymId) => sent.filter((s) => s.text.includes(id));
  const hostsOf = (id: PseudonymId) => new Set(naming(id).map((s) => s.host));
  expect(naming(alice).length).toBeGreaterThan(5);
  expect(naming(owl).length).toBeGreaterThan(5);
  const [aliceHost, ...moreA] = hostsOf(alice);
  const [owlHost, ...moreO] = hostsOf(owl);
  expect([moreA, moreO]).toEqual([[], []]);
  expect(aliceHost).toMatch(new RegExp(`^[0-9a-f]{20}\\.localhost:${new URL(hub.url).port}$`));
  expect(owlHost).toMatch(/^[0-9a-f]{20}\.localhost:/);
  expect(aliceHost).not.toBe(owlHost);
  // Whatever went to one pseudonym's alias (Bob's feed read for it too) went there for it alone.
  expect(sent.filter((s) => s.host === aliceHost && s.text.includes(owl))).toEqual([]);
  expect(sent.filter((s) => s.host === owlHost && s.text.includes(alice))).toEqual([]);
  expect(new Set(sent.filter((s) => s.host === hub.host).map((s) => s.path))).toEqual(
    new Set(['/.well-known/murmur.json']),
  );
  // And it all worked: each follows Bob, whose post each reads.
  for (const id of [alice, owl])
    expect((await d.api.listTimeline(id, { limit: 10 })).map((i) => i.body)).toContain('bob was here');
});

test('a hub without aliases is reached at its own name, for every pseudonym', async () => {
  const hub = await startTestHub();
  hubs.push(hub);
  await bobOn(hub);
  const { d, sent } = await recordedDevice(hub);
  await twoPseudonyms(hub, d);
  expect(sent.length).toBeGreaterThan(10);
  expect(new Set(sent.map((s) => s.host))).toEqual(new Set([hub.host]));
});

test("a medium is fetched as its viewer: at the viewer's alias, never at the hub's own name", async () => {
  const hub = await startTestHub({ aliases: '*.localhost' });
  hubs.push(hub);
  await bobOn(hub);
  const { d, sent } = await recordedDevice(hub);
  const [alice] = await twoPseudonyms(hub, d);
  const aliceHost = sent.find((s) => s.text.includes(alice))!.host;
  const item = (await d.api.listTimeline(alice, { limit: 10 })).find((i) => i.body === 'two pictures')!;
  const [first, second] = item.media!;

  expect(await d.api.findMedia(first!, item.id, alice)).toBeDefined();
  expect(new Set(sent.filter((s) => s.path.includes(first!)).map((s) => s.host))).toEqual(new Set([aliceHost]));
  // Control: asked for no one, a medium goes to the hub's own name (so the recorder sees where blobs go).
  expect(await d.api.findMedia(second!, item.id)).toBeDefined();
  expect(new Set(sent.filter((s) => s.path.includes(second!)).map((s) => s.host))).toEqual(new Set([hub.host]));
});
