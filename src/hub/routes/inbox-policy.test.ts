/**
 * Inbox policies against a real hub: a pseudonym publishes one, the hub
 * keeps the newest, answers it, and applies it to every notice before
 * storing it; each bad policy is refused by name and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type InboxMode, buildInboxPolicy } from '../../protocol/inbox-policy.ts';
import type { PseudonymId } from '../../protocol/ids.ts';
import { type SecretKey, pseudonymOf, secretKeyFrom } from '../../protocol/keys.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { buildSignedUnchecked } from '../../protocol/signed.ts';
import {
  type TestHub,
  alice,
  aliceKey,
  bob,
  bobKey,
  errorName,
  put,
  signedFetch,
  signedNotice,
  startTestHub,
} from '../testing/hub-fixture.ts';

const carolKey = secretKeyFrom(new Uint8Array(32).fill(3));
const carol = pseudonymOf(carolKey);

let t: TestHub;
beforeEach(async () => {
  t = await startTestHub();
});
afterEach(() => t.stop());

const policyUrl = (author: string) => `${t.url}/v1/inbox-policy/${author}`;
const policy = (mode: InboxMode, seq: number, senders: PseudonymId[] = [bob], key: SecretKey = aliceKey) =>
  buildInboxPolicy(key, { mode, senders, seq, ts: Date.now() }, crypto.getRandomValues(new Uint8Array(16)));
const send = (fromKey: SecretKey, to: PseudonymId) =>
  fetch(`${t.url}/v1/inbox/${to}`, {
    method: 'POST',
    body: signedNotice(fromKey, to, { kind: 'dm' }).bytes as BodyInit,
  });
const noticesOf = async (): Promise<string[]> => {
  const res = await signedFetch(`${t.url}/v1/inbox/${alice}`, {}, aliceKey);
  return ((await res.json()) as { notices: { from: string }[] }).notices.map((n) => n.from);
};

describe('inbox policies', () => {
  test('a closed inbox takes notices from its listed senders only; a stranger meets InboxClosed', async () => {
    expect((await put(policyUrl(alice), policy('closed', 1).bytes)).status).toBe(201);
    expect((await send(bobKey, alice)).status).toBe(201);
    const refused = await send(carolKey, alice);
    expect(await errorName(refused)).toBe('403 InboxClosed');
    expect(await noticesOf()).toEqual([bob]);
  });

  test('without a policy, or with an open one, anyone may leave a notice (the control)', async () => {
    expect((await send(carolKey, alice)).status).toBe(201);
    expect((await put(policyUrl(alice), policy('open', 1).bytes)).status).toBe(201);
    expect((await send(carolKey, bob)).status).toBe(201);
    expect((await send(carolKey, alice)).status).toBe(201);
    expect(await noticesOf()).toEqual([carol, carol]);
  });

  test('the newest policy rules: reopening the inbox admits the stranger again', async () => {
    await put(policyUrl(alice), policy('allowlist', 1).bytes);
    expect(await errorName(await send(carolKey, alice))).toBe('403 InboxClosed');
    expect((await put(policyUrl(alice), policy('public', 2).bytes)).status).toBe(201);
    expect((await send(carolKey, alice)).status).toBe(201);
  });

  test('GET answers the policy held, byte for byte, and 404 NotFound when there is none', async () => {
    expect(await errorName(await fetch(policyUrl(alice)))).toBe('404 NotFound');
    const held = policy('closed', 4);
    await put(policyUrl(alice), held.bytes);
    const res = await fetch(policyUrl(alice));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(held.bytes);
  });

  test('refuses each bad policy by name, keeping the one held', async () => {
    const held = policy('closed', 5);
    await put(policyUrl(alice), held.bytes);
    const fields = { ...held.signed.fields };
    const cases: [string, string, Uint8Array | string][] = [
      ['400 MalformedId', `${t.url}/v1/inbox-policy/nobody`, policy('open', 6).bytes],
      ['400 DecodeError', policyUrl(alice), 'not a policy'],
      ['403 WrongAuthor', policyUrl(bob), policy('open', 6).bytes],
      ['403 BadSignature', policyUrl(alice), buildSignedUnchecked({ ...fields, seq: 6 }, bobKey)],
      ['409 StalePolicy', policyUrl(alice), policy('open', 5).bytes],
      ['409 StalePolicy', policyUrl(alice), policy('open', 4).bytes],
      [
        '400 FutureTimestamp',
        policyUrl(alice),
        buildInboxPolicy(
          aliceKey,
          { mode: 'open', senders: [], seq: 9, ts: Date.now() + LIMITS.futureSkewMs + 60_000 },
          new Uint8Array(16),
        ).bytes,
      ],
    ];
    const got: string[] = [];
    for (const [, url, body] of cases) got.push(await errorName(await put(url, body)));
    expect(got).toEqual(cases.map(([name]) => name));
    expect(new Uint8Array(await (await fetch(policyUrl(alice))).arrayBuffer())).toEqual(held.bytes);
    expect(await errorName(await send(carolKey, alice))).toBe('403 InboxClosed');
  });

  test('a policy survives a restart of the hub', async () => {
    await put(policyUrl(alice), policy('closed', 1).bytes);
    t = await t.restart();
    expect(await errorName(await send(carolKey, alice))).toBe('403 InboxClosed');
  });

  test('a board (a hive inbox) shows its notices to anyone, unsigned; other inboxes stay closed', async () => {
    await send(carolKey, alice);
    // Control: before the board policy, an unsigned read is refused.
    expect(await errorName(await fetch(`${t.url}/v1/inbox/${alice}`))).toBe('401 Unauthenticated');
    expect((await put(policyUrl(alice), policy('board', 1).bytes)).status).toBe(201);
    expect((await send(bobKey, alice)).status).toBe(201);
    const res = await fetch(`${t.url}/v1/inbox/${alice}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { notices: { from: string }[] }).notices.map((n) => n.from)).toEqual([carol, bob]);
    expect(await errorName(await fetch(`${t.url}/v1/inbox/${bob}`))).toBe('401 Unauthenticated');
    // Back to open: the notices are the owner's alone again.
    await put(policyUrl(alice), policy('open', 2).bytes);
    expect(await errorName(await fetch(`${t.url}/v1/inbox/${alice}`))).toBe('401 Unauthenticated');
  });
});
