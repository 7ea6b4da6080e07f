/** Head routes and the change log against a real hub: put, get, changes, and each refusal of a head. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fromUtf8 } from '../../protocol/bytes.ts';
import { buildDelegation } from '../../protocol/agents.ts';
import { buildHead, headToJson } from '../../protocol/heads.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { MAX_IDS_PER_REQUEST } from '../../protocol/routes.ts';
import { pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
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
  startTestHub,
} from '../testing/hub-fixture.ts';

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

const headUrl = (author: string) => `${t.url}/v1/heads/${author}`;

async function currentHeads(...authors: string[]): Promise<Record<string, { seq: number; sig: string }>> {
  const res = await fetch(`${t.url}/v1/heads?authors=${authors.join(',')}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { heads: Record<string, { seq: number; sig: string }> }).heads;
}

describe('PUT /v1/heads/:author', () => {
  test('stores a signed head and answers its seq', async () => {
    const { head } = signedHead(aliceKey, 1);
    const res = await put(headUrl(alice), head.bytes);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, seq: 1 });
    expect(await currentHeads(alice)).toEqual({ [alice]: headToJson(head) });
  });

  test('takes a newer head and refuses one that is not newer (StaleHead, naming the seq held)', async () => {
    const two = signedHead(aliceKey, 2).head;
    expect((await put(headUrl(alice), two.bytes)).status).toBe(200);
    for (const seq of [2, 1]) {
      const res = await put(headUrl(alice), signedHead(aliceKey, seq, Date.now() + 1).head.bytes);
      const body = (await res.clone().json()) as { message: string };
      expect(await errorName(res)).toBe('409 StaleHead');
      expect(body.message).toContain('seq 2');
    }
    expect((await currentHeads(alice))[alice]!.sig).toBe(two.sig);
    expect((await put(headUrl(alice), signedHead(aliceKey, 3).head.bytes)).status).toBe(200);
    expect((await currentHeads(alice))[alice]!.seq).toBe(3);
  });

  test('two devices racing with the same seq: exactly one wins', async () => {
    const [x, y] = [signedHead(aliceKey, 5, Date.now()).head, signedHead(aliceKey, 5, Date.now() + 1).head];
    const statuses = await Promise.all([x, y].map(async (h) => (await put(headUrl(alice), h.bytes)).status));
    expect([...statuses].sort()).toEqual([200, 409]);
    const winner = statuses[0] === 200 ? x : y;
    expect((await currentHeads(alice))[alice]!.sig).toBe(winner.sig);
  });

  test('concurrent heads of many authors are all stored, each with its own change number', async () => {
    const keys = Array.from({ length: 24 }, (_, i) => secretKeyFrom(new Uint8Array(32).fill(10 + i)));
    const results = await Promise.all(
      keys.map(async (k) => (await put(headUrl(pseudonymOf(k)), signedHead(k, 1).head.bytes)).json()),
    );
    expect(new Set(results.map((r) => (r as { change: number }).change)).size).toBe(keys.length);
    const listed = (await (await fetch(`${t.url}/v1/changes`)).json()) as { changes: { seq: number }[] };
    expect(listed.changes.map((c) => c.seq)).toEqual(Array.from({ length: keys.length }, (_, i) => i + 1));
  });

  test('refuses each bad head, storing nothing', async () => {
    const good = signedHead(aliceKey, 1).head;
    const fields = { type: 'head', author: alice, heads: good.head.heads, seq: 1, ts: good.head.ts };
    const cases: [string, string, Uint8Array | string][] = [
      ['400 MalformedId', `${t.url}/v1/heads/${alice.slice(1)}`, good.bytes],
      ['400 DecodeError', headUrl(alice), 'not a head'],
      ['400 NonCanonical', headUrl(alice), JSON.stringify(JSON.parse(fromUtf8(good.bytes)), null, 1)],
      ['400 InvalidField', headUrl(alice), buildSignedUnchecked({ ...fields, extra: 1 }, aliceKey)],
      ['400 InvalidField', headUrl(alice), buildSignedUnchecked({ ...fields, seq: 0 }, aliceKey)],
      ['403 WrongAuthor', headUrl(bob), good.bytes],
      ['403 BadSignature', headUrl(alice), buildSignedUnchecked(fields, bobKey)],
      [
        '400 FutureTimestamp',
        headUrl(alice),
        signedHead(aliceKey, 1, Date.now() + LIMITS.futureSkewMs + 60_000).head.bytes,
      ],
      [
        '413 TooLarge',
        headUrl(alice),
        buildSignedUnchecked({ ...fields, pad: 'x'.repeat(LIMITS.headBytes) }, aliceKey),
      ],
      ['413 TooLarge', headUrl(alice), new Uint8Array(100 * 1024).fill(32)],
    ];
    for (const [expected, url, body] of cases) {
      expect([expected, await errorName(await put(url, body))]).toEqual([expected, expected]);
    }
    expect(await currentHeads(alice, bob)).toEqual({});
    expect(await (await fetch(`${t.url}/v1/changes`)).json()).toEqual({ changes: [], next: 0, last: 0 });
  });

  test('takes a head an agent signed under the author’s delegation, and the agent’s own blob uploads', async () => {
    const agentKey = secretKeyFrom(new Uint8Array(32).fill(3));
    const agent = pseudonymOf(agentKey);
    const delegation = buildDelegation(aliceKey, { agent, scope: ['post'], expires: Date.now() + 86_400_000 });
    const { commit } = signedHead(aliceKey, 1);
    const head = buildHead(agentKey, { heads: [commit.id], seq: 1, ts: Date.now(), agent: { id: agent, delegation } });
    expect((await putBlob(t.url, commit.id, commit.bytes, agentKey)).status).toBe(201);
    expect((await put(headUrl(alice), head.bytes)).status).toBe(200);
    expect((await currentHeads(alice))[alice]).toEqual(headToJson(head));
    // The same delegation for another author's feed is not the author's word.
    const forBob = buildHead(agentKey, {
      heads: [commit.id],
      seq: 1,
      ts: Date.now(),
      agent: { id: agent, delegation },
    });
    expect(await errorName(await put(headUrl(bob), forBob.bytes))).toBe('403 WrongAuthor');
    expect(await currentHeads(bob)).toEqual({});
  });

  test('refuses other methods on a head with MethodNotAllowed', async () => {
    const res = await fetch(headUrl(alice), { method: 'POST', body: 'x' });
    expect(await errorName(res)).toBe('405 MethodNotAllowed');
    expect(res.headers.get('allow')).toBe('PUT');
  });
});

describe('GET /v1/heads', () => {
  test('answers the heads held, leaving out authors without one', async () => {
    const a = signedHead(aliceKey, 4).head;
    await put(headUrl(alice), a.bytes);
    expect(await currentHeads(alice, bob)).toEqual({ [alice]: headToJson(a) });
    expect(await currentHeads()).toEqual({});
  });

  test('refuses a malformed author and more than MAX_IDS_PER_REQUEST authors', async () => {
    expect(await errorName(await fetch(`${t.url}/v1/heads?authors=${alice},zz`))).toBe('400 MalformedId');
    const many = Array.from({ length: MAX_IDS_PER_REQUEST + 1 }, (_, i) => i.toString(16).padStart(64, '0'));
    expect(await errorName(await fetch(`${t.url}/v1/heads?authors=${many.join(',')}`))).toBe('413 TooLarge');
    // The most one request may name fits in a request line the hub accepts.
    expect((await fetch(`${t.url}/v1/heads?authors=${many.slice(1).join(',')}`)).status).toBe(200);
  });
});

describe('GET /v1/changes', () => {
  test('lists current heads in change order, pages, and drops superseded changes', async () => {
    const a1 = signedHead(aliceKey, 1).head;
    const b1 = signedHead(bobKey, 1).head;
    const a2 = signedHead(aliceKey, 2).head;
    for (const [author, head] of [
      [alice, a1],
      [bob, b1],
      [alice, a2],
    ] as const) {
      expect((await put(headUrl(author), head.bytes)).status).toBe(200);
    }
    const all = await (await fetch(`${t.url}/v1/changes?since=0`)).json();
    expect(all).toEqual({
      changes: [
        { seq: 2, author: bob, head: headToJson(b1) },
        { seq: 3, author: alice, head: headToJson(a2) },
      ],
      next: 3,
      last: 3,
    });
    const page = await (await fetch(`${t.url}/v1/changes?since=0&limit=1`)).json();
    expect(page).toMatchObject({ changes: [{ seq: 2 }], next: 2 });
    expect(await (await fetch(`${t.url}/v1/changes?since=2`)).json()).toMatchObject({ changes: [{ seq: 3 }], next: 3 });
    expect(await (await fetch(`${t.url}/v1/changes?since=3`)).json()).toEqual({ changes: [], next: 3, last: 3 });
    expect(await errorName(await fetch(`${t.url}/v1/changes?since=-1`))).toBe('400 BadRequest');
  });
});
