/**
 * Inbox routes against a real hub: sending notices, reading
 * one's own inbox by a signed request, paging, and each refusal.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fromUtf8 } from '../../protocol/bytes.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { NOTICE_LIMITS } from '../../protocol/notices.ts';
import { AUTH_HEADERS, REQUEST_SKEW_MS, newRequestNonce, signRequest } from '../../protocol/request-auth.ts';
import type { InboxAnswer } from '../../protocol/routes.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  signedFetch,
  signedNotice,
  startTestHub,
} from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

const inboxUrl = (author: string, query = '') => `${t.url}/v1/inbox/${author}${query}`;
const send = (to: string, body: Uint8Array | string) => fetch(inboxUrl(to), { method: 'POST', body: body as BodyInit });
const read = async (query = '', key = aliceKey, owner = alice): Promise<InboxAnswer> => {
  const res = await signedFetch(inboxUrl(owner, query), {}, key);
  expect(res.status).toBe(200);
  return (await res.json()) as InboxAnswer;
};

describe('POST /v1/inbox/:author', () => {
  test('keeps a signed notice for its recipient (201), and the same notice again only once (200)', async () => {
    const notice = signedNotice(bobKey, alice, { kind: 'reply' });
    const first = await send(alice, notice.bytes);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ ok: true });
    expect((await send(alice, notice.bytes)).status).toBe(200);
    expect(await read()).toEqual({ notices: [{ ...notice.notice, sig: notice.sig }], next: '1' });
  });

  test('refuses each bad notice, storing nothing', async () => {
    const good = signedNotice(bobKey, alice);
    const fields = { ...good.notice, ids: [...good.notice.ids] };
    const cases: [string, string, Uint8Array | string][] = [
      ['400 MalformedId', 'nobody', good.bytes],
      ['400 DecodeError', alice, 'not a notice'],
      ['400 NonCanonical', alice, JSON.stringify(JSON.parse(fromUtf8(good.bytes)), null, 1)],
      ['400 InvalidField', alice, buildSignedUnchecked({ ...fields, kind: 'shout' }, bobKey)],
      ['400 InvalidField', bob, good.bytes],
      ['403 BadSignature', alice, buildSignedUnchecked(fields, aliceKey)],
      ['400 FutureTimestamp', alice, signedNotice(bobKey, alice, { ts: Date.now() + REQUEST_SKEW_MS + 60_000 }).bytes],
      ['401 ClockSkew', alice, signedNotice(bobKey, alice, { ts: Date.now() - REQUEST_SKEW_MS - 60_000 }).bytes],
      ['413 TooLarge', alice, buildSignedUnchecked({ ...fields, pad: 'x'.repeat(NOTICE_LIMITS.bytes) }, bobKey)],
      ['413 TooLarge', alice, new Uint8Array(64 * 1024).fill(32)],
    ];
    for (const [expected, to, body] of cases) {
      expect([expected, await errorName(await send(to, body))]).toEqual([expected, expected]);
    }
    expect(await read()).toEqual({ notices: [] });
  });
});

describe('GET /v1/inbox/:author', () => {
  test('pages oldest first; next resumes after the last notice; an empty page has no next', async () => {
    const carolKey = secretKeyFrom(new Uint8Array(32).fill(3));
    const sent = [
      signedNotice(bobKey, alice, { n: 1 }),
      signedNotice(carolKey, bob, { n: 2 }),
      signedNotice(carolKey, alice, { n: 3 }),
      signedNotice(bobKey, alice, { n: 4 }),
    ];
    for (const n of sent) expect((await send(n.notice.to, n.bytes)).status).toBe(201);
    const page1 = await read('?limit=2');
    expect(page1.notices.map((n) => n.sig)).toEqual([sent[0]!.sig, sent[2]!.sig]);
    expect(page1.next).toBe('3');
    const page2 = await read(`?cursor=${page1.next}&limit=2`);
    expect(page2).toEqual({ notices: [{ ...sent[3]!.notice, sig: sent[3]!.sig }], next: '4' });
    expect(await read(`?cursor=${page2.next}`)).toEqual({ notices: [] });
    // Bob sees only his own.
    expect((await read('', bobKey, bob)).notices.map((n) => n.from)).toEqual([pseudonymOf(carolKey)]);
  });

  test('notices survive a restart, and new ones continue after them', async () => {
    const first = signedNotice(bobKey, alice, { n: 1 });
    await send(alice, first.bytes);
    t = await t.restart();
    expect((await send(alice, first.bytes)).status).toBe(200);
    await send(alice, signedNotice(bobKey, alice, { n: 2 }).bytes);
    expect((await read()).next).toBe('2');
  });

  test('answers only the owner, by a signed request of the exact path', async () => {
    await send(alice, signedNotice(bobKey, alice).bytes);
    expect(await errorName(await fetch(inboxUrl(alice)))).toBe('401 Unauthenticated');
    expect(await errorName(await signedFetch(inboxUrl(alice), {}, bobKey))).toBe('403 Forbidden');
    expect(await errorName(await signedFetch(inboxUrl(alice), {}, aliceKey, Date.now() - REQUEST_SKEW_MS - 1000))).toBe(
      '401 ClockSkew',
    );
    // Signed for another query than the one sent.
    const headers = signRequest(aliceKey, {
      method: 'GET',
      path: `/v1/inbox/${alice}?cursor=0`,
      body: new Uint8Array(),
      ts: Date.now(),
      host: new URL(t.url).host,
      nonce: newRequestNonce(),
    });
    expect(await errorName(await fetch(inboxUrl(alice, '?cursor=1'), { headers }))).toBe('403 BadSignature');
    expect(
      await errorName(await fetch(inboxUrl(alice), { headers: { ...headers, [AUTH_HEADERS.sig]: '0'.repeat(128) } })),
    ).toBe('403 BadSignature');
    expect(await errorName(await signedFetch(inboxUrl(alice, '?cursor=x')))).toBe('400 BadRequest');
    expect(await errorName(await signedFetch(inboxUrl('x'.repeat(64))))).toBe('400 MalformedId');
  });
});
