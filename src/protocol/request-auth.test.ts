import { describe, expect, test } from 'vitest';
import { fromHex, utf8 } from './bytes.ts';
import { encodeCanonical } from './canonical.ts';
import { ProtocolError } from './errors.ts';
import { nobleVerify, pseudonymOf } from './keys.ts';
import { buildNotice, decodeNotice, verifyNotice } from './notices.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, checkSignedRequest, signRequest } from './request-auth.ts';
import type { ObjectId } from './ids.ts';

const alice = fromHex('01'.repeat(32));
const bob = fromHex('02'.repeat(32));
const NOW = 1_767_225_600_000;
const request = { method: 'GET', path: '/v1/inbox/abc?cursor=2', body: new Uint8Array() };

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
  const headers = signRequest(alice, { ...request, ts: NOW });
  const read = (h: Record<string, string>) => (name: string) => h[name];

  test('name the pseudonym that signed them', async () => {
    expect(await checkSignedRequest(read(headers), request, NOW + 1000, nobleVerify)).toBe(pseudonymOf(alice));
  });

  test('are refused when another path, method or body is presented', async () => {
    expect(await refusal(() => checkSignedRequest(read(headers), { ...request, path: '/v1/inbox/abc?cursor=3' }, NOW, nobleVerify))).toBe('BadSignature');
    expect(await refusal(() => checkSignedRequest(read(headers), { ...request, method: 'POST' }, NOW, nobleVerify))).toBe('BadSignature');
    expect(await refusal(() => checkSignedRequest(read(headers), { ...request, body: utf8('x') }, NOW, nobleVerify))).toBe('BadSignature');
  });

  test('are refused when another pseudonym claims them', async () => {
    const stolen = { ...headers, [AUTH_HEADERS.author]: pseudonymOf(bob) };
    expect(await refusal(() => checkSignedRequest(read(stolen), request, NOW, nobleVerify))).toBe('BadSignature');
  });

  test('are refused more than 5 minutes off the hub clock, either way', async () => {
    expect(await refusal(() => checkSignedRequest(read(headers), request, NOW + REQUEST_SKEW_MS + 1, nobleVerify))).toBe('ClockSkew');
    expect(await refusal(() => checkSignedRequest(read(headers), request, NOW - REQUEST_SKEW_MS - 1, nobleVerify))).toBe('ClockSkew');
  });

  test('without the headers are Unauthenticated', async () => {
    expect(await refusal(() => checkSignedRequest(read({}), request, NOW, nobleVerify))).toBe('Unauthenticated');
    expect(await refusal(() => checkSignedRequest(read({ ...headers, [AUTH_HEADERS.ts]: '1e12' }), request, NOW, nobleVerify))).toBe('Unauthenticated');
  });
});

describe('inbox notices', () => {
  const id = 'ab'.repeat(32) as ObjectId;

  test('carry only ids, signed by the sender', async () => {
    const notice = buildNotice(alice, { to: pseudonymOf(bob), kind: 'reply', ids: [id], ts: NOW });
    const decoded = decodeNotice(notice.bytes);
    expect(decoded.notice).toEqual({ type: 'notice', from: pseudonymOf(alice), to: pseudonymOf(bob), kind: 'reply', ids: [id], ts: NOW });
    expect(decoded.signed.message).toEqual(encodeCanonical(decoded.signed.fields));
    expect(await verifyNotice(decoded, nobleVerify)).toBe(true);
  });

  test('refuse free text, unknown kinds and empty id lists', () => {
    const base = { type: 'notice', from: pseudonymOf(alice), to: pseudonymOf(bob), kind: 'reply', ids: [id], ts: NOW, sig: 'aa'.repeat(64) };
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
