import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { nobleVerify, pseudonymOf } from './keys.ts';
import { buildNotice, decodeNotice, verifyNotice } from './notices.ts';
import {
  AUTH_HEADERS,
  REQUEST_SKEW_MS,
  checkSignedRequest,
  newRequestNonce,
  requestMessage,
  signRequest,
} from './request-auth.ts';
import type { ObjectId } from './ids.ts';
import vectors from './vectors/request-auth.json' with { type: 'json' };

const alice = fromHex('01'.repeat(32));
const bob = fromHex('02'.repeat(32));
const NOW = 1_767_225_600_000;
const request = { method: 'GET', path: '/v1/inbox/abc?cursor=2', body: new Uint8Array() };
const HOST = '127.0.0.1:9000';
const NONCE = '00112233445566778899aabbccddeeff';

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).name;
  }
}

describe('signed requests', () => {
  const headers = signRequest(alice, { ...request, ts: NOW, host: HOST, nonce: NONCE });
  const read = (h: Record<string, string>) => (name: string) => h[name];

  test('name the pseudonym that signed them, the host they are for and their nonce', async () => {
    expect(await checkSignedRequest(read(headers), request, NOW + 1000, nobleVerify)).toEqual({
      author: pseudonymOf(alice),
      ts: NOW,
      host: HOST,
      nonce: NONCE,
    });
  });

  test('carry the host and nonce they were signed with; another host or nonce presented is BadSignature', async () => {
    expect(headers[AUTH_HEADERS.host]).toBe(HOST);
    expect(headers[AUTH_HEADERS.nonce]).toBe(NONCE);
    const changes: Record<string, string>[] = [
      { [AUTH_HEADERS.host]: 'hub.example' },
      { [AUTH_HEADERS.nonce]: NONCE.replace('00', '01') },
    ];
    for (const changed of changes) {
      expect(await refusal(() => checkSignedRequest(read({ ...headers, ...changed }), request, NOW, nobleVerify))).toBe(
        'BadSignature',
      );
    }
  });

  test('without murmur-host are taken as signed for their Host header', async () => {
    const { [AUTH_HEADERS.host]: _, ...bare } = headers;
    expect((await checkSignedRequest(read({ ...bare, host: HOST }), request, NOW, nobleVerify)).host).toBe(HOST);
    expect(
      await refusal(() => checkSignedRequest(read({ ...bare, host: 'hub.example' }), request, NOW, nobleVerify)),
    ).toBe('BadSignature');
  });

  test('sign the host in lower case, as Host headers compare', async () => {
    const upper = signRequest(alice, { ...request, ts: NOW, host: HOST.toUpperCase(), nonce: NONCE });
    const named = signRequest(alice, { ...request, ts: NOW, host: 'Hub.Example', nonce: NONCE });
    expect(upper).toEqual(headers);
    expect(named[AUTH_HEADERS.host]).toBe('hub.example');
    expect(
      (await checkSignedRequest(read({ ...named, [AUTH_HEADERS.host]: 'HUB.example' }), request, NOW, nobleVerify))
        .host,
    ).toBe('hub.example');
  });

  test('need a 16-byte hex nonce and a host (misuse is a TypeError)', async () => {
    expect(() => signRequest(alice, { ...request, ts: NOW, host: HOST, nonce: 'abc' })).toThrow(TypeError);
    expect(() => signRequest(alice, { ...request, ts: NOW, host: 'http://x/', nonce: NONCE })).toThrow(TypeError);
    expect(
      await refusal(() =>
        checkSignedRequest(read({ ...headers, [AUTH_HEADERS.nonce]: 'ab' }), request, NOW, nobleVerify),
      ),
    ).toBe('Unauthenticated');
    const nonces = new Set(Array.from({ length: 50 }, () => newRequestNonce()));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
  });

  test('are refused when another path, method or body is presented', async () => {
    expect(
      await refusal(() =>
        checkSignedRequest(read(headers), { ...request, path: '/v1/inbox/abc?cursor=3' }, NOW, nobleVerify),
      ),
    ).toBe('BadSignature');
    expect(
      await refusal(() => checkSignedRequest(read(headers), { ...request, method: 'POST' }, NOW, nobleVerify)),
    ).toBe('BadSignature');
    expect(
      await refusal(() => checkSignedRequest(read(headers), { ...request, body: utf8('x') }, NOW, nobleVerify)),
    ).toBe('BadSignature');
  });

  test('are refused when another pseudonym claims them', async () => {
    const stolen = { ...headers, [AUTH_HEADERS.author]: pseudonymOf(bob) };
    expect(await refusal(() => checkSignedRequest(read(stolen), request, NOW, nobleVerify))).toBe('BadSignature');
  });

  test('are refused more than 5 minutes off the hub clock, either way', async () => {
    expect(
      await refusal(() => checkSignedRequest(read(headers), request, NOW + REQUEST_SKEW_MS + 1, nobleVerify)),
    ).toBe('ClockSkew');
    expect(
      await refusal(() => checkSignedRequest(read(headers), request, NOW - REQUEST_SKEW_MS - 1, nobleVerify)),
    ).toBe('ClockSkew');
  });

  test('without the headers are Unauthenticated', async () => {
    expect(await refusal(() => checkSignedRequest(read({}), request, NOW, nobleVerify))).toBe('Unauthenticated');
    expect(
      await refusal(() =>
        checkSignedRequest(read({ ...headers, [AUTH_HEADERS.ts]: '1e12' }), request, NOW, nobleVerify),
      ),
    ).toBe('Unauthenticated');
  });
});

describe('signed request vectors (vectors/request-auth.json)', () => {
  const key = fromHex(vectors.seed);
  for (const v of vectors.cases) {
    test(v.comment, async () => {
      const req = { ...v.request, body: utf8(v.request.body) };
      expect(new TextDecoder().decode(requestMessage(pseudonymOf(key), req))).toBe(v.message);
      expect(signRequest(key, req)).toEqual(v.headers);
      const headers: Record<string, string> = v.headers;
      const facts = await checkSignedRequest((name) => headers[name], req, v.request.ts, nobleVerify);
      expect(facts).toEqual({
        author: pseudonymOf(key),
        ts: v.request.ts,
        host: v.request.host.toLowerCase(),
        nonce: v.request.nonce,
      });
    });
  }
});

describe('inbox notices', () => {
  const id = 'ab'.repeat(32) as ObjectId;

  test('carry only ids, signed by the sender', async () => {
    const notice = buildNotice(alice, { to: pseudonymOf(bob), kind: 'reply', ids: [id], ts: NOW });
    const decoded = decodeNotice(notice.bytes);
    expect(decoded.notice).toEqual({
      type: 'notice',
      from: pseudonymOf(alice),
      to: pseudonymOf(bob),
      kind: 'reply',
      ids: [id],
      ts: NOW,
    });
    expect(decoded.signed.message).toEqual(encodeCanonical(decoded.signed.fields));
    expect(await verifyNotice(decoded, nobleVerify)).toBe(true);
  });

  test('refuse free text, unknown kinds and empty id lists', () => {
    const base = {
      type: 'notice',
      from: pseudonymOf(alice),
      to: pseudonymOf(bob),
      kind: 'reply',
      ids: [id],
      ts: NOW,
      sig: 'aa'.repeat(64),
    };
    const nameOf = (value: object) => {
      try {
        decodeNotice(encodeCanonical(value));
        return 'accepted';
      } catch (error) {
        return (error as ProtocolError).name;
      }
    };
    expect(nameOf({ ...base, text: 'hello' })).toBe('InvalidField');
    expect(nameOf({ ...base, kind: 'spam' })).toBe('InvalidField');
    expect(nameOf({ ...base, ids: [] })).toBe('InvalidField');
    expect(nameOf({ ...base, ids: ['not an id'] })).toBe('MalformedId');
  });
});
