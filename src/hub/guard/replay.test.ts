/**
 * Signed requests are good once, on the hub they were signed for
 * (PROTOCOL.md, "Signed requests"): a captured upload or inbox read sent
 * again, here or to another hub, or kept across a restart, is refused by name
 * and costs its signer nothing; the hub's memory of them is bounded.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { utf8 } from '../../protocol/bytes.ts';
import { ProtocolError } from '../../protocol/errors.ts';
import { hashBytes } from '../../protocol/ids.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, newRequestNonce, signRequest } from '../../protocol/request-auth.ts';
import type { InboxAnswer } from '../../protocol/routes.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  putBlob,
  signedHead,
  signedNotice,
  startTestHub,
} from '../testing/hub-fixture.ts';
import { SeenRequests } from '../store/seen-requests.ts';

const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});
const start = async (...options: Parameters<typeof startTestHub>) => {
  const hub = await startTestHub(...options);
  hubs.push(hub);
  return hub;
};

const blob = (text: string) => ({ bytes: utf8(text), id: hashBytes(utf8(text)) });
const signedUpload = (hub: TestHub, bytes: Uint8Array, id: string, host = hub.host, ts = Date.now()) =>
  signRequest(aliceKey, { method: 'PUT', path: `/v1/blobs/${id}`, body: bytes, ts, host, nonce: newRequestNonce() });
const signedRead = (hub: TestHub, host = hub.host, ts = Date.now()) =>
  signRequest(aliceKey, {
    method: 'GET',
    path: `/v1/inbox/${alice}`,
    body: new Uint8Array(),
    ts,
    host,
    nonce: newRequestNonce(),
  });
const readInbox = (hub: TestHub, headers: Record<string, string>) => fetch(`${hub.url}/v1/inbox/${alice}`, { headers });
const headSeq = async (hub: TestHub) =>
  ((await (await fetch(`${hub.url}/v1/heads?authors=${alice}`)).json()) as { heads: Record<string, { seq: number }> })
    .heads[alice]?.seq;

/** Resolves once the clock has passed `ts`, so a hub started next starts after it. */
async function clockPast(ts: number): Promise<void> {
  while (Date.now() <= ts) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('a signed request sent again', () => {
  test("an upload replayed 15 times is refused as Replayed each time, leaving the signer's budget whole", async () => {
    const hub = await start({ limits: { perPseudonym: { perSecond: 0.001, burst: 3 } } });
    const { bytes, id } = blob('captured upload');
    const headers = signedUpload(hub, bytes, id);
    expect((await put(`${hub.url}/v1/blobs/${id}`, bytes, headers)).status).toBe(201);
    for (let i = 0; i < 15; i++) {
      const replay = await put(`${hub.url}/v1/blobs/${id}`, bytes, headers);
      expect(await errorName(replay)).toBe('409 Replayed');
    }
    // Three tokens, one spent by the upload: two writes pass, the next is refused.
    for (const seq of [1, 2])
      expect((await put(`${hub.url}/v1/heads/${alice}`, signedHead(aliceKey, seq).head.bytes)).status).toBe(200);
    expect(await errorName(await put(`${hub.url}/v1/heads/${alice}`, signedHead(aliceKey, 3).head.bytes))).toBe(
      '429 RateLimited',
    );
    expect(await headSeq(hub)).toBe(2);
  });

  test('a replay is Replayed even if the first send was refused; a fresh signature of that upload passes', async () => {
    const hub = await start({ limits: { quotaBytes: 10 } });
    const { bytes, id } = blob('more than ten bytes');
    const headers = signedUpload(hub, bytes, id);
    expect(await errorName(await put(`${hub.url}/v1/blobs/${id}`, bytes, headers))).toBe('507 QuotaExceeded');
    expect(await errorName(await put(`${hub.url}/v1/blobs/${id}`, bytes, headers))).toBe('409 Replayed');
    expect(await errorName(await putBlob(hub.url, id, bytes))).toBe('507 QuotaExceeded');
  });

  test("an owner's inbox read replayed is refused and discloses nothing", async () => {
    const hub = await start();
    expect(
      (
        await fetch(`${hub.url}/v1/inbox/${alice}`, {
          method: 'POST',
          body: signedNotice(bobKey, alice, { kind: 'reply' }).bytes as BodyInit,
        })
      ).status,
    ).toBe(201);
    const headers = signedRead(hub);
    const first = await readInbox(hub, headers);
    expect(first.status).toBe(200);
    expect(((await first.json()) as InboxAnswer).notices.map((n) => n.from)).toEqual([bob]);
    const replay = await readInbox(hub, headers);
    const text = await replay.clone().text();
    expect(await errorName(replay)).toBe('409 Replayed');
    expect(text).not.toContain(bob);
  });
});

describe('a signed request sent to another hub', () => {
  test('an upload or inbox read signed for hub A is refused by hub B as WrongHost, costing nothing there', async () => {
    const [a, b] = await Promise.all([start(), start({ limits: { perPseudonym: { perSecond: 0.001, burst: 1 } } })]);
    expect(
      (
        await fetch(`${b.url}/v1/inbox/${alice}`, {
          method: 'POST',
          body: signedNotice(bobKey, alice).bytes as BodyInit,
        })
      ).status,
    ).toBe(201);
    const { bytes, id } = blob('signed for a');
    const upload = signedUpload(a, bytes, id);
    const read = signedRead(a);
    expect(await errorName(await put(`${b.url}/v1/blobs/${id}`, bytes, upload))).toBe('421 WrongHost');
    expect(await errorName(await readInbox(b, read))).toBe('421 WrongHost');
    expect((await fetch(`${b.url}/v1/blobs/${id}`)).status).toBe(404);
    // Without the murmur-host header, B checks the signature against its own host: it does not match.
    const { [AUTH_HEADERS.host]: _, ...bare } = read;
    expect(await errorName(await readInbox(b, bare))).toBe('403 BadSignature');
    // Alice's one token on B is still there.
    expect((await put(`${b.url}/v1/heads/${alice}`, signedHead(aliceKey, 1).head.bytes)).status).toBe(200);
    // The same requests still pass once on A, the hub they were signed for.
    expect((await put(`${a.url}/v1/blobs/${id}`, bytes, upload)).status).toBe(201);
    expect((await readInbox(a, read)).status).toBe(200);
  });

  test('a request signed for a host name this hub is not reached by is WrongHost', async () => {
    const hub = await start();
    expect(await errorName(await readInbox(hub, signedRead(hub, 'hub.example')))).toBe('421 WrongHost');
    expect((await readInbox(hub, signedRead(hub))).status).toBe(200);
  });
});

describe('a signed request from before the hub started', () => {
  test('is Replayed, so a restart cannot reopen the window', async () => {
    let hub = await start();
    const { bytes, id } = blob('sent before the restart');
    const upload = signedUpload(hub, bytes, id);
    const read = signedRead(hub);
    expect((await put(`${hub.url}/v1/blobs/${id}`, bytes, upload)).status).toBe(201);
    expect((await readInbox(hub, read)).status).toBe(200);
    await clockPast(Date.now());
    hubs.splice(hubs.indexOf(hub), 1);
    hub = await hub.restart();
    hubs.push(hub);
    expect(await errorName(await put(`${hub.url}/v1/blobs/${id}`, bytes, upload))).toBe('409 Replayed');
    expect(await errorName(await readInbox(hub, read))).toBe('409 Replayed');
  });

  test('is Replayed even if never sent before', async () => {
    const signedAt = Date.now();
    await clockPast(signedAt);
    const hub = await start();
    expect(await errorName(await readInbox(hub, signedRead(hub, hub.host, signedAt)))).toBe('409 Replayed');
    expect((await readInbox(hub, signedRead(hub))).status).toBe(200);
  });
});

describe('the memory of signed requests', () => {
  test('is bounded: when full, new signed requests are HubBusy while replays are still Replayed', async () => {
    const hub = await start({ limits: { seenRequests: { total: 2, perSigner: 2 } } });
    const reads = [signedRead(hub), signedRead(hub)];
    for (const headers of reads) expect((await readInbox(hub, headers)).status).toBe(200);
    const bobRead = signRequest(bobKey, {
      method: 'GET',
      path: `/v1/inbox/${bob}`,
      body: new Uint8Array(),
      ts: Date.now(),
      host: hub.host,
      nonce: newRequestNonce(),
    });
    expect(await errorName(await fetch(`${hub.url}/v1/inbox/${bob}`, { headers: bobRead }))).toBe('503 HubBusy');
    expect(await errorName(await readInbox(hub, reads[0]!))).toBe('409 Replayed');
  });

  const nameOf = (run: () => void) => {
    try {
      run();
      return 'admitted';
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      return (error as ProtocolError).name;
    }
  };

  test('holds at most its total and per-signer counts, and frees nonces once their window has passed', () => {
    const T = 1_767_225_600_000;
    const seen = new SeenRequests(T, { total: 3, perSigner: 2 });
    const n = (i: number) => i.toString(16).padStart(32, '0');
    expect(nameOf(() => seen.admit(alice, n(1), T, T))).toBe('admitted');
    expect(nameOf(() => seen.admit(alice, n(1), T, T))).toBe('Replayed');
    expect(nameOf(() => seen.admit(bob, n(1), T, T))).toBe('admitted');
    expect(nameOf(() => seen.admit(alice, n(2), T + 1000, T + 1000))).toBe('admitted');
    expect(nameOf(() => seen.admit(alice, n(3), T + 1000, T + 1000))).toBe('RateLimited');
    const carol = pseudonymOf(secretKeyFrom(new Uint8Array(32).fill(3)));
    expect(nameOf(() => seen.admit(carol, n(1), T + 1000, T + 1000))).toBe('HubBusy');
    expect(seen.size).toBe(3);
    expect(nameOf(() => seen.admit(alice, n(4), T - 1, T + 1000))).toBe('Replayed');
    // Past the window of the first two (signed at T), their room is free again.
    const later = T + REQUEST_SKEW_MS + 1;
    expect(nameOf(() => seen.admit(carol, n(1), later, later))).toBe('admitted');
    expect(nameOf(() => seen.admit(alice, n(5), later, later))).toBe('admitted');
    expect(seen.size).toBeLessThanOrEqual(3);
  });

  test('does not keep growing under a flood of fresh requests', () => {
    const T = 1_767_225_600_000;
    const seen = new SeenRequests(T, { total: 1000, perSigner: 1000 });
    let busy = 0;
    for (let i = 0; i < 5000; i++) {
      const now = T + i * 100;
      try {
        seen.admit(alice, i.toString(16).padStart(32, '0'), now, now);
      } catch (error) {
        expect((error as ProtocolError).name).toMatch(/^(HubBusy|RateLimited)$/);
        busy++;
      }
      expect(seen.size).toBeLessThanOrEqual(1000);
    }
    // At 10 a second, a 5-minute window holds 3,000: some were refused, and once the oldest expired new ones passed.
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThan(5000 - 1000);
  });
});

describe("a hub's aliases (protocol/hub-aliases.ts)", () => {
  test('its murmur.json names them; a request signed for one name under them is its own, nothing else is', async () => {
    const hub = await start({ aliases: '*.localhost' });
    const port = new URL(hub.url).port;
    const info = (await (await fetch(`${hub.url}/.well-known/murmur.json`)).json()) as { aliases?: string };
    expect(info.aliases).toBe(`*.localhost:${port}`); // no --public-hosts: the hub's own port, as its default names
    const sent = async (host: string) => {
      const { bytes, id } = blob(`signed for ${host}`);
      const res = await put(`${hub.url}/v1/blobs/${id}`, bytes, signedUpload(hub, bytes, id, host));
      return res.ok ? res.status : errorName(res);
    };
    expect(await sent(`a1b2c3.localhost:${port}`)).toBe(201);
    expect(await sent(`zz9.localhost:${port}`)).toBe(201);
    for (const other of [
      `a.b.localhost:${port}`,
      `a1b2c3.localhost:${port === '1' ? 2 : 1}`,
      `a1b2c3.evil.test:${port}`,
    ])
      expect(await sent(other), other).toBe('421 WrongHost');
    // Without aliases, a name under the wildcard is another hub's.
    const plain = await start();
    const { bytes, id } = blob('plain');
    const upload = signedUpload(plain, bytes, id, `a1b2c3.localhost:${new URL(plain.url).port}`);
    expect(await errorName(await put(`${plain.url}/v1/blobs/${id}`, bytes, upload))).toBe('421 WrongHost');
    expect(await (await fetch(`${plain.url}/.well-known/murmur.json`)).json()).not.toHaveProperty('aliases');
  });
});
