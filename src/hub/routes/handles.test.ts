/** Handle claims and WebFinger against a real hub: first claim wins, each refusal, and the JRD. */
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { utf8 } from '../../protocol/bytes.ts';
import { decodeHandleClaim } from '../../protocol/handles.ts';
import { MURMUR_LINK_TYPE, WEBFINGER_CLAIM, WEBFINGER_PSEUDONYM } from '../../protocol/routes.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  signedClaim,
  startTestHub,
} from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

const claimUrl = (name: string) => `${t.url}/v1/handles/${name}`;
const finger = (resource: string) => fetch(`${t.url}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);

/** A request carrying a Host header of the client's choosing (fetch sets its own), answered as a Response. */
function withHost(host: string, method: string, url: string, body?: Uint8Array): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode! })));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function holderOf(name: string): Promise<string | undefined> {
  const res = await finger(`acct:${name}@${t.host}`);
  if (res.status === 404) return undefined;
  return ((await res.json()) as { properties: Record<string, string> }).properties[WEBFINGER_PSEUDONYM];
}

describe('PUT /v1/handles/:name', () => {
  test('first claim wins: 201, the same author again 200, another author HandleTaken', async () => {
    expect((await put(claimUrl('alice'), signedClaim(aliceKey, 'alice', t.host).bytes)).status).toBe(201);
    const again = await put(claimUrl('alice'), signedClaim(aliceKey, 'alice', t.host).bytes);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true });
    expect(await errorName(await put(claimUrl('alice'), signedClaim(bobKey, 'alice', t.host).bytes))).toBe(
      '409 HandleTaken',
    );
    expect(await holderOf('alice')).toBe(alice);
  });

  test('refuses each bad claim, storing nothing', async () => {
    const fields = { type: 'handle', name: 'carol', host: t.host, author: alice, ts: 1 };
    const cases: [string, string, Uint8Array | string][] = [
      ['400 DecodeError', claimUrl('carol'), '{"type":"handle"'],
      [
        '400 NonCanonical',
        claimUrl('carol'),
        ` ${new TextDecoder().decode(signedClaim(aliceKey, 'carol', t.host).bytes)}`,
      ],
      ['400 InvalidField', claimUrl('carol'), signedClaim(aliceKey, 'dave', t.host).bytes],
      ['400 InvalidField', claimUrl('Carol'), buildSignedUnchecked({ ...fields, name: 'Carol' }, aliceKey)],
      ['421 WrongHost', claimUrl('carol'), signedClaim(aliceKey, 'carol', 'elsewhere.example').bytes],
      ['403 BadSignature', claimUrl('carol'), buildSignedUnchecked(fields, bobKey)],
      ['413 TooLarge', claimUrl('carol'), new Uint8Array(100 * 1024).fill(32)],
    ];
    for (const [expected, url, body] of cases) {
      expect([expected, await errorName(await put(url, body))]).toEqual([expected, expected]);
    }
    expect(await holderOf('carol')).toBeUndefined();
    expect(await holderOf('dave')).toBeUndefined();
  });
});

describe("the hub's own hosts come from its configuration, not the Host header", () => {
  test('a claim for a foreign host, sent with that Host header, is WrongHost and takes no name', async () => {
    const squat = signedClaim(aliceKey, 'carol', 'squat.example').bytes;
    expect(await errorName(await withHost('squat.example', 'PUT', claimUrl('carol'), squat))).toBe('421 WrongHost');
    expect(
      await errorName(
        await withHost('squat.example', 'GET', `${t.url}/.well-known/webfinger?resource=acct:carol@squat.example`),
      ),
    ).toBe('404 NotFound');
    // The name is still free for this hub's own host.
    expect((await put(claimUrl('carol'), signedClaim(bobKey, 'carol', t.host).bytes)).status).toBe(201);
    expect(await holderOf('carol')).toBe(bob);
  });

  test('by default localhost:PORT and 127.0.0.1:PORT are this hub', async () => {
    const local = `localhost:${t.hub.port}`;
    expect((await put(claimUrl('dave'), signedClaim(aliceKey, 'dave', local).bytes)).status).toBe(201);
    const jrd = (await (await finger(`acct:dave@${local}`)).json()) as { properties: Record<string, string> };
    expect(jrd.properties[WEBFINGER_PSEUDONYM]).toBe(alice);
  });

  test('with --public-hosts only the configured names: claims and WebFinger for others are refused', async () => {
    const configured = await startTestHub({ publicHosts: ['Murmur.Example'] });
    try {
      const url = `${configured.url}/v1/handles/erin`;
      expect(await errorName(await put(url, signedClaim(aliceKey, 'erin', configured.host).bytes))).toBe(
        '421 WrongHost',
      );
      expect((await put(url, signedClaim(aliceKey, 'erin', 'murmur.example').bytes)).status).toBe(201);
      const jrd = (await (
        await fetch(`${configured.url}/.well-known/webfinger?resource=acct:erin@murmur.example`)
      ).json()) as { links: { href: string }[] };
      expect(jrd.links[0]!.href).toBe(`https://murmur.example/v1/heads?authors=${alice}`);
    } finally {
      await configured.hub.close();
    }
    // The same data under the default hosts: murmur.example is no longer this hub, whatever the Host header says.
    const reopened = await startTestHub({ dataDir: configured.dataDir });
    try {
      const finger = `${reopened.url}/.well-known/webfinger?resource=acct:erin@murmur.example`;
      expect(await errorName(await withHost('murmur.example', 'GET', finger))).toBe('404 NotFound');
    } finally {
      await reopened.stop();
    }
  });
});

describe('GET /.well-known/webfinger', () => {
  test('resolves a claimed handle to an RFC 7033 JRD carrying the signed claim', async () => {
    const claim = signedClaim(bobKey, 'bob', t.host);
    await put(claimUrl('bob'), claim.bytes);
    const res = await finger(`acct:bob@${t.host}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jrd+json');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const jrd = (await res.json()) as { properties: Record<string, string> };
    expect(jrd).toEqual({
      subject: `acct:bob@${t.host}`,
      aliases: [],
      links: [{ rel: 'self', type: MURMUR_LINK_TYPE, href: `${t.url}/v1/heads?authors=${bob}` }],
      properties: { [WEBFINGER_PSEUDONYM]: bob, [WEBFINGER_CLAIM]: new TextDecoder().decode(claim.bytes) },
    });
    // A reader can check the claim itself.
    expect(decodeHandleClaim(utf8(jrd.properties[WEBFINGER_CLAIM]!)).claim).toEqual(claim.claim);
  });

  test('answers BadRequest for a missing or malformed resource, NotFound for unknown names or hosts', async () => {
    await put(claimUrl('bob'), signedClaim(bobKey, 'bob', t.host).bytes);
    expect(await errorName(await fetch(`${t.url}/.well-known/webfinger`))).toBe('400 BadRequest');
    expect(await errorName(await finger('bob'))).toBe('400 BadRequest');
    expect(await errorName(await finger('acct:not a handle'))).toBe('400 BadRequest');
    expect(await errorName(await finger(`acct:nobody@${t.host}`))).toBe('404 NotFound');
    expect(await errorName(await finger('acct:bob@elsewhere.example'))).toBe('404 NotFound');
  });
});
